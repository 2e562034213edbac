import { FaceDetector as MpFaceDetector, FilesetResolver } from "@mediapipe/tasks-vision";
/** The face model or its WASM did not load: guidance is unavailable, the check itself is not affected. */
export class ModelLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ModelLoadError";
  }
}
import type { Face, FaceDetector } from "./face-detector.js";

export interface MediaPipeOptions {
  /** URL of the self-hosted WASM fileset folder. */
  wasmPath: string;
  /** URL of the face detection model. */
  modelPath: string;
  /** Give up loading after this many milliseconds with a `ModelLoadError`. */
  timeoutMs?: number;
  minScore?: number;
}

/**
 * Loads MediaPipe's BlazeFace detector from the kit's own server. Rejects with
 * a `ModelLoadError` if the WASM or model do not arrive in time.
 */
export async function loadMediaPipeDetector(options: MediaPipeOptions): Promise<FaceDetector> {
  const load = async () => {
    const fileset = await FilesetResolver.forVisionTasks(options.wasmPath);
    return MpFaceDetector.createFromOptions(fileset, {
      baseOptions: { modelAssetPath: options.modelPath, delegate: "CPU" },
      runningMode: "VIDEO",
      minDetectionConfidence: options.minScore ?? 0.5,
    });
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ModelLoadError(`face model did not load in ${options.timeoutMs ?? 20000} ms`)),
      options.timeoutMs ?? 20_000,
    );
  });
  let detector: MpFaceDetector;
  try {
    detector = await Promise.race([load(), timeout]);
  } catch (err) {
    if (err instanceof ModelLoadError) throw err;
    throw new ModelLoadError(`face model failed to load: ${(err as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
  return {
    detect(source, timestamp) {
      const result = detector.detectForVideo(source, timestamp);
      const w = source.videoWidth || 1;
      const h = source.videoHeight || 1;
      return result.detections.map((d): Face => ({
        score: d.categories[0]?.score ?? 0,
        box: {
          x: d.boundingBox?.originX ?? 0,
          y: d.boundingBox?.originY ?? 0,
          w: d.boundingBox?.width ?? 0,
          h: d.boundingBox?.height ?? 0,
        },
        // tasks-vision returns keypoints normalised to 0..1; convert to pixels like the box.
        keypoints: d.keypoints.map((k) => [k.x * w, k.y * h] as [number, number]),
      }));
    },
    close() {
      detector.close();
    },
  };
}
