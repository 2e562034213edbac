import { describe, expect, it } from "vitest";
import type { ChallengeStep, LivenessEvidence } from "../../shared/candidate.js";
import { honestEvidence, poseFrame } from "../../test/helpers/evidence.js";
import { AppError } from "../errors/index.js";
import type { ChallengeRecord } from "../store/index.js";
import { verifyEvidence } from "./verify.js";

const steps: ChallengeStep[] = ["turn_left", "center", "move_closer", "turn_right", "center"];
const challenge: ChallengeRecord = {
  id: "ch_1",
  interviewId: "iv_1",
  sessionId: "cs_1",
  nonce: "nonce-1",
  steps,
  deadlines: steps.map(() => 8000),
  issuedAt: "2026-01-01T00:00:00.000Z",
  expiresAt: "2026-01-01T00:01:30.000Z",
  usedAt: null,
  verdict: null,
};
const ELAPSED = 10_000;
const verify = (e: LivenessEvidence, elapsed = ELAPSED) => verifyEvidence(challenge, e, elapsed, 5);
const rejected = (e: LivenessEvidence, elapsed = ELAPSED) => {
  try {
    verify(e, elapsed);
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
  return "accepted";
};

describe("verifyEvidence: honest traces", () => {
  it("passes the moves in the issued order", () => {
    const v = verify(honestEvidence("nonce-1", steps));
    expect(v.passed).toBe(true);
    expect(v.reasons).toHaveLength(5);
  });

  it("fails a turn the wrong way", () => {
    const e = honestEvidence("nonce-1", steps);
    for (const f of e.steps[0]!.frames) f.keypoints![2] = [0.44, 0.5];
    expect(verify(e)).toMatchObject({ passed: false, failure: "WrongDirection" });
  });

  it("fails a step whose move never happens (a still photo)", () => {
    const e = honestEvidence("nonce-1", steps);
    e.steps[0]!.frames = e.steps[0]!.frames.map((f) => poseFrame(f.t));
    expect(verify(e)).toMatchObject({ passed: false, failure: "StepNotCompleted" });
  });

  it("fails a turn that was already held when the step began (a replay mid-move)", () => {
    const e = honestEvidence("nonce-1", steps);
    e.steps[0]!.frames = e.steps[0]!.frames.map((f) => poseFrame(f.t, 0.06));
    expect(verify(e)).toMatchObject({ passed: false, failure: "AlreadyInPose" });
  });

  it("fails a second face anywhere", () => {
    const e = honestEvidence("nonce-1", steps);
    e.steps[2]!.frames[3]!.faces = 2;
    expect(verify(e)).toMatchObject({ passed: false, failure: "MultipleFaces" });
  });

  it("fails when no face is seen", () => {
    const e = honestEvidence("nonce-1", steps);
    e.fit = e.fit.map((f) => ({ t: f.t, faces: 0 }));
    for (const s of e.steps) s.frames = s.frames.map((f) => ({ t: f.t, faces: 0 }));
    expect(verify(e)).toMatchObject({ passed: false, failure: "NoFace" });
  });

  it("fails low-confidence detections", () => {
    const e = honestEvidence("nonce-1", steps);
    for (const s of e.steps) for (const f of s.frames) f.score = 0.3;
    expect(verify(e)).toMatchObject({ passed: false, failure: "NoFace" });
  });

  it("fails a step that runs past its deadline", () => {
    const e = honestEvidence("nonce-1", steps);
    const shift = 9000;
    e.steps[4]!.frames.forEach((f, i) => (f.t += i === 0 ? 0 : shift));
    expect(verify(e, 30_000)).toMatchObject({ passed: false, failure: "Timeout" });
  });
});

describe("verifyEvidence: forged traces are rejected with a code", () => {
  it("a wrong nonce", () => {
    expect(rejected(honestEvidence("other", steps))).toBe("nonce_mismatch");
  });

  it("steps out of order", () => {
    expect(rejected(honestEvidence("nonce-1", ["turn_right", "center", "move_closer", "turn_left", "center"]))).toBe(
      "steps_out_of_order",
    );
    expect(rejected(honestEvidence("nonce-1", steps.slice(0, 3)))).toBe("steps_out_of_order");
  });

  it("timestamps later than the time that has passed", () => {
    expect(rejected(honestEvidence("nonce-1", steps), 200)).toBe("impossible_timing");
  });

  it("frames faster than any camera, or going backwards", () => {
    const fast = honestEvidence("nonce-1", steps);
    fast.steps[1]!.frames[2]!.t = fast.steps[1]!.frames[1]!.t + 2;
    expect(rejected(fast)).toBe("impossible_timing");
    const backwards = honestEvidence("nonce-1", steps);
    backwards.steps[1]!.frames[2]!.t = 1;
    expect(rejected(backwards)).toBe("impossible_timing");
  });

  it("a head turn faster than a human can move", () => {
    const e = honestEvidence("nonce-1", steps);
    const t0 = e.steps[0]!.frames[0]!.t;
    e.steps[0]!.frames = [poseFrame(t0), poseFrame(t0 + 10, 0.06), poseFrame(t0 + 20, 0.06)];
    expect(rejected(e)).toBe("impossible_timing");
  });

  it("snapshots that are not JPEGs or name a step that does not exist", () => {
    const notJpeg = honestEvidence("nonce-1", steps);
    notJpeg.snapshots[0]!.jpeg = Buffer.from("<svg>not a photo</svg>".repeat(10)).toString("base64");
    expect(rejected(notJpeg)).toBe("bad_snapshot");
    const badStep = honestEvidence("nonce-1", steps);
    badStep.snapshots[1]!.step = 7;
    expect(rejected(badStep)).toBe("bad_snapshot");
  });
});
