import { describe, expect, it } from "vitest";
import { WebhookEvent } from "../../shared/webhooks.js";
import type { InterviewEvent } from "../../shared/interview.js";
import { toWebhookEvents } from "./map.js";

const at = "2030-01-02T03:04:05.000Z";
const map = (type: InterviewEvent["type"], data: Record<string, unknown> = {}) => toWebhookEvents("iv_1", { type, at, data });
const types = (type: InterviewEvent["type"], data?: Record<string, unknown>) => map(type, data).map((o) => o.event.type);

const checked = (over: Record<string, unknown>) => ({
  templateId: 1,
  challengeId: "ch_1",
  frames: 5,
  consistency: 0.9,
  antispoof: [],
  threshold: 0.6,
  rounds: [],
  reused: [],
  searched: 3,
  ...over,
});

describe("toWebhookEvents", () => {
  it("maps the lifecycle events one to one, with the event's time and interview", () => {
    expect(map("interview_created")).toEqual([{ event: { type: "interview.created", timestamp: at, data: { interviewId: "iv_1" } } }]);
    expect(types("link_opened")).toEqual(["interview.link_opened"]);
    expect(types("camera_refused")).toEqual(["candidate.camera_refused"]);
    expect(map("liveness_passed", { challengeId: "ch_1", steps: ["turn_left"] })[0]!.event).toEqual({
      type: "verification.passed",
      timestamp: at,
      data: { interviewId: "iv_1", challengeId: "ch_1" },
    });
    expect(types("interview_ended")).toEqual(["interview.ended"]);
    expect(map("face_mismatch", { seconds: 4, threshold: 0.6, similarities: [0.1] })[0]!.event.data).toEqual({
      interviewId: "iv_1",
      seconds: 4,
      threshold: 0.6,
    });
  });

  it("adds attempts_exhausted to a failure that used the last attempt, not to a refunded one", () => {
    expect(types("liveness_failed", { challengeId: "c", attemptsLeft: 1, refunded: false, failure: "NoFace" })).toEqual(["verification.failed"]);
    expect(types("liveness_failed", { challengeId: "c", attemptsLeft: 0, refunded: false })).toEqual([
      "verification.failed",
      "verification.attempts_exhausted",
    ]);
    expect(types("liveness_failed", { challengeId: "c", attemptsLeft: 0, refunded: true })).toEqual(["verification.failed"]);
  });

  it("starts the interview when the candidate joins, once per interview, and ignores others joining", () => {
    expect(map("participant_joined", { role: "candidate", identity: "cand-1" })).toEqual([
      { event: { type: "interview.started", timestamp: at, data: { interviewId: "iv_1" } }, onceKey: "interview.started:iv_1" },
    ]);
    expect(types("participant_joined", { role: "interviewer" })).toEqual([]);
    expect(types("participant_joined", { role: "monitor" })).toEqual([]);
  });

  it("reports a reused network, device or document by interview id and outcome only, never names, addresses or the document", () => {
    const other = { interviewId: "iv_9", candidateName: "Someone Else", candidateEmail: "x@example.com", at: at };
    const network = map("network_checked", { ip: "1.96.0.10", prefix: "1.96.0.0/24", matches: [{ ...other, ip: "1.96.0.77", sameAddress: false }] });
    expect(network.map((o) => o.event)).toEqual([{ type: "identity.network_reused", timestamp: at, data: { interviewId: "iv_1", matches: [{ interviewId: "iv_9", sameAddress: false }] } }]);
    expect(types("network_checked", { ip: "1.96.0.10", prefix: "1.96.0.0/24", matches: [] })).toEqual([]);
    const device = map("device_checked", { sessionId: "cs_1", matches: [other] });
    expect(device.map((o) => o.event)).toEqual([{ type: "identity.device_reused", timestamp: at, data: { interviewId: "iv_1", matches: [{ interviewId: "iv_9" }] } }]);
    const document = map("document_checked", {
      challengeId: "ch_1", mode: "optional", outcome: "read", framesRead: 2, agreeingFrames: 2, lookedMs: 3000,
      document: { format: "TD3", documentCode: "P", issuingState: "KOR", nationality: "KOR", surname: "KIM", givenNames: "MIN JUN", birthDate: "900314", expiryDate: "310922", sex: "male", numberHash: "ab".repeat(16) },
      checks: { expired: false, nameMatches: false },
      portrait: { kind: "compared", similarity: 0.31, threshold: 0.62 },
      matches: [other],
    });
    expect(document.map((o) => o.event)).toEqual([
      { type: "interview.document_checked", timestamp: at, data: { interviewId: "iv_1", challengeId: "ch_1", outcome: "read", flags: ["document_face_mismatch", "document_name_mismatch", "document_reused"], portraitSimilarity: 0.31 } },
    ]);
    for (const out of [network, device, document]) {
      for (const secret of ["Someone", "example.com", "1.96.0", "KIM", "900314", "abab"]) expect(JSON.stringify(out)).not.toContain(secret);
    }
  });

  it("reports reused faces and changed rounds from identity_checked, without names or emails", () => {
    expect(types("identity_checked", checked({}))).toEqual([]);
    const out = map(
      "identity_checked",
      checked({
        reused: [{ interviewId: "iv_9", candidateName: "Someone Else", candidateEmail: "x@example.com", similarity: 0.8 }],
        rounds: [
          { interviewId: "iv_2", round: 1, similarity: 0.2, samePerson: false },
          { interviewId: "iv_3", round: 2, similarity: 0.9, samePerson: true },
        ],
      }),
    );
    expect(out.map((o) => o.event)).toEqual([
      { type: "identity.face_reused", timestamp: at, data: { interviewId: "iv_1", matches: [{ interviewId: "iv_9", similarity: 0.8 }] } },
      { type: "identity.changed", timestamp: at, data: { interviewId: "iv_1", rounds: [{ interviewId: "iv_2", round: 1, similarity: 0.2 }] } },
    ]);
    expect(JSON.stringify(out)).not.toContain("Someone");
    expect(JSON.stringify(out)).not.toContain("example.com");
  });

  it("sends the checklist items an interviewer ticked, never the free-text note", () => {
    const [sent] = map("interviewer_observed", { items: ["asked_crypto_payment"], note: "paid to my cousin's wallet", via: "api" });
    expect(sent!.event).toEqual({
      type: "interview.observation_recorded",
      timestamp: at,
      data: { interviewId: "iv_1", items: ["asked_crypto_payment"], via: "api" },
    });
    expect(JSON.stringify(sent)).not.toContain("cousin");
    // A legacy row whose data no longer matches is not sent half-read.
    expect(types("interviewer_observed", { items: ["not_an_item"], via: "api" })).toEqual([]);
  });

  it("reports a redaction with its reason and counts only, once per interview; legacy data sends nothing", () => {
    const removed = { snapshots: 2, templates: 1, events: 5 };
    const data = { reason: "retention", riskLevel: "high", flags: [{ id: "x", severity: "high", advisoryFlag: "identity", title: "X" }], removed };
    expect(map("personal_data_redacted", data)).toEqual([
      {
        event: { type: "interview.personal_data_redacted", timestamp: at, data: { interviewId: "iv_1", reason: "retention", removed } },
        onceKey: "interview.personal_data_redacted:iv_1",
      },
    ]);
    expect(types("personal_data_redacted", { reason: "api" })).toEqual([]);
  });

  it("sends nothing for the events no receiver is told about", () => {
    for (const type of ["token_issued", "track_published", "face_present", "environment_reported"] as const) expect(types(type)).toEqual([]);
  });

  it("produces only events that match the shared schema", () => {
    const all = [
      ...map("interview_created"),
      ...map("liveness_failed", { challengeId: "c", attemptsLeft: 0, refunded: false, failure: "NoFace" }),
      ...map("face_mismatch", {}),
      ...map("participant_joined", { role: "candidate" }),
      ...map("interviewer_observed", { items: ["location_contradicted"], via: "interviewer_link" }),
      ...map("personal_data_redacted", { reason: "api", removed: { snapshots: 0, templates: 0, events: 3 } }),
    ];
    for (const o of all) expect(WebhookEvent.parse(o.event)).toEqual(o.event);
  });
});
