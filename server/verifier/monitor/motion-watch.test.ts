/**
 * Unit tests of the live-video rules on synthetic frames (no analyser): a textured "face" that moves
 * a little all the time (live), the same picture with sensor noise and a wobbling detector box (a
 * still), and a sequence of moments played on a loop. The real-footage figures are measured with
 * scripts/measure-motion.ts (docs/monitoring.md); the monitor end to end in test/e2e.
 */
import { describe, expect, it } from "vitest";
import type { RgbFrame } from "../analyzer/index.js";
import { MOTION } from "./motion-settings.js";
import { type FaceBox, faceThumb, type MotionEvent, MotionWatch, thumbDistance } from "./motion-watch.js";

const W = 320;
const H = 240;
const BOX: FaceBox = { x: 0.3, y: 0.25, w: 0.4, h: 0.55 };

let state = 12345;
const random = () => ((state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32);
const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

/** A smooth texture (a few blobs) whose features sit at `phase`-dependent places: a face mid-expression. */
function frameAt(phase: number, noise = 0): RgbFrame {
  const data = new Uint8Array(W * H * 3);
  const blobs = Array.from({ length: 6 }, (_, k) => ({
    cx: W * (0.38 + 0.24 * ((k * 0.37) % 1)) + 6 * Math.sin(phase * 1.3 + k),
    cy: H * (0.33 + 0.4 * ((k * 0.61) % 1)) + 5 * Math.cos(phase * 0.9 + 2 * k),
    r: 12 + 4 * k,
    v: k % 2 ? 70 : -60,
  }));
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      let v = 120 + 0.15 * x;
      for (const b of blobs) v += b.v * Math.exp(-((x - b.cx) ** 2 + (y - b.cy) ** 2) / (2 * b.r * b.r));
      if (noise) v += noise * gauss();
      const i = (y * W + x) * 3;
      data[i] = data[i + 1] = data[i + 2] = Math.max(0, Math.min(255, Math.round(v)));
    }
  return { width: W, height: H, data };
}

/** The detector's box wobbles by a pixel or so from frame to frame, even on a still picture. */
const wobble = (box: FaceBox): FaceBox => ({ ...box, x: box.x + (random() - 0.5) * (3 / W), y: box.y + (random() - 0.5) * (3 / H) });

/** Feeds samples about every 500 ms (± 40 ms) for `seconds`; returns the events with their times. */
function watch(seconds: number, frameOf: (t: number) => RgbFrame | undefined): { t: number; event: MotionEvent }[] {
  const w = new MotionWatch(MOTION);
  const out: { t: number; event: MotionEvent }[] = [];
  for (let t = 0; t < seconds * 1000; t += 460 + random() * 80) {
    const frame = frameOf(t);
    for (const event of frame ? w.sample(t, frame, wobble(BOX)) : w.sample(t, frameAt(0), undefined)) out.push({ t, event });
  }
  return out;
}

describe("faceThumb", () => {
  it("ignores exposure: the same face brighter and with more contrast gives the same thumbnail", () => {
    const a = frameAt(1);
    const b: RgbFrame = { ...a, data: a.data.map((v) => Math.min(255, Math.round(v * 1.2 + 10))) };
    expect(thumbDistance(faceThumb(a, BOX)!, faceThumb(b, BOX)!)).toBeLessThan(0.01);
  });

  it("has nothing to compare for a box too small or outside the frame", () => {
    expect(faceThumb(frameAt(0), { x: 0.5, y: 0.5, w: 0.02, h: 0.02 })).toBeUndefined();
    expect(faceThumb(frameAt(0), { x: 1.2, y: 0.1, w: 0.3, h: 0.3 })).toBeUndefined();
  });
});

describe("MotionWatch", () => {
  it("raises nothing for a live face that keeps moving a little, for a minute", () => {
    let phase = 0;
    expect(watch(60, () => frameAt((phase += 0.3 + random() * 0.5), 1.5))).toEqual([]);
  });

  it("raises static_video once, after staticMs, for a still picture with sensor noise and a wobbling box", () => {
    const frames = Array.from({ length: 6 }, () => frameAt(2, 1.5));
    const events = watch(40, (t) => frames[Math.floor(t / 40) % frames.length]);
    expect(events.map((e) => e.event.type)).toEqual(["static_video"]);
    expect(events[0]!.t).toBeGreaterThanOrEqual(MOTION.staticMs);
    expect(events[0]!.event).toMatchObject({ seconds: expect.any(Number), threshold: MOTION.staticDiff });
  });

  it("raises looped_video, not static_video, for a moving clip played on a 3 s loop, with its period", () => {
    const moments = Array.from({ length: 75 }, (_, k) => frameAt(k * 0.12, 1));
    const events = watch(40, (t) => moments[Math.floor((t % 3000) / 40)]);
    expect(events.map((e) => e.event.type)).toEqual(["looped_video"]);
    const loop = events[0]!.event as Extract<MotionEvent, { type: "looped_video" }>;
    expect(loop.periodSeconds % 3).toBeLessThan(0.2);
    expect(loop.repeats).toBe(MOTION.loopSamples);
  });

  it("catches a clip played back and forth (a 3 s period) too", () => {
    const moments = Array.from({ length: 38 }, (_, k) => frameAt(k * 0.12, 1));
    const events = watch(40, (t) => {
      const k = Math.floor((t % 3000) / 40);
      return moments[k < 38 ? k : 75 - k];
    });
    expect(events.map((e) => e.event.type)).toContain("looped_video");
  });

  it("starts over when the face goes: a still picture must be still for staticMs again", () => {
    const still = frameAt(3, 1.5);
    // No face for one sample every 8 s: the still never lasts 10 s in a row.
    const events = watch(40, (t) => (t % 8000 < 500 ? undefined : still));
    expect(events).toEqual([]);
  });
});
