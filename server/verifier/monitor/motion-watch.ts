import type { RgbFrame } from "../analyzer/index.js";

/** Side of the face thumbnail the monitor compares from sample to sample. */
export const THUMB_SIDE = 16;

/** A face box normalised 0..1 to the frame. */
export interface FaceBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * The face as a THUMB_SIDE² luma thumbnail (area average over the box), normalised to zero mean and
 * unit standard deviation: a change of exposure or white balance alone is not motion, while a blink,
 * a word or a turn of the head is. Undefined for a box too small or outside the frame.
 */
export function faceThumb(frame: RgbFrame, box: FaceBox): Float32Array | undefined {
  const x0 = Math.max(0, Math.floor(box.x * frame.width));
  const y0 = Math.max(0, Math.floor(box.y * frame.height));
  const x1 = Math.min(frame.width, Math.ceil((box.x + box.w) * frame.width));
  const y1 = Math.min(frame.height, Math.ceil((box.y + box.h) * frame.height));
  if (x1 - x0 < THUMB_SIDE || y1 - y0 < THUMB_SIDE) return undefined;
  const thumb = new Float32Array(THUMB_SIDE * THUMB_SIDE);
  for (let ty = 0; ty < THUMB_SIDE; ty++) {
    const ya = y0 + Math.floor(((y1 - y0) * ty) / THUMB_SIDE);
    const yb = y0 + Math.floor(((y1 - y0) * (ty + 1)) / THUMB_SIDE);
    for (let tx = 0; tx < THUMB_SIDE; tx++) {
      const xa = x0 + Math.floor(((x1 - x0) * tx) / THUMB_SIDE);
      const xb = x0 + Math.floor(((x1 - x0) * (tx + 1)) / THUMB_SIDE);
      let sum = 0;
      for (let y = ya; y < yb; y++) {
        let i = (y * frame.width + xa) * 3;
        for (let x = xa; x < xb; x++, i += 3) sum += 0.299 * frame.data[i]! + 0.587 * frame.data[i + 1]! + 0.114 * frame.data[i + 2]!;
      }
      thumb[ty * THUMB_SIDE + tx] = sum / ((yb - ya) * (xb - xa));
    }
  }
  let mean = 0;
  for (const v of thumb) mean += v;
  mean /= thumb.length;
  let variance = 0;
  for (const v of thumb) variance += (v - mean) ** 2;
  // A flat crop (a covered lens) has no texture to compare: a tiny floor keeps it finite.
  const sd = Math.sqrt(variance / thumb.length) || 1;
  for (let i = 0; i < thumb.length; i++) thumb[i] = (thumb[i]! - mean) / sd;
  return thumb;
}

/** Mean absolute difference of two normalised thumbnails (0: identical). */
export function thumbDistance(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

/** Thresholds of the live-video rules; measured in docs/monitoring.md (`scripts/measure-motion.ts`). */
export interface MotionSettings {
  /** Consecutive samples closer than this show no natural micro-motion. */
  staticDiff: number;
  /** That long without micro-motion is `static_video`. */
  staticMs: number;
  /** A sample this close to an earlier one (at least `loopMinLagMs` before) repeats it. */
  loopDiff: number;
  loopMinLagMs: number;
  /** How far back repeats are looked for (the longest loop caught). */
  loopMaxLagMs: number;
  /** Repeats in a row, at one lag within `loopLagToleranceMs`, that make `looped_video`. */
  loopSamples: number;
  loopLagToleranceMs: number;
}

export type MotionEvent =
  | { type: "static_video"; seconds: number; motion: number; threshold: number }
  | { type: "looped_video"; periodSeconds: number; repeats: number; difference: number; threshold: number };

interface Sample {
  t: number;
  box: FaceBox;
  thumb: Float32Array;
  /** Distance to the previous sample. */
  motion: number;
  /** Every lag (within the window) at which an earlier sample repeats this one, smallest first. */
  repeats: { lagMs: number; difference: number }[];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number, digits: number) => Number(x.toFixed(digits));

/**
 * Whether the camera shows live video, over the monitor's face samples (about two a second): a face
 * with no natural micro-motion for `staticMs` (a still photograph on a virtual camera) is
 * `static_video`; a face whose crops repeat an earlier moment at one steady lag (a clip on a loop)
 * is `looped_video`. Each is recorded once per episode. A sample with no single face resets both.
 *
 * Every comparison crops the new frame at the earlier sample's own box: the detector's box wobbles
 * by a pixel or two from frame to frame even on a still picture, which alone moves a 16×16 crop of
 * a 320-px frame as much as a live face's micro-motion does.
 */
export class MotionWatch {
  private readonly history: Sample[] = [];
  private stillSince: number | undefined;
  private stillPeak = 0;
  private staticReported = false;
  private loopReported = false;

  constructor(private readonly settings: MotionSettings) {}

  /**
   * One sample at `t` ms: the frame and its one face's box, or no box when there is not exactly one
   * face. The frame is only read during the call.
   */
  sample(t: number, frame: RgbFrame, box: FaceBox | undefined): MotionEvent[] {
    const thumb = box && faceThumb(frame, box);
    if (!box || !thumb) {
      this.reset();
      return [];
    }
    const s = this.settings;
    const against = (earlier: Sample) => {
      const here = faceThumb(frame, earlier.box);
      return here ? thumbDistance(earlier.thumb, here) : Number.POSITIVE_INFINITY;
    };
    const previous = this.history.at(-1);
    const motion = previous ? against(previous) : Number.POSITIVE_INFINITY;
    const repeats: Sample["repeats"] = [];
    for (let i = this.history.length - 1; i >= 0; i--) {
      const earlier = this.history[i]!;
      const lag = t - earlier.t;
      if (lag < s.loopMinLagMs) continue;
      if (lag > s.loopMaxLagMs) break;
      const difference = against(earlier);
      if (difference < s.loopDiff) repeats.push({ lagMs: lag, difference });
    }
    this.history.push({ t, box, thumb, motion, repeats });
    while (this.history.length && t - this.history[0]!.t > s.loopMaxLagMs + 1_000) this.history.shift();
    return [...this.checkStatic(t, motion), ...this.checkLoop()];
  }

  /** The face is gone or the camera changed: both rules start over. */
  reset(): void {
    this.history.length = 0;
    this.stillSince = undefined;
    this.stillPeak = 0;
    this.staticReported = false;
    this.loopReported = false;
  }

  private checkStatic(t: number, motion: number): MotionEvent[] {
    const s = this.settings;
    if (!(motion < s.staticDiff)) {
      this.stillSince = undefined;
      this.stillPeak = 0;
      this.staticReported = false;
      return [];
    }
    this.stillSince ??= this.history.at(-2)!.t;
    this.stillPeak = Math.max(this.stillPeak, motion);
    if (this.staticReported || t - this.stillSince < s.staticMs) return [];
    this.staticReported = true;
    return [{ type: "static_video", seconds: round((t - this.stillSince) / 1000, 1), motion: round(this.stillPeak, 4), threshold: s.staticDiff }];
  }

  /**
   * A loop: every one of the last `loopSamples` samples repeats an earlier one at the same lag (the
   * period), give or take the sampling jitter. The smallest such lag is the period; a clip played
   * back and forth also repeats at its full period. Live footage may resemble an earlier moment now
   * and then, but not at one steady lag sample after sample.
   */
  private checkLoop(): MotionEvent[] {
    const s = this.settings;
    const recent = this.history.slice(-s.loopSamples);
    const newest = recent.at(-1);
    // One episode lasts until a whole window of samples repeats nothing (a sample between two source frames may miss).
    if (recent.every((x) => !x.repeats.length)) this.loopReported = false;
    if (recent.length < s.loopSamples || this.loopReported || !newest?.repeats.length) return [];
    // A still repeats at every lag; it is static_video, not a loop. A loop moves between its repeats.
    if (median(recent.map((x) => x.motion)) < s.staticDiff) return [];
    const near = (x: Sample, period: number) => x.repeats.find((r) => Math.abs(r.lagMs - period) <= s.loopLagToleranceMs);
    const lags = [...newest.repeats].map((r) => r.lagMs).sort((a, b) => a - b);
    const period = lags.find((p) => recent.every((x) => near(x, p)));
    if (period === undefined) return [];
    this.loopReported = true;
    const difference = Math.max(...recent.map((x) => near(x, period)!.difference));
    return [{ type: "looped_video", periodSeconds: round(period / 1000, 1), repeats: recent.length, difference: round(difference, 4), threshold: s.loopDiff }];
  }
}
