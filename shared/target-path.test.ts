import { describe, expect, it } from "vitest";
import { createHash, randomInt } from "node:crypto";
import { DISTINCT_PATHS_LOG10, TARGET_PATH, generateTargetPath, pathDurationMs, targetAt } from "./target-path.js";

const secure = (max: number) => randomInt(max);
const seeded = (seed: string) => {
  let n = 0;
  return (max: number) => createHash("sha256").update(`${seed}:${n++}`).digest().readUInt32BE(0) % max;
};

describe("generateTargetPath", () => {
  it("starts and ends facing the camera and reaches the required range each way on both axes", () => {
    for (let i = 0; i < 300; i++) {
      const { waypoints } = generateTargetPath(secure);
      expect(waypoints[0]).toEqual({ t: 0, yaw: 0, pitch: 0 });
      expect(waypoints.at(-1)).toMatchObject({ yaw: 0, pitch: 0 });
      expect(waypoints).toHaveLength(TARGET_PATH.waypoints + 2);
      for (const axis of ["yaw", "pitch"] as const) {
        const reach = axis === "yaw" ? TARGET_PATH.minReachYawDeg : TARGET_PATH.minReachPitchDeg;
        const max = axis === "yaw" ? TARGET_PATH.maxYawDeg : TARGET_PATH.maxPitchDeg;
        expect(Math.max(...waypoints.map((w) => w[axis]))).toBeGreaterThanOrEqual(reach);
        expect(Math.min(...waypoints.map((w) => w[axis]))).toBeLessThanOrEqual(-reach);
        for (const w of waypoints) expect(Math.abs(w[axis])).toBeLessThanOrEqual(max);
        // Every pose between start and end is a diagonal: off both axes.
        const min = axis === "yaw" ? TARGET_PATH.minYawDeg : TARGET_PATH.minPitchDeg;
        for (const w of waypoints.slice(1, -1)) expect(Math.abs(w[axis])).toBeGreaterThanOrEqual(min);
      }
      for (let k = 1; k < waypoints.length; k++) expect(waypoints[k]!.t).toBeGreaterThan(waypoints[k - 1]!.t);
      const d = pathDurationMs({ waypoints });
      expect(d).toBeGreaterThan(3000);
      expect(d).toBeLessThan(6000);
    }
  });

  it("is one of astronomically many paths: thousands of draws never repeat, nor share a waypoint sequence", () => {
    expect(DISTINCT_PATHS_LOG10).toBeGreaterThan(20);
    const draws = Array.from({ length: 5000 }, () => generateTargetPath(secure).waypoints);
    expect(new Set(draws.map((w) => JSON.stringify(w))).size).toBe(5000);
    // Not even the poses alone (without timing) repeat: a library indexed by pose order finds no match.
    expect(new Set(draws.map((w) => w.map((p) => `${p.yaw},${p.pitch}`).join(";"))).size).toBe(5000);
  });

  it("is repeatable for a test seed, and seeds differ", () => {
    expect(generateTargetPath(seeded("a"))).toEqual(generateTargetPath(seeded("a")));
    expect(generateTargetPath(seeded("a"))).not.toEqual(generateTargetPath(seeded("b")));
  });
});

describe("targetAt", () => {
  it("passes through every waypoint and moves continuously, at rest on each waypoint", () => {
    const path = generateTargetPath(seeded("smooth"));
    for (const w of path.waypoints) expect(targetAt(path, w.t)).toEqual({ yaw: w.yaw, pitch: w.pitch });
    let prev = targetAt(path, 0);
    let fastest = 0;
    for (let t = 5; t <= pathDurationMs(path); t += 5) {
      const p = targetAt(path, t);
      fastest = Math.max(fastest, Math.abs(p.yaw - prev.yaw) / 5, Math.abs(p.pitch - prev.pitch) / 5);
      prev = p;
    }
    // Smoothstep over ≥ 550 ms gaps of ≤ 36°: at most 1.5 × 36 / 550 ≈ 0.1° per ms.
    expect(fastest).toBeLessThan(0.1);
    const w = path.waypoints[2]!;
    const near = targetAt(path, w.t + 1);
    expect(Math.abs(near.yaw - w.yaw)).toBeLessThan(0.01);
  });
});
