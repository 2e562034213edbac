import { describe, expect, it } from "vitest";
import { REDACTED_NAME } from "../../shared/personal-data.js";
import { redactEventData } from "./redact.js";

describe("redactEventData", () => {
  it("empties environment and network reports", () => {
    expect(redactEventData("environment_reported", { timeZone: "Asia/Seoul", languages: ["ko-KR"] })).toEqual({ redacted: true });
    expect(redactEventData("network_reported", { candidateType: "relay", rttMs: [12] })).toEqual({ redacted: true });
  });

  it("drops labels, names, emails, IPs and notes, keeping verdict-like fields", () => {
    const data = {
      label: "Logitech C920 (046d:082d)",
      width: 1280,
      suspicions: [{ kind: "virtual_label", label: "OBS Virtual Camera" }],
      sessionId: "cs_1",
      passed: true,
      failure: "timeout",
      steps: ["turn_left", "blink"],
      peer: "203.0.113.7",
      contact: "ada@example.com",
      reused: [{ interviewId: "iv_2", candidateName: "Grace", candidateEmail: "g@example.com", similarity: 0.91 }],
      items: ["asked_crypto_payment"],
      note: "said he lives in Seoul",
    };
    expect(redactEventData("camera_granted", data)).toEqual({
      width: 1280,
      suspicions: [{ kind: "virtual_label" }],
      sessionId: "cs_1",
      passed: true,
      failure: "timeout",
      steps: ["turn_left", "blink"],
      reused: [{ interviewId: "iv_2", candidateName: REDACTED_NAME, similarity: 0.91 }],
      items: ["asked_crypto_payment"],
    });
  });

  it("returns the same object when nothing is personal", () => {
    const data = { challengeId: "ch_1", at: "2026-01-01T00:00:00.000Z", similarity: 0.4 };
    expect(redactEventData("liveness_passed", data)).toBe(data);
  });
});
