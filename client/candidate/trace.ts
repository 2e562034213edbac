import type { FrameTrace } from "../../shared/candidate.js";
import { meetsStep, type PoseStep, StepJudge, type StepState, yawRatio } from "../../shared/pose.js";
import type { Face } from "../face/index.js";

/** Turns detections into a trace frame normalised to the video's size. */
export function toTrace(t: number, faces: Face[], width: number, height: number): FrameTrace {
  const first = faces[0];
  if (!first) return { t, faces: 0 };
  return {
    t,
    faces: faces.length,
    score: Math.min(1, Math.max(0, first.score)),
    box: { x: first.box.x / width, y: first.box.y / height, w: first.box.w / width, h: first.box.h / height },
    keypoints: first.keypoints.slice(0, 6).map(([x, y]) => [x / width, y / height] as [number, number]),
  };
}

export type FitHint = "noFace" | "multipleFaces" | "moveCloser" | "moveBack" | "centre" | "faceCamera" | "hold";

/** What the candidate should change for a usable starting pose: one face, centred, facing, at a usable distance. */
export function fitHint(frame: FrameTrace): FitHint {
  if (frame.faces === 0 || !frame.box) return "noFace";
  if (frame.faces > 1) return "multipleFaces";
  const { x, w } = frame.box;
  if (w < 0.14) return "moveCloser";
  if (w > 0.55) return "moveBack";
  const cx = x + w / 2;
  if (cx < 0.28 || cx > 0.72) return "centre";
  const ratio = frame.keypoints ? yawRatio(frame.keypoints) : undefined;
  if (!meetsStep("center", ratio, 0, 0)) return "faceCamera";
  return "hold";
}

/**
 * Follows one challenge step over its frames with the same judge the server
 * uses to re-check them, keeping the frames as evidence.
 */
export class StepTracker {
  readonly frames: FrameTrace[] = [];
  private readonly judge: StepJudge;
  private last: StepState = "waiting";

  constructor(readonly step: PoseStep) {
    this.judge = new StepJudge(step);
  }

  /** Adds a frame and says where the step stands; frames without exactly one face leave it unchanged. */
  add(frame: FrameTrace): StepState {
    this.frames.push(frame);
    if (frame.faces !== 1 || !frame.box || this.last !== "waiting") return this.last;
    const ratio = frame.keypoints ? yawRatio(frame.keypoints) : undefined;
    this.last = this.judge.add(frame.t, ratio, frame.box.w);
    return this.last;
  }
}
