import type { MonitorEvent, MonitorSettings } from "../../../shared/monitor-job.js";

/** What the tracker asks of its runner besides recording events. */
export type TrackerOutput = { event: MonitorEvent; wantsSnapshot?: boolean };

/** Fewer frames per second than this, or under half the best rate seen, for `DEGRADED_MS` is degraded video. */
const MIN_FPS = 5;
const DEGRADED_MS = 5_000;
/** Consecutive samples that confirm a change of face count, so one missed detection is not an event. */
const CONFIRM_SAMPLES = 2;
/** The mismatch must rest on at least this many comparisons, whatever the time. */
const MIN_MISMATCH_COMPARISONS = 3;

/**
 * The monitor's rules, as a pure state machine over time (ms, the caller's
 * clock): joins and camera state from LiveKit, face counts and similarities
 * from the analyser, frame arrivals from the decoder. Each rule records one
 * event per episode, and its end where the interviewer needs it.
 */
export class MonitorTracker {
  private joinedAt: number | undefined;
  private noVideoReported = false;
  private videoOnAt: number | undefined;
  private offSince: number | undefined;
  private offReason: "muted" | "unpublished" | "left" | undefined;
  private totalOffMs = 0;
  private absentSince: number | undefined;
  private absentReported = false;
  private multiStreak = 0;
  private singleStreak = 0;
  private multiReported = false;
  private mismatchRun: { since: number; similarities: number[] } | undefined;
  private mismatchReported = false;
  private matchStreak = 0;
  private frames: number[] = [];
  private bestFps = 0;
  private lowSince: number | undefined;
  private degradedReported = false;
  private lastSize = { width: 0, height: 0 };

  constructor(private readonly settings: MonitorSettings) {}

  /** True while the candidate's camera is on. */
  get videoOn(): boolean {
    return this.videoOnAt !== undefined;
  }

  candidateJoined(t: number): TrackerOutput[] {
    this.joinedAt = t;
    this.noVideoReported = false;
    return [];
  }

  candidateLeft(t: number): TrackerOutput[] {
    this.joinedAt = undefined;
    return this.videoOff(t, "left");
  }

  videoStarted(t: number): TrackerOutput[] {
    if (this.videoOnAt !== undefined) return [];
    this.videoOnAt = t;
    this.resetFaces();
    this.frames = [];
    this.lowSince = undefined;
    if (this.offSince === undefined) return [];
    const offMs = t - this.offSince;
    this.totalOffMs += offMs;
    this.offSince = undefined;
    return [{ event: { type: "camera_on", offSeconds: secs(offMs), totalOffSeconds: secs(this.totalOffMs) } }];
  }

  videoOff(t: number, reason: "muted" | "unpublished" | "left"): TrackerOutput[] {
    if (this.videoOnAt === undefined) return [];
    this.videoOnAt = undefined;
    this.offSince = t;
    this.offReason = reason;
    this.resetFaces();
    return [{ event: { type: "camera_off", reason } }];
  }

  /** A decoded frame arrived (whether or not it is analysed). */
  frame(t: number, width: number, height: number): TrackerOutput[] {
    this.frames.push(t);
    this.lastSize = { width, height };
    return [];
  }

  /** One analysed frame's face count. */
  faces(t: number, count: number): TrackerOutput[] {
    const out: TrackerOutput[] = [];
    if (count === 0) {
      this.absentSince ??= t;
    } else {
      if (this.absentReported && this.absentSince !== undefined) {
        out.push({ event: { type: "face_present", afterSeconds: secs(t - this.absentSince) } });
      }
      this.absentSince = undefined;
      this.absentReported = false;
    }
    this.multiStreak = count >= 2 ? this.multiStreak + 1 : 0;
    this.singleStreak = count <= 1 ? this.singleStreak + 1 : 0;
    if (this.multiStreak >= CONFIRM_SAMPLES && !this.multiReported) {
      this.multiReported = true;
      out.push({ event: { type: "multiple_faces", count: Math.min(20, count) } });
    }
    if (this.singleStreak >= CONFIRM_SAMPLES) this.multiReported = false;
    return [...out, ...this.tick(t)];
  }

  /** One comparison of the single face in view with the reference. */
  similarity(t: number, s: number): TrackerOutput[] {
    const { matchThreshold, mismatchMs } = this.settings;
    const value = Number(s.toFixed(4));
    if (value < matchThreshold) {
      this.matchStreak = 0;
      this.mismatchRun ??= { since: t, similarities: [] };
      this.mismatchRun.similarities.push(value);
      const run = this.mismatchRun;
      if (!this.mismatchReported && t - run.since >= mismatchMs && run.similarities.length >= MIN_MISMATCH_COMPARISONS) {
        this.mismatchReported = true;
        const event: MonitorEvent = {
          type: "face_mismatch",
          similarities: run.similarities.slice(-60),
          threshold: matchThreshold,
          seconds: secs(t - run.since),
        };
        return [{ event, wantsSnapshot: true }];
      }
      return [];
    }
    this.matchStreak++;
    if (this.matchStreak < CONFIRM_SAMPLES) return [];
    this.mismatchRun = undefined;
    if (!this.mismatchReported) return [];
    this.mismatchReported = false;
    return [{ event: { type: "face_match_restored", similarity: value, threshold: matchThreshold } }];
  }

  /** Advances time: the no-video, absence and degraded-video rules fire on time, not on frames. */
  tick(t: number): TrackerOutput[] {
    const out: TrackerOutput[] = [];
    const { noVideoMs, absentMs } = this.settings;
    if (this.joinedAt !== undefined && this.videoOnAt === undefined && this.offSince === undefined && !this.noVideoReported) {
      if (t - this.joinedAt >= noVideoMs) {
        this.noVideoReported = true;
        out.push({ event: { type: "no_video", seconds: secs(t - this.joinedAt) } });
      }
    }
    if (this.videoOnAt !== undefined && this.absentSince !== undefined && !this.absentReported && t - this.absentSince >= absentMs) {
      this.absentReported = true;
      out.push({ event: { type: "face_absent", seconds: secs(t - this.absentSince) } });
    }
    out.push(...this.degraded(t));
    return out;
  }

  private degraded(t: number): TrackerOutput[] {
    if (this.videoOnAt === undefined) return [];
    this.frames = this.frames.filter((f) => t - f < 2_000);
    // Judge the rate only over a full window of video.
    if (t - this.videoOnAt < 2_000) return [];
    const fps = this.frames.length / 2;
    this.bestFps = Math.max(this.bestFps, fps);
    const low = fps < MIN_FPS || fps < this.bestFps / 2;
    if (!low) {
      this.lowSince = undefined;
      this.degradedReported = false;
      return [];
    }
    this.lowSince ??= t;
    if (this.degradedReported || t - this.lowSince < DEGRADED_MS) return [];
    this.degradedReported = true;
    return [{ event: { type: "video_degraded", fps, ...this.lastSize } }];
  }

  private resetFaces(): void {
    this.absentSince = undefined;
    this.absentReported = false;
    this.multiStreak = 0;
    this.singleStreak = 0;
    this.multiReported = false;
  }

  /** Why the camera is off, while it is. */
  get offCause(): "muted" | "unpublished" | "left" | undefined {
    return this.offSince === undefined ? undefined : this.offReason;
  }
}

const secs = (ms: number) => Number((ms / 1000).toFixed(1));
