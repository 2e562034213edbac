import type { MotionSettings } from "./motion-watch.js";

/**
 * The live-video rules' thresholds (distances of normalised 16×16 face thumbnails, see
 * `faceThumb`), measured with `scripts/measure-motion.ts` on cap12 and cap13 as the monitor samples
 * them (docs/monitoring.md has the figures).
 */
export const MOTION: MotionSettings = {
  staticDiff: 0.015,
  staticMs: 10_000,
  loopDiff: 0.05,
  loopMinLagMs: 1_000,
  loopMaxLagMs: 16_000,
  loopSamples: 8,
  loopLagToleranceMs: 150,
};
