import type { FaceDetector } from "../face/index.js";
import { type FitHint, fitHint, toTrace } from "./trace.js";

/** Options for {@link guideFit}. */
export interface GuidanceOptions {
  video: HTMLVideoElement;
  /** The detector once it has loaded; guidance simply waits (within its time limit) until then. */
  detector: () => FaceDetector | undefined;
  onHint: (hint: FitHint) => void;
  /** Guidance never holds the candidate longer than this. */
  maxMs?: number;
  /** How long the pose must stay usable to count as steady. */
  steadyMs?: number;
}

/**
 * Shows oval-fit hints from the browser's own detector until one face holds a
 * usable pose, or the time limit passes. Purely advisory: it never throws,
 * never fails the check and nothing it measures leaves the page — the
 * verifier judges the published video itself.
 */
export async function guideFit(options: GuidanceOptions): Promise<void> {
  const { video, onHint, maxMs = 5000, steadyMs = 500 } = options;
  const started = performance.now();
  let steadySince: number | undefined;
  let lastMediaTime = -1;
  let analysed = 0;
  for (;;) {
    await nextFrame(video);
    const now = performance.now();
    if (now - started > maxMs) return;
    const detector = options.detector();
    // Only analyse new camera frames, as the verifier would.
    if (!detector || video.readyState < 2 || video.currentTime === lastMediaTime) continue;
    lastMediaTime = video.currentTime;
    let hint: FitHint;
    try {
      const faces = detector.detect(video, now);
      // Named measures let the benchmark read per-frame cost without a second code path.
      performance.measure("verify-kit:detect", { start: now, end: performance.now() });
      if (analysed++ === 0) performance.mark("verify-kit:first-detection");
      hint = fitHint(toTrace(now - started, faces, video.videoWidth, video.videoHeight));
    } catch {
      return;
    }
    onHint(hint);
    steadySince = hint === "hold" ? (steadySince ?? now) : undefined;
    if (steadySince !== undefined && now - steadySince >= steadyMs) return;
  }
}

/** The next video frame, or 100 ms, whichever is first: a paused or hidden video delivers no frame callbacks. */
function nextFrame(video: HTMLVideoElement): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 100);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    if ("requestVideoFrameCallback" in video) video.requestVideoFrameCallback(done);
    else requestAnimationFrame(done);
  });
}
