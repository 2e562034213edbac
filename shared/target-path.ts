import { z } from "zod";

/**
 * The continuous liveness stimulus: a target head pose that moves along a random, smooth path.
 * The kit draws the waypoints per check from a CSPRNG and gives them only to its verifier; the
 * verifier sends the pose point by point, each only when it is due. A recording cannot answer it:
 * the path is one of astronomically many, so following it means producing new poses in real time.
 */

/** Range and pacing of the path, in degrees of head pose asked (yaw + = the subject's left, pitch + = up). */
export const TARGET_PATH = {
  /** Waypoints between the start and the end, both facing the camera. */
  waypoints: 5,
  /** Nominal time between waypoints; each gap is jittered by up to ±`gapJitterMs`. */
  gapMs: 700,
  gapJitterMs: 150,
  /** Quantum of the random timing, ms. */
  timeStepMs: 10,
  /** Largest pose asked: a seated person reaches it comfortably without losing the screen. */
  maxYawDeg: 18,
  maxPitchDeg: 10,
  /**
   * Every waypoint between start and end is off both axes, a diagonal pose (e.g. 12° left and 7°
   * up). Footage of a person's natural movement traces a curve through the pose plane, mostly turns
   * near level; a path of diagonals asks for combinations such footage seldom holds, so a frame
   * lookup over it tracks the pitch poorly (docs/liveness.md, "Frame lookup").
   */
  minYawDeg: 8,
  minPitchDeg: 5,
  /** Every path reaches at least this far each way on each axis (the issue's ±15° yaw, ±8° pitch). */
  minReachYawDeg: 15,
  minReachPitchDeg: 8,
  /** Consecutive waypoints differ by at least this much on yaw, so the head keeps moving. */
  minYawStepDeg: 10,
  /** Quantum of the random angles, degrees. */
  angleStepDeg: 0.5,
  /** How often the verifier sends the current target point, ms. */
  sendEveryMs: 50,
} as const;

/** One waypoint: at `t` ms after the path starts, the pose to be at. */
export const Waypoint = z.object({ t: z.number().int().nonnegative(), yaw: z.number().min(-45).max(45), pitch: z.number().min(-30).max(30) });
export type Waypoint = z.infer<typeof Waypoint>;

/** The path, start (facing) to end (facing), waypoints in time order. */
export const TargetPath = z.object({ waypoints: z.array(Waypoint).min(2).max(20) });
export type TargetPath = z.infer<typeof TargetPath>;

/** A source of random integers in [0, max). */
export type RandomInt = (max: number) => number;

const pick = (random: RandomInt, min: number, max: number, step: number) => min + random(Math.round((max - min) / step) + 1) * step;
/** A magnitude in [min, max] on the `step` grid, with a random sign. */
const pickOffAxis = (random: RandomInt, min: number, max: number, step: number) => (random(2) === 0 ? -1 : 1) * pick(random, min, max, step);

/**
 * Draws a path: facing at t=0, `waypoints` random poses at jittered gaps, facing again at the end.
 * Each pose is off both axes (`min…Deg`, either sign). Yaw changes side in a random rhythm and
 * steps at least `minYawStepDeg`; both axes reach
 * `minReach…` each way at least once (redrawn until they do: rare, and bounded).
 */
export function generateTargetPath(random: RandomInt): TargetPath {
  const p = TARGET_PATH;
  for (let tries = 0; tries < 1000; tries++) {
    const points: Waypoint[] = [{ t: 0, yaw: 0, pitch: 0 }];
    let t = 0;
    for (let i = 0; i <= p.waypoints; i++) {
      t += p.gapMs + pick(random, -p.gapJitterMs, p.gapJitterMs, p.timeStepMs);
      if (i === p.waypoints) {
        points.push({ t, yaw: 0, pitch: 0 });
        break;
      }
      const prev = points.at(-1)!;
      let yaw = pickOffAxis(random, p.minYawDeg, p.maxYawDeg, p.angleStepDeg);
      for (let k = 0; Math.abs(yaw - prev.yaw) < p.minYawStepDeg && k < 50; k++) yaw = pickOffAxis(random, p.minYawDeg, p.maxYawDeg, p.angleStepDeg);
      points.push({ t, yaw, pitch: pickOffAxis(random, p.minPitchDeg, p.maxPitchDeg, p.angleStepDeg) });
    }
    const reaches = (axis: "yaw" | "pitch", min: number) => points.some((w) => w[axis] >= min) && points.some((w) => w[axis] <= -min);
    if (reaches("yaw", p.minReachYawDeg) && reaches("pitch", p.minReachPitchDeg)) return { waypoints: points };
  }
  throw new Error("generateTargetPath: no path reached the required range (a broken random source)");
}

/** Distinct paths `generateTargetPath` can draw, as log10: angles and timings per waypoint (before the reach rule). */
export const DISTINCT_PATHS_LOG10 = (() => {
  const p = TARGET_PATH;
  const perWaypoint =
    Math.log10(2 * ((p.maxYawDeg - p.minYawDeg) / p.angleStepDeg + 1)) +
    Math.log10(2 * ((p.maxPitchDeg - p.minPitchDeg) / p.angleStepDeg + 1)) +
    Math.log10((2 * p.gapJitterMs) / p.timeStepMs + 1);
  return p.waypoints * perWaypoint + Math.log10((2 * p.gapJitterMs) / p.timeStepMs + 1);
})();

/** How long the path lasts, ms. */
export const pathDurationMs = (path: TargetPath): number => path.waypoints.at(-1)!.t;

/** Smoothstep between waypoints: continuous pose and speed, at rest on each waypoint. */
export function targetAt(path: TargetPath, t: number): { yaw: number; pitch: number } {
  const w = path.waypoints;
  if (t <= w[0]!.t) return { yaw: w[0]!.yaw, pitch: w[0]!.pitch };
  for (let i = 1; i < w.length; i++) {
    const a = w[i - 1]!;
    const b = w[i]!;
    if (t <= b.t) {
      const u = (t - a.t) / (b.t - a.t);
      const s = u * u * (3 - 2 * u);
      return { yaw: a.yaw + (b.yaw - a.yaw) * s, pitch: a.pitch + (b.pitch - a.pitch) * s };
    }
  }
  const last = w.at(-1)!;
  return { yaw: last.yaw, pitch: last.pitch };
}
