import type { RgbFrame } from "./analyzer/index.js";

/**
 * Halves an RGB24 frame by averaging 2×2 blocks. The analyser's detector
 * works at 256 px anyway; at 320×240 it runs about a fifth faster than at
 * 640×480 with the same yaw to 0.5° (measured on cap12's turns), and positions
 * are normalised, so nothing downstream changes.
 */
export function halve(frame: RgbFrame): RgbFrame {
  const width = frame.width >> 1;
  const height = frame.height >> 1;
  const src = frame.data;
  const out = new Uint8Array(width * height * 3);
  const stride = frame.width * 3;
  for (let y = 0; y < height; y++) {
    const row = y * 2 * stride;
    for (let x = 0; x < width; x++) {
      const i = row + x * 6;
      const o = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) {
        out[o + c] = (src[i + c]! + src[i + 3 + c]! + src[i + stride + c]! + src[i + stride + 3 + c]! + 2) >> 2;
      }
    }
  }
  return { width, height, data: out };
}

/**
 * The largest frame the verifier and the monitor convert and analyse: 1920x1088 (1080p with its
 * macroblock padding). The kit's page publishes 640x480 (and 1280x720 for a document); a publisher
 * sending 4K-8K frames would otherwise cost a full-size RGB conversion (50-200 MB) per analysed
 * frame. Larger frames are dropped unconverted and counted (review 2, finding 14).
 */
export const MAX_FRAME_PIXELS = 1920 * 1088;

/** True when a decoded frame is small enough to convert and analyse. */
export const analysable = (frame: { width: number; height: number }): boolean => frame.width * frame.height <= MAX_FRAME_PIXELS;

/** How far before its arrival a frame's own timestamp may place it (see {@link frameTime}). */
export const FRAME_TIME_MAX_BACKDATE_MS = 400;

/**
 * When a frame belongs, on a session clock that reads `arrivalMs` now: its receive-side timestamp
 * (WebRTC's render time, fitted by the jitter buffer to the RTP clock on CLOCK_MONOTONIC, the clock
 * `process.hrtime` reads), not the moment the event loop got to it. On a busy machine frames reach
 * JavaScript in bursts, and arrival times would show a head that jumps and lags. The jitter buffer
 * fits its clock to arrivals, so a sender cannot move frames earlier on average; one frame is never
 * placed more than `FRAME_TIME_MAX_BACKDATE_MS` before its arrival, nor after it.
 */
export function frameTime(arrivalMs: number, timestampUs: bigint, monotonicNowMs = Number(process.hrtime.bigint() / 1000n) / 1000): number {
  const stamped = arrivalMs - (monotonicNowMs - Number(timestampUs) / 1000);
  // No timestamp (0) or another clock: arrival is all there is.
  if (!Number.isFinite(stamped) || Math.abs(stamped - arrivalMs) > 5 * FRAME_TIME_MAX_BACKDATE_MS) return arrivalMs;
  return Math.min(arrivalMs, Math.max(arrivalMs - FRAME_TIME_MAX_BACKDATE_MS, stamped));
}
