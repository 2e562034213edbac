import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { type TargetPath, generateTargetPath } from "../../../shared/target-path.js";
import { type JudgeAction, type Observation, ReactiveJudge } from "./reactive-judge.js";

// Unit test of the judge's life cycle on synthetic observations (the analyser is not involved):
// the fit, the server-chosen pause, the failures before and around the follow step. How a follow
// step is judged (tracking, coherence, depth) is in follow.test.ts; real media in the e2e suites.
const FRAME_MS = 100;
const facing: Observation = { faces: 1, yawDeg: -3, pitchDeg: 2, width: 0.3 };
let draws = 0;
const PATH: TargetPath = generateTargetPath((max) => createHash("sha256").update(`judge-test:${draws++}`).digest().readUInt32BE(0) % max);
const DELAY = 800;

/** Drives a judge at 10 fps with a function choosing the observation (undefined: no frame). */
function run(behave: (t: number, promptAt: number | undefined) => Observation | undefined, delay = DELAY, untilMs = 60_000) {
  const judge = new ReactiveJudge(["follow"], [delay], undefined, PATH);
  const actions: { t: number; action: JudgeAction }[] = [];
  let promptAt: number | undefined;
  for (let t = 0; t <= untilMs && !judge.finished; t += FRAME_MS) {
    const o = behave(t, promptAt);
    const out = o ? judge.observe(t, o) : judge.tick(t);
    for (const action of out) {
      if (action.type === "prompt") promptAt = t;
      actions.push({ t, action });
    }
  }
  const verdict = actions.find((a) => a.action.type === "verdict")?.action;
  return { actions, verdict: verdict?.type === "verdict" ? verdict.verdict : undefined, judge };
}

describe("ReactiveJudge (the follow challenge's life cycle)", () => {
  it("judges only the follow step: a retired discrete move, or a follow step without a path, is refused at construction", () => {
    expect(() => new ReactiveJudge(["turn_left"], [800], undefined, PATH)).toThrow(/only follow/);
    expect(() => new ReactiveJudge(["follow"], [800])).toThrow(/target path/);
  });

  it("fits a baseline, then prompts follow only after the server-chosen pause, and sends targets only from then on", () => {
    const { actions } = run(() => facing, 1_500, 4_000);
    const fitDone = actions.find((a) => a.action.type === "snapshot")!.t;
    const prompt = actions.find((a) => a.action.type === "prompt")!;
    expect(prompt.action).toMatchObject({ step: "follow", index: 0, total: 1 });
    expect(prompt.t - fitDone).toBeGreaterThanOrEqual(1_500);
    const firstTarget = actions.find((a) => a.action.type === "target")!;
    expect(firstTarget.t).toBe(prompt.t);
  });

  it("fails NoVideo when no frame ever arrives", () => {
    expect(run(() => undefined).verdict).toMatchObject({ passed: false, failure: "NoVideo" });
  });

  it("fails NoFace when no face is seen during the fit", () => {
    expect(run(() => ({ faces: 0 })).verdict).toMatchObject({ passed: false, failure: "NoFace" });
  });

  it("fails MultipleFaces when two faces stay in view during the fit, or once the check runs", () => {
    expect(run(() => ({ ...facing, faces: 2 })).verdict).toMatchObject({ failure: "MultipleFaces" });
    expect(run((t) => (t > 1_000 ? { ...facing, faces: 2 } : facing)).verdict).toMatchObject({ failure: "MultipleFaces" });
  });

  it("fails a head that moves while the pause runs and no target shows (a looping replay)", () => {
    const loop = (t: number): Observation => ({ ...facing, yawDeg: -3 + 10 * Math.max(0, Math.sin((2 * Math.PI * t) / 3_000)) });
    expect(run(loop, 2_000).verdict).toMatchObject({ passed: false, failure: "MovedBeforePrompt" });
  });

  it("fails a still face: it never follows the target", () => {
    expect(run(() => facing).verdict).toMatchObject({ passed: false, failure: "NotFollowing" });
  });

  it("fails when the face leaves once the target moves", () => {
    expect(run((_t, promptAt) => (promptAt !== undefined ? { faces: 0 } : facing)).verdict).toMatchObject({ passed: false, failure: "NoFace" });
  });

  it("reports its stage: waiting for video, fitting, then steps", () => {
    const judge = new ReactiveJudge(["follow"], [DELAY], undefined, PATH);
    expect(judge.stage).toBe("waiting_video");
    judge.observe(0, facing);
    expect(judge.stage).toBe("fit");
    for (let t = 100; t < 600; t += 100) judge.observe(t, facing);
    expect(judge.stage).toBe("steps");
  });

  it("keeps a trace of every frame relative to the baseline", () => {
    const judge = new ReactiveJudge(["follow"], [DELAY], undefined, PATH);
    for (let t = 0; t < 1_000; t += 100) judge.observe(t, facing);
    expect(judge.trace).toHaveLength(10);
    expect(judge.trace.at(-1)).toMatchObject({ faces: 1, yaw: 0, pitch: 0, scale: 1 });
  });
});
