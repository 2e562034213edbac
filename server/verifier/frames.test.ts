import { describe, expect, it } from "vitest";
import { analysable, FRAME_TIME_MAX_BACKDATE_MS, frameTime, halve, MAX_FRAME_PIXELS } from "./frames.js";

describe("halve", () => {
  it("averages each 2×2 block per channel", () => {
    // 4×2 frame: two blocks, left one mixing 0 and 100 on red, right one a flat colour.
    const px = (r: number, g: number, b: number) => [r, g, b];
    const data = new Uint8Array([
      ...px(0, 10, 20), ...px(100, 10, 20), ...px(7, 8, 9), ...px(7, 8, 9),
      ...px(0, 10, 20), ...px(100, 10, 20), ...px(7, 8, 9), ...px(7, 8, 9),
    ]);
    const half = halve({ width: 4, height: 2, data });
    expect(half).toMatchObject({ width: 2, height: 1 });
    expect([...half.data]).toEqual([50, 10, 20, 7, 8, 9]);
  });

  it("drops an odd last row and column", () => {
    const half = halve({ width: 5, height: 3, data: new Uint8Array(5 * 3 * 3).fill(9) });
    expect(half).toMatchObject({ width: 2, height: 1 });
    expect([...half.data]).toEqual([9, 9, 9, 9, 9, 9]);
  });
});

describe("analysable (review 2, finding 14)", () => {
  it("takes the kit's own sizes up to 1080p and refuses 4K and 8K frames before any conversion", () => {
    for (const [width, height] of [[640, 480], [1280, 720], [1920, 1080], [1920, 1088]] as const) expect(analysable({ width, height }), `${width}x${height}`).toBe(true);
    for (const [width, height] of [[3840, 2160], [7680, 4320], [1921, 1088], [16384, 128]] as const) expect(analysable({ width, height }), `${width}x${height}`).toBe(false);
    expect(MAX_FRAME_PIXELS).toBe(1920 * 1088);
  });
});

describe("frameTime", () => {
  // The session clock reads 10_000 ms at arrival; the monotonic clock reads 5_000_000 ms then.
  const arrival = 10_000;
  const monotonicNow = 5_000_000;
  const stampedAgo = (ms: number) => BigInt(Math.round((monotonicNow - ms) * 1000));

  it("places a frame at its own receive-side timestamp when it reached JavaScript late", () => {
    expect(frameTime(arrival, stampedAgo(120), monotonicNow)).toBeCloseTo(arrival - 120, 6);
  });

  it("never places a frame after its arrival, nor more than the allowed backdate before it", () => {
    expect(frameTime(arrival, stampedAgo(-50), monotonicNow)).toBe(arrival);
    expect(frameTime(arrival, stampedAgo(FRAME_TIME_MAX_BACKDATE_MS + 300), monotonicNow)).toBe(arrival - FRAME_TIME_MAX_BACKDATE_MS);
  });

  it("falls back to arrival for a missing timestamp or one on another clock", () => {
    expect(frameTime(arrival, 0n, monotonicNow)).toBe(arrival);
    expect(frameTime(arrival, stampedAgo(60_000), monotonicNow)).toBe(arrival);
  });
});
