import { type TargetPath, pathDurationMs, targetAt } from "../../../shared/target-path.js";

/** One analysed frame during a follow step: ms since the path started, pose relative to the baseline. */
export interface PoseSample {
  t: number;
  yaw: number;
  pitch: number;
}

/** How one axis of the observed pose follows the target at the fitted lag. */
export interface AxisFit {
  /** Pearson correlation of observed with the lagged target. */
  r: number;
  /** Slope of observed on target: the analyser's degrees per degree asked. */
  gain: number;
  offset: number;
  /** Root-mean-square of what the line leaves unexplained, degrees. */
  residualDeg: number;
}

/** The best linear, delayed fit of the observed pose to the target path. */
export interface TrackingFit {
  /** Delay of the response behind the target, ms (frame capture and network included). */
  lagMs: number;
  yaw: AxisFit;
  pitch: AxisFit;
  /** Frames used at that lag. */
  samples: number;
}

export interface TrackingSearch {
  /** Lags tried, ms; a lead (response ahead of the target) is a negative lag. */
  fromMs: number;
  toMs: number;
  stepMs: number;
  /** Fewest frames a lag needs to be scored. */
  minSamples: number;
}

function axisFit(xs: number[], ys: number[]): AxisFit {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  const gain = sxx > 0 ? sxy / sxx : 0;
  const offset = my - gain * mx;
  const r = sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (ys[i]! - (gain * xs[i]! + offset)) ** 2;
  return { r, gain, offset, residualDeg: Math.sqrt(sse / n) };
}

/**
 * Fits observed = gain · target(t − lag) + offset on each axis, for every lag in the search, and
 * keeps the lag where the two correlations sum highest. Undefined when no lag has enough frames.
 */
export function fitTracking(samples: PoseSample[], path: TargetPath, search: TrackingSearch): TrackingFit | undefined {
  const duration = pathDurationMs(path);
  let best: TrackingFit | undefined;
  for (let lag = search.fromMs; lag <= search.toMs; lag += search.stepMs) {
    const used = samples.filter((s) => s.t - lag >= 0 && s.t - lag <= duration);
    if (used.length < search.minSamples) continue;
    const targets = used.map((s) => targetAt(path, s.t - lag));
    const yaw = axisFit(
      targets.map((x) => x.yaw),
      used.map((s) => s.yaw),
    );
    const pitch = axisFit(
      targets.map((x) => x.pitch),
      used.map((s) => s.pitch),
    );
    if (!best || yaw.r + pitch.r > best.yaw.r + best.pitch.r) best = { lagMs: lag, yaw, pitch, samples: used.length };
  }
  return best;
}

/** The largest frame-to-frame change the fitted path does not explain, in degrees, on either axis. */
export interface Jump {
  deg: number;
  axis: "yaw" | "pitch";
  /** Time of the later frame, ms since the path started. */
  t: number;
  gapMs: number;
}

/**
 * Frame-to-frame pose changes minus what the fitted response predicts over the same interval. A
 * head's pose changes smoothly, so a large unexplained change between two frames close in time
 * is a cut: a switched picture or clip. Pairs further apart than `maxGapMs` are not judged.
 */
export function largestJump(samples: PoseSample[], path: TargetPath, fit: TrackingFit, maxGapMs: number): Jump | undefined {
  const predict = (t: number) => {
    const x = targetAt(path, t - fit.lagMs);
    return { yaw: fit.yaw.gain * x.yaw, pitch: fit.pitch.gain * x.pitch };
  };
  let worst: Jump | undefined;
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1]!;
    const b = samples[i]!;
    const gapMs = b.t - a.t;
    if (gapMs <= 0 || gapMs > maxGapMs) continue;
    const pa = predict(a.t);
    const pb = predict(b.t);
    for (const axis of ["yaw", "pitch"] as const) {
      const deg = Math.abs(b[axis] - a[axis] - (pb[axis] - pa[axis]));
      if (!worst || deg > worst.deg) worst = { deg, axis, t: b.t, gapMs };
    }
  }
  return worst;
}
