import type { FrameTrace, LivenessEvidence } from "../../shared/candidate.js";
import { AppError } from "../errors/index.js";
import type { ChallengeRecord } from "../store/index.js";

/** Frames closer together than this are faster than any webcam delivers (over 120 fps). */
export const MIN_FRAME_INTERVAL_MS = 8;
/** No head turn or lean from one pose to another is quicker than this. */
export const MIN_STEP_MS = 200;
/** Slack for the client's clock starting slightly before the server's response arrives. */
const CLOCK_SLACK_MS = 1500;

/**
 * Rejects evidence no honest client sends: a wrong nonce, steps out of the
 * issued order, impossible timings, or snapshots that are not JPEGs. These
 * are 4xx errors with their own codes, not failed checks.
 */
export function checkStructure(challenge: ChallengeRecord, evidence: LivenessEvidence, elapsedMs: number): void {
  if (evidence.nonce !== challenge.nonce) {
    throw new AppError("nonce_mismatch", "The evidence does not carry this challenge's nonce", "nonce");
  }
  const order = evidence.steps.map((s) => s.step);
  if (order.length !== challenge.steps.length || order.some((step, i) => step !== challenge.steps[i])) {
    throw new AppError(
      "steps_out_of_order",
      `Steps were ${order.join(", ")} but the challenge asked for ${challenge.steps.join(", ")}`,
      "steps",
    );
  }
  checkTimeline([...evidence.fit, ...evidence.steps.flatMap((s) => s.frames)], elapsedMs);
  for (const [i, step] of evidence.steps.entries()) {
    const first = step.frames[0];
    const last = step.frames.at(-1);
    if (first && last && step.frames.length > 1 && last.t - first.t < MIN_STEP_MS && step.step !== "center") {
      throw new AppError(
        "impossible_timing",
        `Step ${i + 1} (${step.step}) took ${Math.round(last.t - first.t)} ms; no one moves that fast`,
        `steps.${i}.frames`,
      );
    }
  }
  for (const [i, snap] of evidence.snapshots.entries()) {
    if (snap.step >= challenge.steps.length) {
      throw new AppError("bad_snapshot", `Snapshot ${i + 1} names step ${snap.step}, which does not exist`, `snapshots.${i}.step`);
    }
    if (!isJpeg(Buffer.from(snap.jpeg, "base64"))) {
      throw new AppError("bad_snapshot", `Snapshot ${i + 1} is not a JPEG image`, `snapshots.${i}.jpeg`);
    }
  }
}

function checkTimeline(frames: FrameTrace[], elapsedMs: number): void {
  for (let i = 1; i < frames.length; i++) {
    const gap = frames[i]!.t - frames[i - 1]!.t;
    if (gap < MIN_FRAME_INTERVAL_MS) {
      throw new AppError(
        "impossible_timing",
        gap <= 0
          ? `Frame times go backwards at frame ${i}`
          : `Frames ${i - 1} and ${i} are ${gap.toFixed(1)} ms apart; no camera is that fast`,
      );
    }
  }
  const last = frames.at(-1);
  if (last && last.t > elapsedMs + CLOCK_SLACK_MS) {
    throw new AppError(
      "impossible_timing",
      `The evidence claims ${Math.round(last.t)} ms but only ${Math.round(elapsedMs)} ms passed since the challenge was issued`,
    );
  }
}

/** JPEG files start with SOI (FF D8 FF) and end with EOI (FF D9). */
export function isJpeg(bytes: Buffer): boolean {
  return (
    bytes.length > 100 &&
    bytes[0] === 0xff &&
    bytes[1] === 0xd8 &&
    bytes[2] === 0xff &&
    bytes[bytes.length - 2] === 0xff &&
    bytes[bytes.length - 1] === 0xd9
  );
}
