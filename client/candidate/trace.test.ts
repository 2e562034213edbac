import { describe, expect, it } from "vitest";
import type { FrameTrace } from "../../shared/candidate.js";
import { fitHint, StepTracker } from "./trace.js";

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

describe("StepTracker", () => {
  it("completes a left turn once it has held for 450 ms", () => {
    const step = new StepTracker("turn_left");
    expect(step.add(frame(0))).toBe("waiting");
    expect(step.add(frame(40, { yaw: 0.05 }))).toBe("waiting");
    expect(step.add(frame(300, { yaw: 0.05 }))).toBe("waiting");
    expect(step.add(frame(500, { yaw: 0.05 }))).toBe("done");
  });

  it("ignores a one-frame glitch the wrong way, but not a held one", () => {
    const step = new StepTracker("turn_right");
    step.add(frame(0));
    expect(step.add(frame(40, { yaw: 0.05 }))).toBe("waiting");
    expect(step.add(frame(80))).toBe("waiting");
    expect(step.add(frame(120, { yaw: 0.05 }))).toBe("waiting");
    expect(step.add(frame(340, { yaw: 0.05 }))).toBe("wrong_direction");
  });

  it("refuses a step that starts already in the pose, as a replay mid-move would", () => {
    const step = new StepTracker("turn_left");
    expect(step.add(frame(0, { yaw: 0.05 }))).toBe("already_in_pose");
  });

  it("measures moving closer against the width at the step's start", () => {
    const step = new StepTracker("move_closer");
    for (let i = 0; i < 3; i++) step.add(frame(i * 40, { w: 0.3 }));
    expect(step.add(frame(200, { w: 0.35 }))).toBe("waiting");
    step.add(frame(240, { w: 0.4 }));
    expect(step.add(frame(560, { w: 0.41 }))).toBe("done");
  });
});
