import { describe, expect, it } from "vitest";
import type { FrameTrace } from "../../shared/candidate.js";
import { fitHint } from "./trace.js";

/** A synthetic detection: `yaw` shifts the nose sideways, `w` is the face's width, `cx` its centre. */
function poseFrame(t: number, yaw = 0, width = 0.3, faces = 1, cx = 0.5): FrameTrace {
  return {
    t,
    faces,
    score: 0.92,
    box: { x: cx - width / 2, y: 0.2, w: width, h: width },
    keypoints: [
      [cx - 0.08, 0.4],
      [cx + 0.08, 0.4],
      [cx + yaw, 0.5],
      [cx, 0.6],
      [cx - 0.15, 0.45],
      [cx + 0.15, 0.45],
    ],
  };
}

const frame = (t: number, { yaw = 0, w = 0.3, cx = 0.5, faces = 1 } = {}): FrameTrace => poseFrame(t, yaw, w, faces, cx);

describe("fitHint", () => {
  it("guides the candidate into a usable pose", () => {
    expect(fitHint({ t: 0, faces: 0 })).toBe("noFace");
    expect(fitHint(frame(0, { faces: 2 }))).toBe("multipleFaces");
    expect(fitHint(frame(0, { w: 0.08 }))).toBe("moveCloser");
    expect(fitHint(frame(0, { cx: 0.2 }))).toBe("centre");
    expect(fitHint(frame(0, { yaw: 0.06 }))).toBe("faceCamera");
    expect(fitHint(frame(0))).toBe("hold");
  });
});
