import { describe, expect, it } from "vitest";
import type { InterviewStatus } from "../../shared/interview.js";
import { type AtsFacts, atsOutcome, atsScore } from "./status.js";

const facts = (over: Partial<AtsFacts>): AtsFacts => ({ profile: "liveness", status: "created", verified: false, level: "clear", flags: [], ...over });

describe("ATS outcome", () => {
  it("moves pending, in progress, complete for the liveness test, and scores only a completed one", () => {
    const seen = (["created", "link_opened", "verifying"] as InterviewStatus[]).map((status) => atsOutcome(facts({ status })));
    expect(seen.map((o) => o.status)).toEqual(["pending", "in_progress", "in_progress"]);
    expect(seen.every((o) => o.score === undefined)).toBe(true);
    expect(atsOutcome(facts({ status: "verified", verified: true }))).toEqual({
      status: "complete",
      score: 100,
      metadata: { Liveness: "passed", Risk: "clear", Flags: "none" },
    });
  });

  it("completes the interview test only once the interview ended after a pass", () => {
    const interview = (status: InterviewStatus, verified = true) => atsOutcome(facts({ profile: "liveness_interview", status, verified }));
    expect(interview("verified").status).toBe("in_progress");
    expect(interview("in_interview").status).toBe("in_progress");
    expect(interview("in_interview").metadata.Interview).toBe("in progress");
    expect(interview("ended")).toMatchObject({ status: "complete", score: 100, metadata: { Interview: "ended" } });
    expect(interview("expired", false).status).toBe("expired");
    expect(interview("ended", false).status).toBe("expired");
  });

  it("scores every failed attempt 0 as complete, and a pass by its risk level, whatever the flags' raw numbers", () => {
    expect(atsOutcome(facts({ status: "failed" }))).toMatchObject({ status: "complete", score: 0, metadata: { Liveness: "failed" } });
    expect(atsScore(true, "review")).toBe(60);
    expect(atsScore(true, "high")).toBe(20);
    expect(atsScore(false, "clear")).toBe(0);
    const flagged = atsOutcome(facts({ status: "verified", verified: true, level: "high", flags: ["face_reused", "timezone_mismatch"] }));
    expect(flagged).toMatchObject({ score: 20, metadata: { Risk: "high", Flags: "face_reused, timezone_mismatch" } });
  });

  it("reports an expired link with no pass as expired, and one that passed first as complete", () => {
    expect(atsOutcome(facts({ status: "expired" })).status).toBe("expired");
    expect(atsOutcome(facts({ status: "expired", verified: true })).status).toBe("complete");
  });
});
