import { describe, expect, it } from "vitest";
import { withoutCandidateMentions } from "./redaction-mentions.js";

describe("withoutCandidateMentions", () => {
  it("replaces the name and drops the email of the redacted interview's entries only", () => {
    const stored = JSON.stringify({
      matched: true,
      reused: [
        { interviewId: "iv_a", candidateName: "Ada Lovelace", candidateEmail: "ada@example.com", similarity: 0.91 },
        { interviewId: "iv_z", candidateName: "Zed", candidateEmail: "z@example.com", similarity: 0.7 },
      ],
    });
    expect(JSON.parse(withoutCandidateMentions(stored, "iv_a", "[redacted]")!)).toEqual({
      matched: true,
      reused: [
        { interviewId: "iv_a", candidateName: "[redacted]", similarity: 0.91 },
        { interviewId: "iv_z", candidateName: "Zed", candidateEmail: "z@example.com", similarity: 0.7 },
      ],
    });
  });

  it("leaves data that only contains the id as text, or has no list, alone", () => {
    expect(withoutCandidateMentions(JSON.stringify({ note: "iv_a", reused: [{ interviewId: "iv_b" }] }), "iv_a", "x")).toBeUndefined();
    expect(withoutCandidateMentions(JSON.stringify({ reused: "iv_a" }), "iv_a", "x")).toBeUndefined();
  });
});
