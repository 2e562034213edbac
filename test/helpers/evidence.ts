import fs from "node:fs";
import path from "node:path";
import type { ChallengeStep, FrameTrace, LivenessEvidence } from "../../shared/candidate.js";

const FRAME_MS = 33;
/** Two still frames, six moving, then a hold longer than any step needs. */
const FRAMES_PER_STEP = 26;

/** A face centred at `cx` with the nose shifted by `yaw` toward the subject's left (negative: right). */
export function poseFrame(t: number, yaw = 0, width = 0.3, faces = 1, cx = 0.5): FrameTrace {
  return {
    t,
    faces,
    score: 0.92,
    box: { x: cx - width / 2, y: 0.2, w: width, h: width },
    keypoints: [
      [cx - 0.08, 0.4],
      [cx + 0.08, 0.4],
      [cx + yaw, 0.5],
      [cx, 0.6],
      [cx - 0.15, 0.45],
      [cx + 0.15, 0.45],
    ],
  };
}

let cachedJpeg: string | undefined;
/** A real camera frame as base64 JPEG: the first frame of the face fixture. */
export function realJpeg(): string {
  if (cachedJpeg) return cachedJpeg;
  const mjpeg = fs.readFileSync(path.resolve(import.meta.dirname, "../../.cache/fixtures/face.mjpeg"));
  const end = mjpeg.indexOf(Buffer.from([0xff, 0xd9])) + 2;
  cachedJpeg = mjpeg.subarray(0, end).toString("base64");
  return cachedJpeg;
}

/**
 * Evidence an honest client would send for `steps`: a steady fit, then each
 * move from its starting pose to its target over ~10 frames at 30 fps.
 */
export function honestEvidence(nonce: string, steps: ChallengeStep[], start = 50): LivenessEvidence {
  let t = start;
  const next = () => (t += FRAME_MS);
  const fit = Array.from({ length: 8 }, () => poseFrame(next()));
  let width = 0.3;
  let yaw = 0;
  const out = steps.map((step) => {
    const frames: FrameTrace[] = [];
    for (let i = 0; i < FRAMES_PER_STEP; i++) {
      const k = Math.min(1, Math.max(0, (i - 2) / 6));
      if (step === "turn_left") yaw = 0.07 * k;
      if (step === "turn_right") yaw = -0.07 * k;
      if (step === "center") yaw = yaw * (1 - k);
      if (step === "move_closer") width = 0.3 * (1 + 0.4 * k);
      frames.push(poseFrame(next(), step === "center" && k === 1 ? 0 : yaw, width));
    }
    return { step, frames };
  });
  return {
    nonce,
    fit,
    steps: out,
    snapshots: [
      { step: 0, t: fit.at(-1)!.t, jpeg: realJpeg() },
      { step: 1, t: out[0]!.frames.at(-1)!.t, jpeg: realJpeg() },
    ],
  };
}

/** Duration in ms of `honestEvidence` for n steps, to wait before submitting. */
export const honestDurationMs = (n: number) => (8 + FRAMES_PER_STEP * n) * FRAME_MS + 100;
