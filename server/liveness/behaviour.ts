import type { FrameTrace, LivenessEvidence, LivenessFailure } from "../../shared/candidate.js";
import { type PoseStep, StepJudge, yawRatio } from "../../shared/pose.js";
import type { ChallengeRecord } from "../store/index.js";

/** A detection below this score does not count as a face. */
export const MIN_FACE_SCORE = 0.6;
/** Share of a step's frames that must show exactly one confident face. */
const MIN_FACE_SHARE = 0.7;
const MIN_STEP_FRAMES = 3;

export interface Verdict {
  passed: boolean;
  failure?: LivenessFailure;
  reasons: string[];
}

const fail = (failure: LivenessFailure, reason: string): Verdict => ({ passed: false, failure, reasons: [reason] });
const hasFace = (f: FrameTrace) => f.faces === 1 && (f.score ?? 0) >= MIN_FACE_SCORE;
const ratioOf = (f: FrameTrace) => (f.keypoints ? yawRatio(f.keypoints) : undefined);
const widthOf = (f: FrameTrace) => f.box?.w ?? 0;

/**
 * Re-runs the challenge on the submitted trace: one face throughout, each
 * step started from the previous pose, moved the way it asked, held for
 * `POSE.holdFrames` frames, within its deadline.
 */
export function checkBehaviour(challenge: ChallengeRecord, evidence: LivenessEvidence, minFitFrames: number): Verdict {
  const all = [...evidence.fit, ...evidence.steps.flatMap((s) => s.frames)];
  if (all.some((f) => f.faces > 1)) return fail("MultipleFaces", "more than one face was in view");
  if (evidence.fit.filter(hasFace).length < minFitFrames) {
    return fail(all.some(hasFace) ? "TooFewFrames" : "NoFace", "no steady face before the first step");
  }
  const reasons: string[] = [];
  for (const [i, { step, frames }] of evidence.steps.entries()) {
    const label = `step ${i + 1} (${step})`;
    if (frames.length < MIN_STEP_FRAMES) return fail("TooFewFrames", `${label}: ${frames.length} frames`);
    const span = frames.at(-1)!.t - frames[0]!.t;
    const deadline = challenge.deadlines[i] ?? Infinity;
    if (span > deadline) return fail("Timeout", `${label} took ${Math.round(span)} ms, over its ${deadline} ms`);
    const faces = frames.filter(hasFace);
    if (faces.length / frames.length < MIN_FACE_SHARE) {
      return fail("NoFace", `${label}: a face was visible in only ${faces.length} of ${frames.length} frames`);
    }
    const verdict = checkStep(step as PoseStep, faces, label);
    if (!verdict.passed) return verdict;
    reasons.push(...verdict.reasons);
  }
  return { passed: true, reasons };
}

function checkStep(step: PoseStep, faces: FrameTrace[], label: string): Verdict {
  const judge = new StepJudge(step);
  for (const f of faces) {
    const state = judge.add(f.t, ratioOf(f), widthOf(f));
    if (state === "already_in_pose") return fail("AlreadyInPose", `${label}: the pose was already held when the step began`);
    if (state === "wrong_direction") {
      return fail("WrongDirection", `${label}: turned the wrong way (yaw ratio ${judge.measure.toFixed(2)})`);
    }
    if (state === "done") {
      const detail =
        step === "move_closer" ? `face width ${judge.measure.toFixed(2)}× the start` : `yaw ratio ${judge.measure.toFixed(2)}`;
      return { passed: true, reasons: [`${label}: done, ${detail}`] };
    }
  }
  return fail("StepNotCompleted", `${label}: the requested move was not seen`);
}
