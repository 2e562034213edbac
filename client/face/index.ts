export type { Face, FaceDetector } from "./face-detector.js";
export { loadMediaPipeDetector, type MediaPipeOptions } from "./mediapipe-detector.js";
