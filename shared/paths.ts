/** URL of the face detection model the kit serves. */
export const FACE_MODEL_URL_PATH = "/models/face-detector.tflite";

/** URL folder of the self-hosted MediaPipe WASM fileset, versioned so it can be cached for a year. */
export function wasmUrlPath(tasksVisionVersion: string): string {
  return `/vendor/tasks-vision-${tasksVisionVersion}/wasm`;
}
