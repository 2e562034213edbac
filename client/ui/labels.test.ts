import { describe, expect, it } from "vitest";
import type { InterviewEvent } from "../../shared/interview.js";
import { describeEvent, livenessVerdict, RED_FLAGS } from "./labels.js";

const event = (type: InterviewEvent["type"], data: Record<string, unknown> = {}, ip: string | null = null): InterviewEvent => ({
  id: 1,
  type,
  at: "2026-01-01T00:00:00.000Z",
  actor: "candidate",
  ip,
  userAgent: null,
  data,
}) as InterviewEvent;

describe("describeEvent", () => {
  it("names a camera refusal with its failure and IP, and flags it", () => {
    const e = event("camera_refused", { failure: "PermissionDenied" }, "203.0.113.5");
    expect(describeEvent(e)).toBe("Camera refused · PermissionDenied · 203.0.113.5");
    expect(RED_FLAGS.has(e.type)).toBe(true);
  });

  it("describes LiveKit events with role and source", () => {
    expect(describeEvent(event("track_published", { role: "candidate", source: "CAMERA" }))).toBe(
      "Started sending media (candidate) · camera",
    );
  });
});

describe("livenessVerdict", () => {
  it("takes the latest verdict with its reasons, and says none before any", () => {
    expect(livenessVerdict([event("link_opened")])).toEqual({ verdict: "none", reasons: [] });
    const failedThenPassed = [event("liveness_failed", { reasons: ["too fast"] }), event("liveness_passed", { reasons: ["all steps"] })];
    expect(livenessVerdict(failedThenPassed)).toEqual({ verdict: "passed", reasons: ["all steps"] });
    expect(livenessVerdict(failedThenPassed.reverse())).toEqual({ verdict: "failed", reasons: ["too fast"] });
  });
});
