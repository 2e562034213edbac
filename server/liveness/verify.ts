import type { FrameTrace, LivenessEvidence, LivenessFailure } from "../../shared/candidate.js";
import type { ChallengeRecord } from "../store/index.js";

/** Frames closer together than this are faster than any webcam delivers (over 120 fps). */
export const MIN_FRAME_INTERVAL_MS = 8;
/** Slack for the client's clock starting slightly before the server's response arrives. */
const CLOCK_SLACK_MS = 1500;
/** A detection below this score does not count as a face. */
export const MIN_FACE_SCORE = 0.6;

export interface Verdict {
  passed: boolean;
  failure?: LivenessFailure;
  reasons: string[];
}

const fail = (failure: LivenessFailure, reason: string): Verdict => ({ passed: false, failure, reasons: [reason] });

/**
 * Re-checks a candidate's liveness evidence against the challenge the server
 * issued. Pure: the caller supplies the server-side elapsed time.
 */
export function verifyEvidence(
  challenge: ChallengeRecord,
  evidence: LivenessEvidence,
  elapsedMs: number,
  minFrames: number,
): Verdict {
  if (evidence.nonce !== challenge.nonce) return fail("NonceMismatch", "the evidence is not for this challenge");
  const order = evidence.steps.map((s) => s.step);
  if (order.length !== challenge.steps.length || order.some((step, i) => step !== challenge.steps[i])) {
    return fail("ImpossibleTiming", `steps were ${order.join(",")} but ${challenge.steps.join(",")} was issued`);
  }
  const frames = evidence.steps.flatMap((s) => s.frames);
  const timing = checkTiming(frames, elapsedMs);
  if (timing) return timing;
  const reasons: string[] = [];
  for (const [i, step] of evidence.steps.entries()) {
    const deadline = challenge.deadlines[i] ?? Infinity;
    const late = step.frames.find((f) => f.t > deadline);
    if (late) return fail("Timeout", `step ${i + 1} (${step.step}) ran past its deadline of ${deadline} ms`);
    const verdict = checkFacePresent(step.frames, minFrames);
    if (!verdict.passed) return verdict;
    reasons.push(...verdict.reasons);
  }
  return { passed: true, reasons };
}

function checkTiming(frames: FrameTrace[], elapsedMs: number): Verdict | undefined {
  for (let i = 1; i < frames.length; i++) {
    const gap = frames[i]!.t - frames[i - 1]!.t;
    if (gap < MIN_FRAME_INTERVAL_MS) {
      return fail("ImpossibleTiming", `frames ${i - 1} and ${i} are ${gap.toFixed(1)} ms apart; no camera is that fast`);
    }
  }
  const last = frames.at(-1);
  if (last && last.t > elapsedMs + CLOCK_SLACK_MS) {
    return fail(
      "ImpossibleTiming",
      `evidence claims ${Math.round(last.t)} ms but only ${Math.round(elapsedMs)} ms passed since the challenge was issued`,
    );
  }
  return undefined;
}

/** Passes when the trace ends with `minFrames` consecutive frames of exactly one confident face. */
function checkFacePresent(frames: FrameTrace[], minFrames: number): Verdict {
  if (frames.length < minFrames) return fail("TooFewFrames", `${frames.length} frames analysed, ${minFrames} needed`);
  if (frames.some((f) => f.faces > 1)) return fail("MultipleFaces", "more than one face was in view");
  let run = 0;
  let best = 0;
  for (const f of frames) {
    run = f.faces === 1 && (f.score ?? 0) >= MIN_FACE_SCORE ? run + 1 : 0;
    best = Math.max(best, run);
  }
  if (best === 0) return fail("NoFace", "no face was detected");
  if (best < minFrames) return fail("NoFace", `a face was held for ${best} frames in a row, ${minFrames} needed`);
  return { passed: true, reasons: [`one face held for ${best} consecutive frames`] };
}
