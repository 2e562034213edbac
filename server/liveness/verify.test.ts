import { describe, expect, it } from "vitest";
import type { FrameTrace, LivenessEvidence } from "../../shared/candidate.js";
import type { ChallengeRecord } from "../store/index.js";
import { verifyEvidence } from "./verify.js";

const challenge: ChallengeRecord = {
  id: "ch_1",
  interviewId: "iv_1",
  sessionId: "cs_1",
  nonce: "nonce-1",
  steps: ["face_present"],
  deadlines: [15000],
  issuedAt: "2026-01-01T00:00:00.000Z",
  expiresAt: "2026-01-01T00:01:00.000Z",
  usedAt: null,
  verdict: null,
};

const face = (t: number, extra: Partial<FrameTrace> = {}): FrameTrace => ({
  t,
  faces: 1,
  score: 0.9,
  box: { x: 0.3, y: 0.2, w: 0.35, h: 0.45 },
  ...extra,
});
const evidence = (frames: FrameTrace[], nonce = "nonce-1"): LivenessEvidence => ({
  nonce,
  steps: [{ step: "face_present", frames }],
});
const frames = (n: number, make = (t: number) => face(t)) => Array.from({ length: n }, (_, i) => make(200 + i * 40));

describe("verifyEvidence (face present)", () => {
  it("passes one face held for enough frames", () => {
    const v = verifyEvidence(challenge, evidence(frames(12)), 3000, 10);
    expect(v.passed).toBe(true);
  });

  it("refuses a wrong nonce", () => {
    expect(verifyEvidence(challenge, evidence(frames(12), "other"), 3000, 10)).toMatchObject({
      passed: false,
      failure: "NonceMismatch",
    });
  });

  it("refuses frames without a face", () => {
    const v = verifyEvidence(challenge, evidence(frames(12, (t) => face(t, { faces: 0, score: undefined }))), 3000, 10);
    expect(v).toMatchObject({ passed: false, failure: "NoFace" });
  });

  it("refuses a second face anywhere in the trace", () => {
    const trace = frames(12);
    trace[5] = face(trace[5]!.t, { faces: 2 });
    expect(verifyEvidence(challenge, evidence(trace), 3000, 10)).toMatchObject({ failure: "MultipleFaces" });
  });

  it("refuses low-confidence detections", () => {
    const v = verifyEvidence(challenge, evidence(frames(12, (t) => face(t, { score: 0.3 }))), 3000, 10);
    expect(v).toMatchObject({ passed: false, failure: "NoFace" });
  });

  it("refuses a broken run that is too short", () => {
    const trace = frames(12);
    trace[6] = face(trace[6]!.t, { faces: 0 });
    expect(verifyEvidence(challenge, evidence(trace), 3000, 10)).toMatchObject({ failure: "NoFace" });
  });

  it("refuses too few frames", () => {
    expect(verifyEvidence(challenge, evidence(frames(3)), 3000, 10)).toMatchObject({ failure: "TooFewFrames" });
  });

  it("refuses frames faster than a camera delivers", () => {
    const trace = Array.from({ length: 12 }, (_, i) => face(100 + i * 2));
    expect(verifyEvidence(challenge, evidence(trace), 3000, 10)).toMatchObject({ failure: "ImpossibleTiming" });
  });

  it("refuses timestamps later than the time that has passed", () => {
    const trace = Array.from({ length: 12 }, (_, i) => face(5000 + i * 40));
    expect(verifyEvidence(challenge, evidence(trace), 1000, 10)).toMatchObject({ failure: "ImpossibleTiming" });
  });

  it("refuses frames past the step deadline", () => {
    const trace = Array.from({ length: 12 }, (_, i) => face(14800 + i * 40));
    expect(verifyEvidence(challenge, evidence(trace), 20000, 10)).toMatchObject({ failure: "Timeout" });
  });
});
