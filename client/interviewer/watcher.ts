import type { Observation, Rechallenge } from "../../shared/monitoring.js";
import { StepTracker, toTrace } from "../candidate/trace.js";
import type { FaceDetector } from "../face/index.js";
import { FaceWatch } from "./monitor.js";

const RESULT_DETAIL = {
  done: "move seen on the received video",
  wrong_direction: "turned the wrong way",
  already_in_pose: "already in the pose when asked, so no move was seen",
  expired: "move not seen in time",
} as const;

/** Samples per second of face detection on the received video: enough to notice, cheap on the CPU. */
export const SAMPLES_PER_SECOND = 4;

/**
 * Runs face detection on the candidate's received video a few times a second
 * and reports observations; also judges re-challenges on the same frames.
 */
export class RemoteFaceWatcher {
  private readonly faces = new FaceWatch();
  private timer: ReturnType<typeof setInterval> | undefined;
  private video: HTMLVideoElement | undefined;
  private pending: { challenge: Rechallenge; tracker: StepTracker; deadline: number } | undefined;
  private readonly started = performance.now();
  faceState = "watching…";

  constructor(
    private readonly detector: FaceDetector,
    private readonly report: (o: Observation) => void,
  ) {}

  /** Watches this video element (the candidate's current track), replacing any earlier one. */
  watch(video: HTMLVideoElement | undefined): void {
    this.video = video;
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), 1000 / SAMPLES_PER_SECOND);
  }

  /** Judges a re-challenge step on the next frames. */
  judge(challenge: Rechallenge): void {
    this.pending = { challenge, tracker: new StepTracker(challenge.step), deadline: Date.parse(challenge.expiresAt) };
  }

  private tick(): void {
    const video = this.video;
    if (!video || video.readyState < 2 || video.videoWidth === 0) return;
    const now = performance.now();
    const detections = this.detector.detect(video, now);
    for (const o of this.faces.sample((now - this.started) / 1000, detections.length)) {
      this.faceState = o.type === "face_present" ? "face present" : o.type === "face_absent" ? "face absent" : "several faces";
      this.report(o);
    }
    if (detections.length === 1 && this.faceState === "several faces") this.faceState = "face present";
    const pending = this.pending;
    if (!pending) return;
    const state = pending.tracker.add(toTrace(now, detections, video.videoWidth, video.videoHeight));
    const expired = Date.now() > pending.deadline;
    if (state === "waiting" && !expired) return;
    this.pending = undefined;
    const detail = RESULT_DETAIL[state === "waiting" ? "expired" : state];
    this.report({ type: "rechallenge_result", rechallengeId: pending.challenge.rechallengeId, passed: state === "done", detail });
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
