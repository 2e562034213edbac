import { describe, expect, it } from "vitest";
import type { PromptStep } from "../../../shared/verification.js";
import { type JudgeAction, type Observation, ReactiveJudge } from "./reactive-judge.js";
import { JUDGE } from "./thresholds.js";

// Unit test of the judge's rules on synthetic observations (the analyser is not involved here;
// the end-to-end suites drive the real analyser with real recorded faces).
const FRAME_MS = 100;
const facing: Observation = { faces: 1, yawDeg: -3, width: 0.3 };
const pose = (step: PromptStep | "facing", amount = 1): Observation =>
  step === "move_closer"
    ? { faces: 1, yawDeg: -3, width: 0.3 * (1 + 0.4 * amount) }
    : step === "facing"
      ? facing
      : { faces: 1, yawDeg: -3 + (step === "turn_left" ? 10 : -10) * amount, width: 0.3 };

/** Drives a judge at 10 fps with a function choosing the observation from the last prompt. */
function run(
  steps: PromptStep[],
  delays: number[],
  behave: (t: number, prompt: { step: PromptStep; at: number } | undefined) => Observation | undefined,
  untilMs = 60_000,
) {
  const judge = new ReactiveJudge(steps, delays);
  const actions: JudgeAction[] = [];
  let prompt: { step: PromptStep; at: number } | undefined;
  for (let t = 0; t <= untilMs && !judge.finished; t += FRAME_MS) {
    const o = behave(t, prompt);
    const out = o ? judge.observe(t, o) : judge.tick(t);
    for (const a of out) if (a.type === "prompt") prompt = { step: a.step, at: t };
    actions.push(...out);
  }
  const verdict = actions.find((a) => a.type === "verdict");
  return { actions, verdict: verdict?.type === "verdict" ? verdict.verdict : undefined };
}

/** A cooperative person: reacts after `reactionMs`, moves over 300 ms, holds 600 ms, returns. */
const cooperative =
  (reactionMs = 400, holdMs = 600) =>
  (t: number, p: { step: PromptStep; at: number } | undefined): Observation => {
    if (!p) return facing;
    const since = t - p.at - reactionMs;
    if (since < 0) return facing;
    if (since < 300) return pose(p.step, since / 300);
    if (since < 300 + holdMs) return pose(p.step);
    return facing;
  };

const STEPS: PromptStep[] = ["turn_left", "move_closer", "turn_right"];
const DELAYS = [800, 1500, 600];

describe("ReactiveJudge", () => {
  it("passes a cooperative person, with onset, reach and hold recorded per step", () => {
    const { verdict, actions } = run(STEPS, DELAYS, cooperative());
    expect(verdict).toMatchObject({ passed: true });
    expect(verdict!.steps.map((s) => s.step)).toEqual(STEPS);
    for (const s of verdict!.steps) {
      expect(s.onsetAt! - s.promptAt).toBeGreaterThanOrEqual(JUDGE.minReactionMs);
      expect(s.doneAt! - s.reachedAt!).toBeGreaterThanOrEqual(s.step === "move_closer" ? JUDGE.holdMs.closer : JUDGE.holdMs.turn);
    }
    expect(actions.filter((a) => a.type === "prompt").map((a) => (a as { step: string }).step)).toEqual(STEPS);
    expect(actions.filter((a) => a.type === "snapshot")).toHaveLength(4);
  });

  it("prompts only after each server-chosen pause", () => {
    const { verdict } = run(STEPS, [2000, 600, 1200], cooperative());
    const [a, b, c] = verdict!.steps;
    // The first pause starts when the fit completes (5 frames); the others when the return is steady.
    expect(a!.promptAt).toBeGreaterThanOrEqual(2000);
    expect(b!.promptAt - a!.doneAt!).toBeGreaterThanOrEqual(600);
    expect(c!.promptAt - b!.doneAt!).toBeGreaterThanOrEqual(1200);
  });

  it("fails NoVideo when no frame ever arrives", () => {
    expect(run(STEPS, DELAYS, () => undefined).verdict).toMatchObject({ passed: false, failure: "NoVideo" });
  });

  it("fails NoFace when no face is seen during the fit", () => {
    expect(run(STEPS, DELAYS, () => ({ faces: 0 })).verdict).toMatchObject({ passed: false, failure: "NoFace" });
  });

  it("fails MultipleFaces when two faces stay in view", () => {
    expect(run(STEPS, DELAYS, () => ({ ...facing, faces: 2 })).verdict).toMatchObject({ failure: "MultipleFaces" });
    const later = run(STEPS, DELAYS, (t) => (t > 3000 ? { ...facing, faces: 2 } : facing));
    expect(later.verdict).toMatchObject({ failure: "MultipleFaces" });
  });

  it("fails a still photo: the move never starts", () => {
    expect(run(STEPS, DELAYS, () => facing).verdict).toMatchObject({ passed: false, failure: "TooSlow" });
  });

  it("fails a head that moves while no prompt shows (a looping replay)", () => {
    const loop = (t: number) => pose("turn_left", Math.max(0, Math.sin((2 * Math.PI * t) / 3000)));
    expect(run(STEPS, DELAYS, loop).verdict).toMatchObject({ passed: false, failure: "MovedBeforePrompt" });
  });

  it("fails a move that starts sooner than a person can react", () => {
    const { verdict } = run(STEPS, DELAYS, cooperative(0));
    expect(verdict).toMatchObject({ passed: false, failure: "MovedBeforePrompt" });
  });

  it("fails a turn the wrong way", () => {
    const wrong = (t: number, p: { step: PromptStep; at: number } | undefined) => {
      if (!p || t - p.at < 400) return facing;
      return pose(p.step === "turn_left" ? "turn_right" : p.step === "turn_right" ? "turn_left" : p.step);
    };
    expect(run(STEPS, DELAYS, wrong).verdict).toMatchObject({ passed: false, failure: "WrongDirection" });
  });

  it("fails a pose reached but not held", () => {
    expect(run(STEPS, DELAYS, cooperative(400, 100)).verdict).toMatchObject({ passed: false, failure: "TooSlow" });
  });

  it("fails a candidate who never faces the camera again", () => {
    const stuck = (t: number, p: { step: PromptStep; at: number } | undefined) =>
      !p || t - p.at < 400 ? facing : pose(p.step);
    expect(run(STEPS, DELAYS, stuck).verdict).toMatchObject({ passed: false, failure: "TooSlow" });
  });

  it("fails when the face leaves mid-check", () => {
    const leaves = (t: number, p: { step: PromptStep; at: number } | undefined) => (p ? { faces: 0 } : facing);
    expect(run(STEPS, DELAYS, leaves).verdict).toMatchObject({ passed: false, failure: "NoFace" });
  });

  it("reports its stage: waiting for video, fitting, then steps", () => {
    const judge = new ReactiveJudge(STEPS, DELAYS);
    expect(judge.stage).toBe("waiting_video");
    judge.observe(0, facing);
    expect(judge.stage).toBe("fit");
    for (let t = 100; t < 600; t += 100) judge.observe(t, facing);
    expect(judge.stage).toBe("steps");
  });

  it("keeps a trace of every frame relative to the baseline", () => {
    const judge = new ReactiveJudge(STEPS, DELAYS);
    for (let t = 0; t < 1000; t += 100) judge.observe(t, facing);
    expect(judge.trace).toHaveLength(10);
    expect(judge.trace.at(-1)).toMatchObject({ faces: 1, yaw: 0, scale: 1 });
  });
});
