import { describe, expect, it } from "vitest";
import { readEvent } from "../../shared/events.js";
import type { IdentityChecked } from "../../shared/identity.js";
import type { EventType, InterviewEvent } from "../../shared/interview.js";
import { buildContext } from "./context.js";
import { identityRule } from "./identity.js";

const T0 = Date.parse("2026-11-25T10:00:00Z");
let nextId = 1;
/** An event as the store reads it: data that does not match its type's schema makes it `legacy`. */
const event = (type: EventType, data: Record<string, unknown>, actor: InterviewEvent["actor"] = "monitor"): InterviewEvent =>
  readEvent({
    id: nextId++,
    type,
    at: new Date(T0 + nextId * 1000).toISOString(),
    actor,
    ip: null,
    userAgent: null,
    data,
  });
const run = (events: InterviewEvent[]) =>
  identityRule(buildContext({ interviewId: "iv_1", events, geo: { lookup: () => ({}) }, now: new Date(T0 + 3_600_000) }));

const check = (over: Partial<IdentityChecked>): IdentityChecked => ({
  templateId: 2,
  challengeId: "ch_2",
  frames: 4,
  consistency: 0.93,
  antispoof: [0.71, 0.7, 0.72, 0.69],
  threshold: 0.55,
  rounds: [],
  reused: [],
  searched: 10,
  ...over,
});

describe("identityRule", () => {
  it("stays quiet for a first interview with nothing to compare", () => {
    expect(run([event("identity_checked", check({}), "verifier")])).toEqual([]);
  });

  it("stays quiet when earlier rounds under the same email are the same person", () => {
    const rounds = [{ interviewId: "iv_0", round: 1, similarity: 0.82, samePerson: true }];
    expect(run([event("identity_checked", check({ rounds }), "verifier")])).toEqual([]);
  });

  it("flags identity_changed high with each round's similarity and the threshold", () => {
    const rounds = [
      { interviewId: "iv_a", round: 1, similarity: 0.81, samePerson: true },
      { interviewId: "iv_b", round: 2, similarity: 0.21, samePerson: false },
    ];
    const [flag] = run([event("identity_checked", check({ rounds }), "verifier")]);
    expect(flag).toMatchObject({ id: "identity_changed", severity: "high", advisoryFlag: "identity", evidence: { rounds, threshold: 0.55 } });
    expect(flag!.explanation).toContain("Round 2 scored 0.21");
    expect(flag!.explanation).toContain("0.55");
  });

  it("flags face_reused high, naming the other interview and persona", () => {
    const reused = [{ interviewId: "iv_z", candidateName: "Other Name", similarity: 0.88 }];
    const [flag] = run([event("identity_checked", check({ reused }), "verifier")]);
    expect(flag).toMatchObject({ id: "face_reused", severity: "high", evidence: { reused } });
    expect(flag!.explanation).toContain('"Other Name" (interview iv_z, similarity 0.88)');
  });

  it("flags a face mismatch with the monitor's similarities", () => {
    const flags = run([event("face_mismatch", { similarities: [0.2, 0.18, 0.25], threshold: 0.55, seconds: 3.1, snapshotId: 7 })]);
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ id: "face_mismatch", severity: "high", evidence: { episodes: 1, similarities: [0.2, 0.18, 0.25], snapshotId: 7 } });
    expect(flags[0]!.explanation).toContain("0.20, 0.18, 0.25");
  });

  it("flags joining without video as refusing video", () => {
    expect(run([event("no_video", { seconds: 20 })])[0]).toMatchObject({ id: "no_video", severity: "medium", advisoryFlag: "refuses_video" });
  });

  it("ignores an identity_checked event whose data does not parse", () => {
    expect(run([event("identity_checked", { templateId: "x" }, "verifier")])).toEqual([]);
  });

  it("flags a pass without a reference face for review: no face to compare, or only another pass's", () => {
    const [alone] = run([event("no_reference_face", { challengeId: "ch_1", cause: "not_reported" }, "verifier")]);
    expect(alone).toMatchObject({ id: "no_reference_face", severity: "medium", evidence: { challenges: ["ch_1"], comparedWithAnotherPass: false } });
    expect(alone!.title).toContain("the monitor cannot compare faces");
    expect(alone!.explanation).toContain("no verified face to compare");
    const [second] = run([
      event("identity_checked", check({ challengeId: "ch_1" }), "verifier"),
      event("no_reference_face", { challengeId: "ch_2", cause: "not_stored" }, "system"),
    ]);
    expect(second).toMatchObject({ id: "no_reference_face", evidence: { challenges: ["ch_2"], comparedWithAnotherPass: true } });
    expect(second!.explanation).toContain("only with the face of another pass");
  });
});
