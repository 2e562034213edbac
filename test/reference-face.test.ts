/**
 * What the kit does with a pass's reference face (security review 2, findings 11 and 12), through
 * its own verifier report route as a verifier job posts it: a pass without a reference face is
 * recorded and flagged for review (the monitor has nothing to compare the interview with), never
 * silently accepted; a pass whose reference frames are of two people is a `MultipleFaces` failure.
 * The check is issued in the store with a known report secret, as in test/erasure.test.ts: nothing
 * here touches a room.
 */
import { describe, expect, it } from "vitest";
import { EMBEDDING_LENGTH } from "../shared/verifier-job.js";
import { describeEvent } from "../client/ui/labels.js";
import { hashSecret } from "../server/security/tokens.js";
import { client, testApp, tokenOf } from "./helpers/app.js";

/** The LiveKit settings are never used: no check here reaches a room. */
const livekit = { url: "ws://127.0.0.1:9", publicUrl: "ws://127.0.0.1:9", apiKey: "unused-key", apiSecret: "unused-secret-0123456789abcdef0123456789" };
const REPORT_SECRET = "report-secret-reference-0123456789";
const EMBEDDING = Array.from({ length: EMBEDDING_LENGTH }, (_, i) => Number((Math.sin(i * 0.7 + 0.1) * 0.031).toFixed(9)));

/** An interview with a candidate session and a check in flight whose verifier holds REPORT_SECRET. */
async function checkInFlight() {
  const kit = testApp({ livekit });
  const api = client(kit.app);
  const { json, token, headers } = await api.candidateSession({ candidate: { name: "Ri Chol-min", email: "chol.min@example.com" } });
  const id = json.id!;
  const [session] = await kit.store.listSessions(id);
  const now = new Date();
  const challengeId = `ch_reference_${id}`;
  await kit.store.issueChallenge(
    {
      id: challengeId, interviewId: id, sessionId: session!.id, room: `verify-${id}`, callbackHash: hashSecret(REPORT_SECRET),
      steps: ["turn_left"], delaysMs: [1000], issuedAt: now.toISOString(), expiresAt: new Date(now.getTime() + 60_000).toISOString(),
      state: "pending", phase: "running", progressAt: null, failure: null, refunded: false, finishedAt: null, verdict: null,
    },
    3,
    now.toISOString(),
  );
  const report = (body: unknown) =>
    kit.app.request(`/internal/verifier/challenges/${challengeId}`, {
      method: "POST",
      headers: { authorization: `Bearer ${REPORT_SECRET}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  const riskReport = async () => (await api.call("GET", `/v1/interviews/${id}/report`, { headers: api.auth })).json();
  const status = async () => (await api.call("GET", `/v1/candidate/${tokenOf(json.candidateUrl!)}/liveness/${challengeId}`, { headers })).json();
  return { kit, api, id, token, headers, challengeId, report, riskReport, status };
}

const pass = (extra: Record<string, unknown> = {}) => ({
  type: "verdict", passed: true, reasons: ["step 1 (turn_left): done"], steps: [{ step: "turn_left", promptAt: 1, passed: true }], trace: [],
  snapshots: [], framesAnalysed: 40, analysedFps: 10, ...extra,
});

describe("a pass without a reference face (security review 2, finding 12)", () => {
  it("is recorded as no_reference_face and flagged for review: the monitor cannot compare faces", async () => {
    const { kit, id, report, riskReport, status } = await checkInFlight();
    const res = await report(pass({ reasons: ["step 1 (turn_left): done", "no reference face: the face analyser failed while building it"] }));
    expect(res.status).toBe(200);
    // The pass stands: the candidate is not failed for the verifier's trouble.
    expect(await status()).toMatchObject({ state: "passed" });

    const events = await kit.store.listEvents(id);
    const recorded = events.find((e) => e.type === "no_reference_face");
    expect(recorded?.data).toEqual({ challengeId: expect.stringMatching(/^ch_reference_/), cause: "not_reported" });
    expect(events.some((e) => e.type === "identity_checked")).toBe(false);
    // The interviewer's timeline says it in words.
    expect(describeEvent(recorded!)).toMatch(/monitor cannot compare faces/);

    const risk = await riskReport();
    const flag = risk.flags.find((f: { id: string }) => f.id === "no_reference_face");
    expect(flag).toMatchObject({ severity: "medium", advisoryFlag: "identity", title: expect.stringMatching(/monitor cannot compare faces/) });
    expect(flag.explanation).toMatch(/no verified face to compare/);
    expect(risk.level).toBe("review");
  });

  it("is flagged too when the kit cannot keep the reference it was sent", async () => {
    const { kit, id, report, riskReport } = await checkInFlight();
    // An all-zero vector passes the wire schema but is no face template.
    const zero = { embedding: new Array(EMBEDDING_LENGTH).fill(0), frames: 4, consistency: 0.97, agreement: 0.9, antispoof: [0.7] };
    expect((await report(pass({ reference: zero }))).status).toBe(200);
    expect((await kit.store.listEvents(id)).find((e) => e.type === "no_reference_face")?.data).toMatchObject({ cause: "not_stored" });
    expect((await riskReport()).flags.map((f: { id: string }) => f.id)).toContain("no_reference_face");
  });

  it("is not what a pass with a reference face gets", async () => {
    const { kit, id, report, riskReport } = await checkInFlight();
    const reference = { embedding: EMBEDDING, frames: 4, consistency: 0.97, agreement: 0.9, antispoof: [0.7] };
    expect((await report(pass({ reference }))).status).toBe(200);
    const types = (await kit.store.listEvents(id)).map((e) => e.type);
    expect(types).toContain("identity_checked");
    expect(types).not.toContain("no_reference_face");
    const risk = await riskReport();
    expect(risk.flags.map((f: { id: string }) => f.id)).not.toContain("no_reference_face");
    expect(risk.level).toBe("clear");
  });
});

describe("a pass whose reference face is of two people (security review 2, finding 11)", () => {
  for (const [what, reference] of [
    ["two frames that do not match each other", { embedding: EMBEDDING, frames: 4, consistency: 0.87, agreement: 0.45, antispoof: [0.7] }],
    ["a mean its frames barely match, from a verifier that reports no agreement", { embedding: EMBEDDING, frames: 4, consistency: 0.8, antispoof: [0.7] }],
  ] as const) {
    it(`fails as MultipleFaces, keeps no template and does not open the gate: ${what}`, async () => {
      const { kit, api, id, token, headers, report, status } = await checkInFlight();
      expect((await report(pass({ reference }))).status).toBe(200);
      expect(await status()).toMatchObject({ state: "failed", failure: "MultipleFaces", refunded: false });
      expect(await kit.store.monitoring.templatesOf(id)).toHaveLength(0);
      const events = await kit.store.listEvents(id);
      expect(events.some((e) => e.type === "identity_checked" || e.type === "liveness_passed")).toBe(false);
      const failed = events.find((e) => e.type === "liveness_failed");
      expect(failed?.data).toMatchObject({ failure: "MultipleFaces", reasons: expect.arrayContaining([expect.stringMatching(/more than one person/)]) });
      expect((await api.call("POST", `/v1/candidate/${token}/join`, { headers })).status).toBe(403);
    });
  }
});
