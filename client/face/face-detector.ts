/** One detected face, in pixels of the analysed frame. */
export interface Face {
  score: number;
  box: { x: number; y: number; w: number; h: number };
  /** BlazeFace order: right eye, left eye, nose tip, mouth, right ear, left ear (the subject's sides). */
  keypoints: Array<[number, number]>;
}

/** Face detection behind a small interface, so the vendor can change without touching the flow. */
export interface FaceDetector {
  /** Detects faces in the current frame of a playing video. `timestamp` must increase. */
  detect(source: HTMLVideoElement, timestamp: number): Face[];
  close(): void;
}
