import type { FrameTrace } from "../../shared/candidate.js";
import { meetsStep, yawRatio } from "../../shared/pose.js";
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
