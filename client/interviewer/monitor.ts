import type { Observation } from "../../shared/monitoring.js";

export interface MonitorSettings {
  /** Seconds without a face before `face_absent` is recorded. */
  absentSeconds: number;
  /** Consecutive samples with 2+ faces before `multiple_faces` is recorded. */
  multipleSamples: number;
  /** A frame rate below this share of the baseline counts as degraded. */
  degradedShare: number;
  /** Seconds the frame rate must stay low before `video_degraded` is recorded. */
  degradedSeconds: number;
}

export const DEFAULT_MONITOR: MonitorSettings = {
  absentSeconds: 3,
  multipleSamples: 2,
  degradedShare: 0.5,
  degradedSeconds: 3,
};

/**
 * Turns face counts sampled from the candidate's received video into
 * observations, each recorded once per episode rather than once per sample.
 */
export class FaceWatch {
  private lastFaceAt: number | undefined;
  private absentReported = false;
  private multipleRun = 0;
  private multipleReported = false;
  present = false;

  constructor(private readonly settings: MonitorSettings = DEFAULT_MONITOR) {}

  /** Feeds one sample; `t` in seconds. Returns observations to record. */
  sample(t: number, faces: number): Observation[] {
    const out: Observation[] = [];
    this.lastFaceAt ??= t;
    if (faces > 0) {
      if (this.absentReported) out.push({ type: "face_present", afterSeconds: round(t - this.lastFaceAt) });
      else if (!this.present) out.push({ type: "face_present" });
      this.lastFaceAt = t;
      this.absentReported = false;
      this.present = true;
    } else if (!this.absentReported && t - this.lastFaceAt >= this.settings.absentSeconds) {
      out.push({ type: "face_absent", seconds: round(t - this.lastFaceAt) });
      this.absentReported = true;
      this.present = false;
    }
    this.multipleRun = faces > 1 ? this.multipleRun + 1 : 0;
    if (this.multipleRun >= this.settings.multipleSamples && !this.multipleReported) {
      out.push({ type: "multiple_faces", count: faces });
      this.multipleReported = true;
    } else if (faces <= 1) {
      this.multipleReported = false;
    }
    return out;
  }
}

/** Tracks how long the candidate's camera has been off in total. */
export class CameraOffClock {
  private offSince: number | undefined;
  private total = 0;

  /** The camera went off at `t` seconds. */
  off(t: number, reason: "muted" | "unpublished"): Observation | undefined {
    if (this.offSince !== undefined) return undefined;
    this.offSince = t;
    return { type: "camera_off", reason };
  }

  /** The camera came back at `t` seconds. */
  on(t: number): Observation | undefined {
    if (this.offSince === undefined) return undefined;
    const off = t - this.offSince;
    this.total += off;
    this.offSince = undefined;
    return { type: "camera_on", offSeconds: round(off), totalOffSeconds: round(this.total) };
  }

  /** Total seconds off so far, including a current outage. */
  totalAt(t: number): number {
    return round(this.total + (this.offSince !== undefined ? t - this.offSince : 0));
  }
}

/** Spots a sharp, sustained fall in received frame rate against the best rate seen. */
export class FrameRateWatch {
  private baseline = 0;
  private lowSince: number | undefined;
  private reported = false;

  constructor(private readonly settings: MonitorSettings = DEFAULT_MONITOR) {}

  sample(t: number, fps: number, width: number, height: number): Observation | undefined {
    this.baseline = Math.max(this.baseline, fps);
    if (this.baseline < 5 || fps >= this.baseline * this.settings.degradedShare) {
      this.lowSince = undefined;
      this.reported = false;
      return undefined;
    }
    this.lowSince ??= t;
    if (this.reported || t - this.lowSince < this.settings.degradedSeconds) return undefined;
    this.reported = true;
    return { type: "video_degraded", fps: round(fps), baselineFps: round(this.baseline), width, height };
  }
}

const round = (n: number) => Math.round(n * 10) / 10;
