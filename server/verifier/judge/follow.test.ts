/**
 * Unit tests of the follow step's judge on synthetic traces (no camera, no analyser): a follower
 * with a human lag and gain, and the recorded-answer shapes that must fail. The real-media cases
 * are in test/e2e/follow.e2e.test.ts.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { type TargetPath, generateTargetPath, pathDurationMs, targetAt } from "../../../shared/target-path.js";
import { type JudgeAction, type Observation, ReactiveJudge } from "./reactive-judge.js";
import { type Point, homographyResidual } from "./planarity.js";
import { FOLLOW } from "./thresholds.js";
import { fitTracking } from "./tracking.js";

const seeded = (seed: string) => {
  let n = 0;
  return (max: number) => createHash("sha256").update(`${seed}:${n++}`).digest().readUInt32BE(0) % max;
};
/** Deterministic noise in [-1, 1]. */
const noise = (seed: string) => {
  const r = seeded(seed);
  return () => r(20001) / 10000 - 1;
};

/** A head-like set of 3D points (x right, y down, z toward the camera), eye distance 60. */
const HEAD: [number, number, number][] = [
  [-30, -10, 0], [30, -10, 0], [0, 15, 35], [0, 10, 28], [0, -5, 20], [0, -12, 15], [-12, -10, 5], [12, -10, 5],
  [-20, 35, 10], [20, 35, 10], [0, 60, 5], [0, -50, 5], [-55, 0, -30], [55, 0, -30], [-50, 30, -25], [50, 30, -25],
  [-40, 50, -15], [40, 50, -15], [-30, 60, -10], [30, 60, -10],
];

/** Projects the points turned by yaw/pitch (degrees) with a pinhole camera 600 px away; `flat` squashes depth first. */
function project(yawDeg: number, pitchDeg: number, flat = false): Point[] {
  const a = (yawDeg * Math.PI) / 180;
  const b = (pitchDeg * Math.PI) / 180;
  return HEAD.map(([x, y, z0]) => {
    // A real face is about 0.7 of its width deep from nose tip to cheek outline (the mesh-face measurement).
    const z = flat ? 0 : z0 * 1.4;
    const x1 = x * Math.cos(a) + z * Math.sin(a);
    const z1 = -x * Math.sin(a) + z * Math.cos(a);
    const y2 = y * Math.cos(b) - z1 * Math.sin(b);
    const z2 = y * Math.sin(b) + z1 * Math.cos(b);
    const f = 600 / (600 - z2);
    return [160 + x1 * f, 120 + y2 * f] as Point;
  });
}

interface Responder {
  (tSinceStart: number, target: { yaw: number; pitch: number }): { yaw: number; pitch: number; landmarks?: Point[]; faces?: number; width?: number; cx?: number };
}

/** Runs a whole check: fit frames, the pause, the follow step; frames every `frameMs`. */
function run(path: TargetPath, respond: Responder, frameMs = 100, settings = FOLLOW, flat = false): { actions: JudgeAction[]; judge: ReactiveJudge; verdictAfterPathMs?: number } {
  const judge = new ReactiveJudge(["follow"], [800], undefined, path, settings);
  const actions: JudgeAction[] = [];
  let followStart: number | undefined;
  let verdictAfterPathMs: number | undefined;
  for (let t = 0; t < 20_000 && !judge.finished; t += frameMs) {
    const promptNow = actions.find((a) => a.type === "prompt");
    if (promptNow && followStart === undefined) followStart = t - frameMs;
    const since = followStart === undefined ? -1 : t - followStart;
    const target = since >= 0 ? targetAt(path, since) : { yaw: 0, pitch: 0 };
    const r = since >= 0 ? respond(since, target) : { yaw: 0, pitch: 0, landmarks: project(0, 0, flat) };
    const o: Observation = {
      faces: r.faces ?? 1,
      yawDeg: r.yaw,
      pitchDeg: r.pitch,
      width: r.width ?? 0.3,
      cx: r.cx ?? 0.5,
      cy: 0.45,
      ...(r.landmarks ? { landmarks: r.landmarks } : {}),
    };
    const out = judge.observe(t, o);
    if (out.some((a) => a.type === "verdict") && followStart !== undefined) verdictAfterPathMs = t - followStart - pathDurationMs(path);
    actions.push(...out);
  }
  return { actions, judge, ...(verdictAfterPathMs !== undefined ? { verdictAfterPathMs } : {}) };
}

/** A person: follows with a lag, about half the asked angle as the analyser reads it, and jitter; a real head's landmarks. */
const person = (path: TargetPath, lagMs = 350, seed = "p"): Responder => {
  const n = noise(seed);
  return (t) => {
    const x = targetAt(path, t - lagMs);
    const yaw = 0.5 * x.yaw + 0.4 * n();
    const pitch = 0.45 * x.pitch + 0.4 * n();
    return { yaw, pitch, landmarks: project(yaw * 2, pitch * 2) };
  };
};

const verdict = (actions: JudgeAction[]) => actions.find((a) => a.type === "verdict")!.verdict;
const paths = ["p1", "p2", "p3", "p4", "p5", "p6"].map((s) => generateTargetPath(seeded(s)));

describe("follow step", () => {
  it("passes a person following each of six random paths at 10 and at 4 analysed frames a second", () => {
    for (const [i, path] of paths.entries()) {
      for (const frameMs of [100, 250]) {
        const { actions } = run(path, person(path, 300 + i * 40, `n${i}`), frameMs);
        const v = verdict(actions);
        expect(v.passed, `${i} @${frameMs}: ${v.reasons.at(-1)}`).toBe(true);
        expect(v.steps[0]!.follow!.lagMs).toBeGreaterThanOrEqual(300 + i * 40 - 60);
        expect(v.steps[0]!.follow!.lagMs).toBeLessThanOrEqual(300 + i * 40 + 60);
      }
    }
  });

  it("judges a pass once the frames cover the path at its fitted lag, before the tail is over; a failure waits for the whole tail", () => {
    for (const [i, path] of paths.slice(0, 3).entries()) {
      const lagMs = 300 + i * 100;
      const pass = run(path, person(path, lagMs, `e${i}`));
      expect(verdict(pass.actions).passed).toBe(true);
      // Frames every 100 ms: the first at or past the path's end + the fitted lag + the margin.
      expect(pass.verdictAfterPathMs).toBeGreaterThanOrEqual(lagMs - 60 + FOLLOW.earlyMarginMs);
      expect(pass.verdictAfterPathMs).toBeLessThan(FOLLOW.tailMs);
      const still = run(path, () => ({ yaw: 0.3, pitch: -0.2, landmarks: project(0, 0) }));
      expect(verdict(still.actions).passed).toBe(false);
      expect(still.verdictAfterPathMs).toBeGreaterThanOrEqual(FOLLOW.tailMs);
    }
    // A follower at the longest human lag has no tail to spare.
    const slow = run(paths[3]!, person(paths[3]!, 880, "slow"));
    expect(verdict(slow.actions).passed).toBe(true);
    expect(slow.verdictAfterPathMs).toBeGreaterThanOrEqual(FOLLOW.tailMs);
  });

  it("sends each target point only when it is due, never ahead, and the last one facing the camera", () => {
    const path = paths[0]!;
    const judge = new ReactiveJudge(["follow"], [800], undefined, path);
    const sent: { t: number; seq: number; yaw: number }[] = [];
    let promptAt: number | undefined;
    for (let t = 0; t <= 12_000 && !judge.finished; t += 20) {
      const out = t % 100 === 0 ? judge.observe(t, { faces: 1, yawDeg: 0, pitchDeg: 0, width: 0.3 }) : judge.tick(t);
      for (const a of out) {
        if (a.type === "prompt") promptAt = t;
        if (a.type === "target") sent.push({ t, seq: a.seq, yaw: a.yaw });
      }
    }
    expect(promptAt).toBeDefined();
    expect(sent.length).toBeGreaterThan(pathDurationMs(path) / 100);
    for (const s of sent) expect(s.seq * 50).toBeLessThanOrEqual(s.t - promptAt! + 1e-9);
    expect(sent.at(-1)!.yaw).toBe(0);
  });

  it("fails a response that leads the target (computed from the path, not followed)", () => {
    const path = paths[1]!;
    const v = verdict(run(path, person(path, -150)).actions);
    expect(v).toMatchObject({ passed: false, failure: "NotFollowing" });
    expect(v.reasons.at(-1)).toMatch(/led the target/);
  });

  it("fails a still face, and a face that turns but ignores the pitch (a turning clip)", () => {
    const path = paths[2]!;
    expect(verdict(run(path, () => ({ yaw: 0.3, pitch: -0.2, landmarks: project(0, 0) })).actions)).toMatchObject({ passed: false, failure: "NotFollowing" });
    const n = noise("clip");
    const clip = verdict(run(path, (t) => ({ yaw: 6 * Math.sin(t / 400) + 0.3 * n(), pitch: 0.3 * n(), landmarks: project(12 * Math.sin(t / 400), 0) })).actions);
    expect(clip).toMatchObject({ passed: false, failure: "NotFollowing" });
  });

  it("fails a smooth follower of the yaw that nods a third as far as asked (a frame lookup over natural footage) as `NotFollowing`", () => {
    // The live pose lookup over cap12 measured yaw gain 0.41–0.47, pitch gain 0.20–0.26: natural footage holds few diagonals.
    for (const path of paths) {
      const n = noise("lookup");
      const v = verdict(
        run(path, (t) => {
          const x = targetAt(path, t - 350);
          const yaw = 0.45 * x.yaw + 0.4 * n();
          const pitch = 0.25 * x.pitch + 0.4 * n();
          return { yaw, pitch, landmarks: project(yaw * 2, pitch * 2) };
        }).actions,
      );
      expect(v).toMatchObject({ passed: false, failure: "NotFollowing" });
      expect(v.reasons.at(-1)).toMatch(/the pitch moved 0\.2\d° per degree asked/);
    }
  });

  it("fails four stills switched to the nearest pose as `Discontinuous` or `NotFollowing`", () => {
    for (const path of paths) {
      const stills = [
        { yaw: 0, pitch: 0 },
        { yaw: 8, pitch: 0 },
        { yaw: -8, pitch: 0 },
        { yaw: 0, pitch: 4 },
      ];
      const v = verdict(
        run(path, (t) => {
          const x = targetAt(path, t - 300);
          const want = { yaw: 0.5 * x.yaw, pitch: 0.5 * x.pitch };
          const s = stills.reduce((a, b) => (Math.hypot(b.yaw - want.yaw, b.pitch - want.pitch) < Math.hypot(a.yaw - want.yaw, a.pitch - want.pitch) ? b : a));
          return { ...s, landmarks: project(s.yaw * 2, s.pitch * 2) };
        }).actions,
      );
      expect(v.passed).toBe(false);
      expect(["Discontinuous", "NotFollowing"]).toContain(v.failure);
    }
  });

  it("fails a pose lookup that follows well but cuts between recorded moments (the face box jumps) as `Discontinuous`", () => {
    const path = paths[0]!;
    const p = person(path);
    // The same follower, but every 700 ms the frame comes from another moment: the face sits elsewhere and nearer.
    const v = verdict(run(path, (t, x) => ({ ...p(t, x), width: Math.floor(t / 700) % 2 ? 0.36 : 0.3, cx: Math.floor(t / 700) % 2 ? 0.55 : 0.5 })).actions);
    expect(v).toMatchObject({ passed: false, failure: "Discontinuous" });
    expect(v.reasons.at(-1)).toMatch(/jumped in the frame/);
    // A person leaning in smoothly by as much over a second is not a cut, at 10 or at 4 analysed frames a second.
    const leaning: Responder = (t, x) => ({ ...p(t, x), width: 0.3 * (1 + 0.2 * Math.min(1, Math.max(0, (t - 1000) / 1000))) });
    expect(verdict(run(path, leaning, 250).actions).passed).toBe(true);
    const lean = verdict(run(path, leaning).actions);
    expect(lean.passed, lean.reasons.at(-1)).toBe(true);
  });

  it("fails a flat picture turned exactly along the path as `FlatFace`, even when the analyser reads the turn", () => {
    const path = paths[3]!;
    const v = verdict(
      run(path, (t) => {
        const x = targetAt(path, t - 350);
        return { yaw: 0.5 * x.yaw, pitch: 0.45 * x.pitch, landmarks: project(x.yaw * 1.5, x.pitch * 1.5, true) };
      }, 100, FOLLOW, true).actions,
    );
    expect(v).toMatchObject({ passed: false, failure: "FlatFace" });
  });

  it("fails a person who leaves the frame mid-path as `NoFace`, and two faces as `MultipleFaces`", () => {
    const path = paths[4]!;
    const p = person(path);
    expect(verdict(run(path, (t, x) => (t > 1500 ? { ...p(t, x), faces: 0 } : p(t, x))).actions)).toMatchObject({ failure: "NoFace" });
    expect(verdict(run(path, (t, x) => (t > 1500 ? { ...p(t, x), faces: 2 } : p(t, x))).actions)).toMatchObject({ failure: "MultipleFaces" });
  });
});

describe("homographyResidual", () => {
  it("is ~0 for one flat picture moved in perspective, and a share of the eye distance for a turned head", () => {
    const front = project(0, 0);
    for (const [yaw, pitch] of [[20, 0], [-20, 8], [10, -10]] as const) {
      expect(homographyResidual(project(0, 0, true), project(yaw, pitch, true)) / 60).toBeLessThan(0.002);
      expect(homographyResidual(front, project(yaw, pitch)) / 60).toBeGreaterThan(0.02);
    }
  });
});

describe("fitTracking", () => {
  it("recovers the lag and gain of a follower, and finds no lag for too few frames", () => {
    const path = paths[5]!;
    const p = person(path, 420);
    const samples = Array.from({ length: 50 }, (_, i) => ({ t: i * 100, ...p(i * 100, { yaw: 0, pitch: 0 }) }));
    const fit = fitTracking(samples, path, { fromMs: -400, toMs: 1500, stepMs: 10, minSamples: 10 })!;
    expect(Math.abs(fit.lagMs - 420)).toBeLessThanOrEqual(30);
    expect(fit.yaw.gain).toBeCloseTo(0.5, 1);
    expect(fit.yaw.r).toBeGreaterThan(0.95);
    expect(fitTracking(samples.slice(0, 5), path, { fromMs: 0, toMs: 100, stepMs: 10, minSamples: 10 })).toBeUndefined();
  });
});
