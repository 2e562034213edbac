import { describe, expect, it } from "vitest";
import { effectiveStatus, statusAfter } from "./status.js";

describe("statusAfter", () => {
  it("walks the happy path", () => {
    let s = statusAfter("created", "link_opened");
    expect(s).toBe("link_opened");
    s = statusAfter(s, "liveness_started");
    expect(s).toBe("verifying");
    s = statusAfter(s, "liveness_passed");
    expect(s).toBe("verified");
    s = statusAfter(s, "participant_joined", { candidate: true });
    expect(s).toBe("in_interview");
    s = statusAfter(s, "interview_ended");
    expect(s).toBe("ended");
  });

  it("keeps the interview open when LiveKit closes the empty room", () => {
    // Only the interviewer (or an API call) ends an interview; room_finished is only recorded.
    expect(statusAfter("in_interview", "room_finished")).toBe("in_interview");
    expect(statusAfter("verified", "room_finished")).toBe("verified");
    expect(statusAfter("created", "room_finished")).toBe("created");
    expect(statusAfter("in_interview", "interview_ended")).toBe("ended");
  });

  it("never moves backwards", () => {
    expect(statusAfter("verified", "link_opened")).toBe("verified");
    expect(statusAfter("in_interview", "liveness_started")).toBe("in_interview");
    expect(statusAfter("ended", "participant_joined", { candidate: true })).toBe("ended");
  });

  it("ignores the interviewer joining", () => {
    expect(statusAfter("verified", "participant_joined", { candidate: false })).toBe("verified");
  });

  it("fails only once the attempts are used up, and allows a retry", () => {
    expect(statusAfter("verifying", "liveness_failed")).toBe("verifying");
    expect(statusAfter("verifying", "liveness_failed", { attemptsExhausted: true })).toBe("failed");
    expect(statusAfter("failed", "liveness_started")).toBe("verifying");
  });
});

describe("effectiveStatus", () => {
  const now = new Date("2026-01-02T00:00:00Z");
  it("reports an unfinished interview past its expiry as expired", () => {
    expect(effectiveStatus("link_opened", "2026-01-01T00:00:00Z", now)).toBe("expired");
    expect(effectiveStatus("link_opened", "2026-01-03T00:00:00Z", now)).toBe("link_opened");
    expect(effectiveStatus("ended", "2026-01-01T00:00:00Z", now)).toBe("ended");
  });
});
