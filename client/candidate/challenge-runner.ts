import type { FrameTrace, LivenessChallenge, LivenessEvidence, Snapshot } from "../../shared/candidate.js";
import type { PoseStep } from "../../shared/pose.js";
import { CameraError } from "../camera/index.js";
import type { FaceDetector } from "../face/index.js";
import { type FitHint, fitHint, StepTracker, toTrace } from "./trace.js";

export type ChallengeProgress =
  | { phase: "fit"; hint: FitHint; progress: number }
  | { phase: "step"; index: number; total: number; step: PoseStep; progress: number };

export interface RunOptions {
  video: HTMLVideoElement;
  detector: FaceDetector;
  challenge: LivenessChallenge;
  onProgress: (p: ChallengeProgress) => void;
}

/** Below this many analysed frames a second the camera is too slow to judge movement. */
const MIN_ANALYSED_FPS = 5;
const FIT_FRAMES_KEPT = 60;

/** Grabs a small JPEG of the current frame as base64. */
async function snapshot(video: HTMLVideoElement, step: number, t: number): Promise<Snapshot> {
  const canvas = document.createElement("canvas");
  canvas.width = 320;
  canvas.height = Math.round((320 * (video.videoHeight || 240)) / (video.videoWidth || 320));
  canvas.getContext("2d")!.drawImage(video, 0, 0, canvas.width, canvas.height);
  const blob = await new Promise<Blob>((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("snapshot failed"))), "image/jpeg", 0.7),
  );
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return { step, t, jpeg: btoa(binary) };
}

/**
 * Runs the face fit and then each challenge step on every new camera frame,
 * one instruction at a time, and returns the evidence. Time is counted from
 * when the challenge arrived. A step ends when its move is seen, when the head
 * turns the wrong way, or at its deadline; the server judges the result.
 */
export async function runChallenge(options: RunOptions): Promise<LivenessEvidence> {
  const { video, detector, challenge, onProgress } = options;
  const started = performance.now();
  const fit: FrameTrace[] = [];
  const steps: StepTracker[] = [];
  const snapshots: Snapshot[] = [];
  let fitRun = 0;
  let stepStart = 0;
  let lastMediaTime = -1;
  let analysed = 0;
  let lastFaceAt = 0;

  const nextFrame = () =>
    new Promise<void>((resolve) => {
      if ("requestVideoFrameCallback" in video) video.requestVideoFrameCallback(() => resolve());
      else requestAnimationFrame(() => resolve());
    });

  for (;;) {
    await nextFrame();
    // Only analyse new camera frames: the same frame twice would be a duplicate in the trace.
    if (video.readyState < 2 || video.currentTime === lastMediaTime) continue;
    lastMediaTime = video.currentTime;
    const t = performance.now() - started;
    const last = steps.at(-1)?.frames.at(-1) ?? fit.at(-1);
    if (last && t - last.t < 10) continue;
    const detectStart = performance.now();
    const faces = detector.detect(video, detectStart);
    const detectEnd = performance.now();
    // Named measures let the benchmark read per-frame cost without a second code path.
    performance.measure("verify-kit:detect", { start: detectStart, end: detectEnd });
    if (analysed === 0) performance.mark("verify-kit:first-detection");
    const frame = toTrace(t, faces, video.videoWidth, video.videoHeight);
    analysed++;
    if (t > 3000 && analysed / (t / 1000) < MIN_ANALYSED_FPS) {
      throw new CameraError("LowFrameRate", `${(analysed / (t / 1000)).toFixed(1)} frames analysed per second`);
    }

    if (steps.length === 0) {
      fit.push(frame);
      if (frame.faces > 0) lastFaceAt = t;
      if (fit.length > FIT_FRAMES_KEPT) fit.shift();
      const hint = fitHint(frame);
      fitRun = hint === "hold" ? fitRun + 1 : 0;
      onProgress({ phase: "fit", hint, progress: Math.min(1, fitRun / challenge.minFrames) });
      if (fitRun >= challenge.minFrames) {
        snapshots.push(await snapshot(video, 0, t));
        steps.push(new StepTracker(challenge.steps[0]!));
        stepStart = t;
        onProgress({ phase: "step", index: 0, total: challenge.steps.length, step: challenge.steps[0]!, progress: 0 });
      } else if (t > 20_000 || t - lastFaceAt > 8_000) {
        // No usable face for this long: the hints have had their chance, let the server judge.
        break;
      }
      continue;
    }

    const index = steps.length - 1;
    const tracker = steps[index]!;
    const state = tracker.add(frame);
    const timedOut = t - stepStart > (challenge.deadlines[index] ?? 8000);
    if (state === "wrong_direction" || state === "already_in_pose" || timedOut) break;
    if (state === "done") {
      if (tracker.step !== "center" && snapshots.length < 4) snapshots.push(await snapshot(video, index, t));
      const next = challenge.steps[index + 1];
      onProgress({
        phase: "step",
        index: Math.min(index + 1, challenge.steps.length - 1),
        total: challenge.steps.length,
        step: next ?? tracker.step,
        progress: (index + 1) / challenge.steps.length,
      });
      if (!next) break;
      steps.push(new StepTracker(next));
      stepStart = t;
    }
  }
  // The server wants at least two snapshots; a check that ended early still sends what the camera saw.
  while (snapshots.length < 2) snapshots.push(await snapshot(video, Math.max(0, steps.length - 1), performance.now() - started));
  const order = challenge.steps.map((step, i) => ({ step, frames: steps[i]?.frames ?? [] }));
  return { nonce: challenge.nonce, fit, steps: order, snapshots };
}
