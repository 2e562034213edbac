import type { FollowObservation } from "../../../shared/verifier-job.js";
import type { VerificationFailure } from "../../../shared/verification.js";
import { type TargetPath, TARGET_PATH, pathDurationMs, targetAt } from "../../../shared/target-path.js";
import { type Point, homographyResidual } from "./planarity.js";
import { FOLLOW, type FollowSettings } from "./thresholds.js";
import { type PoseSample, fitTracking, largestJump } from "./tracking.js";

/** Positions in an observation's `landmarks` of the two outer eye corners: the flatness scale. */
export const EYE_LANDMARKS = [0, 1] as const;

/** One point of the target, due now. */
export interface DueTarget {
  seq: number;
  yaw: number;
  pitch: number;
}

/** The follow step's verdict. */
export interface FollowVerdict {
  passed: boolean;
  failure?: VerificationFailure;
  reason: string;
  observed: FollowObservation;
}

const round = (x: number, digits = 2) => Number(x.toFixed(digits));

/**
 * One follow step: sends the target as it becomes due, collects the observed pose (relative to
 * the fit baseline) and the face landmarks, and once the path and its tail are over judges, in
 * order: flatness (`FlatFace`), tracking (lag, correlation, gain: `NotFollowing`) and frame-to-
 * frame coherence (`Discontinuous`). Times are the judge's ms; `startAt` is when the path began.
 */
export class FollowStep {
  private sent = 0;
  private readonly samples: PoseSample[] = [];
  private readonly shapes: { t: number; yaw: number; pitch: number; landmarks: Point[] }[] = [];
  private readonly boxes: { t: number; cx: number; cy: number; w: number }[] = [];

  constructor(
    private readonly path: TargetPath,
    private readonly startAt: number,
    private readonly baseLandmarks: Point[] | undefined,
    private readonly settings: FollowSettings = FOLLOW,
  ) {}

  /** The target points due by `t` that have not been sent: never one ahead of its time. */
  due(t: number): DueTarget[] {
    const elapsed = t - this.startAt;
    const duration = pathDurationMs(this.path);
    const out: DueTarget[] = [];
    while (this.sent * TARGET_PATH.sendEveryMs <= Math.min(elapsed, duration + TARGET_PATH.sendEveryMs)) {
      const at = Math.min(this.sent * TARGET_PATH.sendEveryMs, duration);
      const p = targetAt(this.path, at);
      out.push({ seq: this.sent, yaw: round(p.yaw, 1), pitch: round(p.pitch, 1) });
      this.sent++;
    }
    // Only the newest due point matters to the page; older ones would arrive stale.
    return out.slice(-1);
  }

  /**
   * True once the path and the time a lagging response needs are over: the longest human lag
   * (`tailMs`), or sooner when the frames so far already pass with a fitted lag that the frames
   * after the path's end cover (`earlyMarginMs` past the path's end plus the lag). Only a pass ends
   * early: it is judged on every frame of the path as the fitted lag delays it, as it would be
   * later. A response that fails, or needs more frames, waits for the whole tail.
   */
  over(t: number): boolean {
    const rel = t - this.startAt;
    const end = pathDurationMs(this.path);
    if (rel >= end + this.settings.tailMs) return true;
    if (rel < end + this.settings.minLagMs + this.settings.earlyMarginMs) return false;
    const trial = this.judge();
    if (!trial.passed || trial.observed.lagMs === undefined || rel < end + trial.observed.lagMs + this.settings.earlyMarginMs) return false;
    this.early = { frames: this.samples.length, verdict: trial };
    return true;
  }

  /** A pass found before the tail was over, and on how many frames: `judge` gives it again unless frames came since. */
  private early: { frames: number; verdict: FollowVerdict } | undefined;

  /** Records one frame with one face: pose relative to the baseline, degrees, yaw + = the subject's left, pitch + = up. */
  observe(t: number, yaw: number, pitch: number, landmarks?: Point[], box?: { cx: number; cy: number; w: number }): void {
    const rel = t - this.startAt;
    this.samples.push({ t: rel, yaw, pitch });
    if (box && box.w > 0) this.boxes.push({ t: rel, ...box });
    if (landmarks && this.baseLandmarks && landmarks.length === this.baseLandmarks.length) this.shapes.push({ t: rel, yaw, pitch, landmarks });
  }

  /** Judges the step on what was observed. */
  judge(): FollowVerdict {
    if (this.early?.frames === this.samples.length) return this.early.verdict;
    const s = this.settings;
    const base: FollowObservation = { frames: this.samples.length, waypoints: this.path.waypoints };
    if (this.samples.length < s.minSamples) {
      return { passed: false, failure: "NotFollowing", reason: `only ${this.samples.length} frames with one face while the target moved (at least ${s.minSamples} needed)`, observed: base };
    }
    const fit = fitTracking(this.samples, this.path, { fromMs: s.searchFromMs, toMs: s.searchToMs, stepMs: s.searchStepMs, minSamples: s.minSamples });
    // Flatness first: a flat picture also fails the tracking, but "flat" is the better name for it.
    const flat = this.flatness(fit?.lagMs ?? (s.minLagMs + s.maxLagMs) / 2);
    const observed: FollowObservation = { ...base, ...(flat !== undefined ? { planarResidual: round(flat, 4) } : {}) };
    if (flat !== undefined && flat < s.flatMaxResidual) {
      return { passed: false, failure: "FlatFace", reason: `the face moved as one flat picture: landmark residual ${(flat * 100).toFixed(2)} % of the eye distance after one perspective mapping (a head leaves ≥ ${(s.flatMaxResidual * 100).toFixed(1)} %)`, observed };
    }
    if (!fit) return { passed: false, failure: "NotFollowing", reason: "too few frames overlapped the target at any lag", observed };
    const tracked: FollowObservation = {
      ...observed,
      lagMs: fit.lagMs,
      yaw: { r: round(fit.yaw.r, 3), gain: round(fit.yaw.gain, 3), residualDeg: round(fit.yaw.residualDeg) },
      pitch: { r: round(fit.pitch.r, 3), gain: round(fit.pitch.gain, 3), residualDeg: round(fit.pitch.residualDeg) },
    };
    const summary = `lag ${fit.lagMs} ms, yaw r ${fit.yaw.r.toFixed(2)} gain ${fit.yaw.gain.toFixed(2)}, pitch r ${fit.pitch.r.toFixed(2)} gain ${fit.pitch.gain.toFixed(2)}, ${fit.samples} frames`;
    const fail = (reason: string): FollowVerdict => ({ passed: false, failure: "NotFollowing", reason: `${reason} (${summary})`, observed: tracked });
    if (fit.lagMs < s.minLagMs) return fail(`the response led the target or came sooner than a person reacts (${s.minLagMs} ms)`);
    if (fit.lagMs > s.maxLagMs) return fail(`the response trailed the target by more than a person following it (${s.maxLagMs} ms)`);
    for (const axis of ["yaw", "pitch"] as const) {
      const a = fit[axis];
      if (a.r < s.minR[axis]) return fail(`the ${axis} did not follow the target (correlation below ${s.minR[axis]})`);
      if (a.gain < s.minGain[axis] || a.gain > s.maxGain[axis]) return fail(`the ${axis} moved ${a.gain.toFixed(2)}° per degree asked (${s.minGain[axis]}–${s.maxGain[axis]} expected)`);
    }
    const jump = largestJump(this.samples, this.path, fit, s.jumpMaxGapMs);
    const boxJump = this.largestBoxJump();
    const withJump: FollowObservation = {
      ...tracked,
      ...(jump ? { largestJumpDeg: round(jump.deg) } : {}),
      ...(boxJump ? { largestBoxJump: round(boxJump.size, 3) } : {}),
    };
    if (boxJump && boxJump.size > s.maxBoxJump.base + s.maxBoxJump.perMs * boxJump.gapMs) {
      return {
        passed: false,
        failure: "Discontinuous",
        reason: `the face jumped in the frame (${boxJump.what} ${boxJump.size.toFixed(2)}) in ${Math.round(boxJump.gapMs)} ms at +${Math.round(boxJump.t)} ms: cut between recorded moments, not one head moving (${summary})`,
        observed: withJump,
      };
    }
    if (jump && jump.deg > s.maxJumpDeg[jump.axis]) {
      return {
        passed: false,
        failure: "Discontinuous",
        reason: `the ${jump.axis} jumped ${jump.deg.toFixed(1)}° in ${Math.round(jump.gapMs)} ms beyond the followed path, at +${Math.round(jump.t)} ms: a cut, not a head (${summary})`,
        observed: withJump,
      };
    }
    return { passed: true, reason: `followed the target: ${summary}${flat !== undefined ? `, landmark residual ${(flat * 100).toFixed(1)} %` : ""}`, observed: withJump };
  }

  /** The largest change of the face box between two frames close in time: centre shift in face widths, or |log| of the width ratio. */
  private largestBoxJump(): { size: number; what: string; t: number; gapMs: number } | undefined {
    let worst: { size: number; what: string; t: number; gapMs: number } | undefined;
    for (let i = 1; i < this.boxes.length; i++) {
      const a = this.boxes[i - 1]!;
      const b = this.boxes[i]!;
      const gapMs = b.t - a.t;
      if (gapMs <= 0 || gapMs > this.settings.jumpMaxGapMs) continue;
      const w = (a.w + b.w) / 2;
      const candidates = [
        { size: Math.abs(Math.log(b.w / a.w)), what: "size ×" + (b.w / a.w).toFixed(2) + ", |log|" },
        { size: Math.hypot(b.cx - a.cx, b.cy - a.cy) / w, what: "centre shift in face widths" },
      ];
      for (const c of candidates) if (!worst || c.size > worst.size) worst = { ...c, t: b.t, gapMs };
    }
    return worst;
  }

  /** Median homography residual (share of the eye distance) over the frames turned furthest; undefined without landmarks. */
  private flatness(lagMs: number): number | undefined {
    const base = this.baseLandmarks;
    const s = this.settings;
    if (!base || this.shapes.length < s.flatFrames) return undefined;
    const eye = Math.hypot(base[EYE_LANDMARKS[0]]![0] - base[EYE_LANDMARKS[1]]![0], base[EYE_LANDMARKS[0]]![1] - base[EYE_LANDMARKS[1]]![1]);
    if (!(eye > 0)) return undefined;
    // The frames where the target, at the response's lag, asked for the widest turns: a head is turned there, a flat picture can only be warped. Pitch-only nods do not
    // separate flat from 3D on measured frames, so yaw chooses.
    const lagged = (t: number) => Math.abs(targetAt(this.path, t - lagMs).yaw);
    const furthest = [...this.shapes].sort((a, b) => lagged(b.t) - lagged(a.t)).slice(0, s.flatFrames);
    // Landmarks that did not move are no evidence either way (a still picture, or a person who did not follow).
    const moved = (f: (typeof furthest)[number]) => {
      const d = f.landmarks.reduce((sum, p, i) => sum + Math.hypot(p[0] - base[i]![0], p[1] - base[i]![1]), 0) / f.landmarks.length;
      return d / eye >= s.flatMinMove;
    };
    if (furthest.filter(moved).length < s.flatFrames / 2) return undefined;
    const residuals = furthest.map((f) => {
      const e = Math.hypot(f.landmarks[EYE_LANDMARKS[0]]![0] - f.landmarks[EYE_LANDMARKS[1]]![0], f.landmarks[EYE_LANDMARKS[0]]![1] - f.landmarks[EYE_LANDMARKS[1]]![1]);
      return homographyResidual(base, f.landmarks) / (e || eye);
    });
    residuals.sort((a, b) => a - b);
    return residuals[Math.floor(residuals.length / 2)]!;
  }
}
