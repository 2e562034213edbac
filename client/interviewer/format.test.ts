import { describe, expect, it } from "vitest";
import type { InterviewEvent } from "../../shared/interview.js";
import { describeEvent, RED_FLAGS } from "./format.js";

const event = (type: InterviewEvent["type"], data: Record<string, unknown> = {}, ip: string | null = null): InterviewEvent => ({
  id: 1,
  type,
  at: "2026-01-01T00:00:00.000Z",
  actor: "candidate",
  ip,
  userAgent: null,
  data,
});

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
