import type { FrameTrace, LivenessChallenge, LivenessEvidence } from "../../shared/candidate.js";
import type { Face, FaceDetector } from "../face/index.js";

export type Hint = "noFace" | "multipleFaces" | "hold";

export interface FaceCheckOptions {
  video: HTMLVideoElement;
  detector: FaceDetector;
  challenge: LivenessChallenge;
  onHint: (hint: Hint, progress: number) => void;
  signal?: AbortSignal;
}

/** Frames with one face the check collects beyond the minimum, as a margin against a borderline frame. */
const MARGIN_FRAMES = 3;
/** Stop early when no face at all has been seen for this long: the hint has had its chance. */
const GIVE_UP_WITHOUT_FACE_MS = 8_000;

/** Turns detections into a trace frame normalised to the video's size. */
export function toTrace(t: number, faces: Face[], width: number, height: number): FrameTrace {
  const first = faces[0];
  if (!first) return { t, faces: 0 };
  return {
    t,
    faces: faces.length,
    score: Math.min(1, Math.max(0, first.score)),
    box: { x: first.box.x / width, y: first.box.y / height, w: first.box.w / width, h: first.box.h / height },
    keypoints: first.keypoints.slice(0, 6).map(([x, y]) => [x / width, y / height] as [number, number]),
  };
}

/**
 * Runs the face-present step on every camera frame until one face has been
 * held long enough or the step's deadline nears, and returns the evidence.
 * Time is counted from when the challenge arrived.
 */
export function runFaceCheck(options: FaceCheckOptions): Promise<LivenessEvidence> {
  const { video, detector, challenge, onHint } = options;
  const started = performance.now();
  const deadline = (challenge.deadlines[0] ?? 15_000) - 500;
  const frames: FrameTrace[] = [];
  let run = 0;
  let lastMediaTime = -1;
  let lastFaceAt = 0;

  return new Promise((resolve, reject) => {
    const finish = () => resolve({ nonce: challenge.nonce, steps: [{ step: "face_present", frames }] });
    const onFrame = () => {
      if (options.signal?.aborted) return reject(options.signal.reason);
      const t = performance.now() - started;
      // Only analyse new camera frames: the same frame twice would be a duplicate in the trace.
      if (video.readyState >= 2 && video.currentTime !== lastMediaTime) {
        lastMediaTime = video.currentTime;
        const faces = detector.detect(video, performance.now());
        const last = frames.at(-1);
        if (!last || t - last.t >= 10) {
          frames.push(toTrace(t, faces, video.videoWidth, video.videoHeight));
          run = faces.length === 1 ? run + 1 : 0;
          if (faces.length > 0) lastFaceAt = t;
          const hint: Hint = faces.length === 0 ? "noFace" : faces.length > 1 ? "multipleFaces" : "hold";
          onHint(hint, Math.min(1, run / (challenge.minFrames + MARGIN_FRAMES)));
        }
      }
      const hopeless = t - lastFaceAt >= GIVE_UP_WITHOUT_FACE_MS;
      if (run >= challenge.minFrames + MARGIN_FRAMES || t >= deadline || hopeless) return finish();
      schedule();
    };
    const schedule = () => {
      if ("requestVideoFrameCallback" in video) video.requestVideoFrameCallback(onFrame);
      else requestAnimationFrame(onFrame);
    };
    schedule();
  });
}
