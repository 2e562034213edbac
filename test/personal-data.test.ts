import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { PersonalDataExport, REDACTED_NAME, RedactionResult } from "../shared/personal-data.js";
import type { LiveKitSettings } from "../server/livekit/index.js";
import { KNOWN_IPS } from "./fixtures/known-ips.js";
import { client, testApp, tokenOf } from "./helpers/app.js";
import { sharedLiveKit } from "./helpers/livekit.js";

let livekit: LiveKitSettings;
beforeAll(async () => {
  livekit = await sharedLiveKit();
});

const CN_IP = KNOWN_IPS.cnChinanet.ip;
const UA = "Mozilla/5.0 (X11; Linux x86_64) PersonalDataTest/1.0";
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 0xff, 0xd9]);

const environment = () => ({
  timeZone: "Asia/Shanghai",
  offsetJanuary: -480,
  offsetJuly: -480,
  languages: ["zh-CN"],
  locale: "zh-CN",
  clientTime: Date.now(),
});

/** An interview from a CN address with a KR claim, a camera label, an environment report, a snapshot and a template. */
async function seeded(options: { now?: () => Date } = {}) {
  const kit = testApp({ livekit, ...options });
  const api = client(kit.app, CN_IP);
  const { json } = await api.createInterview({
    candidate: { name: "Kim Min-jun", email: "minjun@example.com" },
    claimedLocation: { country: "KR", city: "Seoul" },
  });
  const id = json.id!;
  const token = tokenOf(json.candidateUrl!);
  const ua = { "user-agent": UA };
  await api.call("GET", `/v1/candidate/${token}`, { headers: ua });
  const session = await (await api.call("POST", `/v1/candidate/${token}/session`, { headers: ua })).json();
  const headers = { ...ua, "x-candidate-session": session.sessionKey as string };
  expect((await api.call("POST", `/v1/candidate/${token}/camera`, { headers, body: { status: "granted", label: "Logitech BRIO" } })).status).toBe(200);
  expect((await api.call("POST", `/v1/candidate/${token}/environment`, { headers, body: environment() })).status).toBe(201);

  const [sessionRecord] = await kit.store.listSessions(id);
  const now = (options.now ?? (() => new Date()))();
  const issued = await kit.store.issueChallenge(
    {
      id: "ch_personal_" + id,
      interviewId: id,
      sessionId: sessionRecord!.id,
      room: "verify-" + id,
      callbackHash: "x",
      steps: ["turn_left"],
      delaysMs: [1000],
      issuedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + 60_000).toISOString(),
      state: "pending",
      phase: "waiting_verifier",
      progressAt: null,
      failure: null,
      refunded: false,
      finishedAt: null,
      verdict: null,
    },
    3,
    now.toISOString(),
  );
  expect(issued.issued).toBe(true);
  await kit.store.saveSnapshots([{ interviewId: id, challengeId: "ch_personal_" + id, step: 0, t: 1.5, jpeg: JPEG, createdAt: now.toISOString() }]);
  await kit.store.monitoring.saveTemplate({
    interviewId: id,
    challengeId: "ch_personal_" + id,
    candidateName: "Kim Min-jun",
    candidateEmail: "minjun@example.com",
    vector: new Float32Array([0.6, 0.8]),
    frames: 5,
    consistency: 0.97,
    createdAt: now.toISOString(),
  });
  const record = (await kit.store.getInterview(id))!;
  await kit.store.finishChallenge("ch_personal_" + id, {
    state: "passed",
    failure: null,
    refunded: false,
    finishedAt: now.toISOString(),
    verdict: { passed: true, steps: [{ step: "turn_left", passed: true }] },
  });
  await kit.timeline.record(record, {
    type: "liveness_passed",
    actor: "verifier",
    data: { challengeId: "ch_personal_" + id, steps: ["turn_left"], delaysMs: [900], reasons: ["passed"], refunded: false, attemptsLeft: 2 },
  });
  return { ...kit, api, id, token };
}

const rows = (dbFile: string, sql: string, ...params: unknown[]) => {
  const db = new Database(dbFile, { readonly: true });
  try {
    return db.prepare(sql).all(...params) as Array<Record<string, unknown>>;
  } finally {
    db.close();
  }
};

describe("DELETE /v1/interviews/:id/personal-data", () => {
  it("removes snapshots, templates and personal values, keeping the skeleton, verdicts and risk level", async () => {
    const kit = await seeded();
    const { api, id, dbFile } = kit;
    const before = await (await api.call("GET", `/v1/interviews/${id}/report`, { headers: api.auth })).json();
    expect(before.level).toBe("high");
    const flagIdsBefore = before.flags.map((f: { id: string }) => f.id);
    expect(flagIdsBefore).toContain("ip_country_mismatch");
    const eventsBefore = rows(dbFile, "SELECT id, type, actor, at FROM events WHERE interview_id = ? ORDER BY id", id);

    // Another interview whose identity check matched this candidate's face names them.
    const other = await api.createInterview({ candidate: { name: "Someone Else" } });
    const otherRecord = (await kit.store.getInterview(other.json.id!))!;
    await kit.timeline.record(otherRecord, {
      type: "identity_checked",
      actor: "verifier",
      data: {
        templateId: 1,
        challengeId: "ch_other",
        frames: 4,
        consistency: 0.95,
        antispoof: [0.7],
        threshold: 0.62,
        rounds: [],
        reused: [{ interviewId: id, candidateName: "Kim Min-jun", candidateEmail: "minjun@example.com", similarity: 0.93 }],
        searched: 1,
      },
    });

    const res = await api.call("DELETE", `/v1/interviews/${id}/personal-data`, { headers: api.auth });
    expect(res.status).toBe(200);
    const body = RedactionResult.parse(await res.json());
    expect(body).toMatchObject({ id, removed: { snapshots: 1, templates: 1 } });
    expect(body.removed.events).toBeGreaterThanOrEqual(4);

    // The bytes and templates are gone from the database itself.
    expect(rows(dbFile, "SELECT * FROM snapshots WHERE interview_id = ?", id)).toEqual([]);
    expect(rows(dbFile, "SELECT * FROM face_templates WHERE interview_id = ?", id)).toEqual([]);
    const events = rows(dbFile, "SELECT * FROM events WHERE interview_id = ? ORDER BY id", id);
    const dump = JSON.stringify(events);
    for (const secret of [CN_IP, UA, "Logitech BRIO", "Asia/Shanghai", "Kim Min-jun", "minjun@example.com"]) expect(dump).not.toContain(secret);
    expect(events.every((e) => e.ip === null && e.user_agent === null)).toBe(true);
    // The skeleton stays: same events, same types, actors and times, plus the redaction record.
    expect(events.slice(0, -1).map(({ id: eid, type, actor, at }) => ({ id: eid, type, actor, at }))).toEqual(eventsBefore);
    expect(events.at(-1)).toMatchObject({ type: "personal_data_redacted", actor: "system" });
    expect(JSON.parse(events.at(-1)!.data as string)).toMatchObject({ reason: "api", riskLevel: "high" });
    const sessions = rows(dbFile, "SELECT ip, user_agent FROM candidate_sessions WHERE interview_id = ?", id);
    expect(sessions).toEqual([{ ip: null, user_agent: null }]);
    expect(rows(dbFile, "SELECT candidate_name, candidate_email FROM interviews WHERE id = ?", id)).toEqual([
      { candidate_name: REDACTED_NAME, candidate_email: null },
    ]);
    expect(JSON.stringify(rows(dbFile, "SELECT data FROM events WHERE interview_id = ?", other.json.id))).not.toContain("Kim Min-jun");

    // The API shows the placeholder, the kept level and the earlier flags without their evidence.
    const interview = await (await api.call("GET", `/v1/interviews/${id}`, { headers: api.auth })).json();
    expect(interview.candidate).toEqual({ name: REDACTED_NAME });
    const after = await (await api.call("GET", `/v1/interviews/${id}/report`, { headers: api.auth })).json();
    expect(after).toMatchObject({ level: "high", redactedAt: body.redactedAt, ips: [], environment: null });
    // Verdicts stay: the pass, its steps and reasons, and the challenge's verdict.
    expect(after.verification).toMatchObject({ status: "passed", camera: "granted" });
    const passed = interview.events.find((e: { type: string }) => e.type === "liveness_passed");
    expect(passed.data).toEqual({
      challengeId: `ch_personal_${id}`,
      steps: ["turn_left"],
      delaysMs: [900],
      reasons: ["passed"],
      refunded: false,
      attemptsLeft: 2,
    });
    expect(rows(dbFile, "SELECT state, verdict FROM challenges WHERE interview_id = ?", id)).toEqual([
      { state: "passed", verdict: JSON.stringify({ passed: true, steps: [{ step: "turn_left", passed: true }] }) },
    ]);
    expect(after.flags.map((f: { id: string }) => f.id)).toEqual(expect.arrayContaining(flagIdsBefore));
    expect(JSON.stringify(after)).not.toContain(CN_IP);
    const list = await (await api.call("GET", "/v1/interviews", { headers: api.auth })).json();
    expect(list.interviews.find((i: { id: string }) => i.id === id).riskLevel).toBe("high");
  });

  it("answers 409 already_redacted on a second call, and 404 for an unknown interview", async () => {
    const { api, id } = await seeded();
    expect((await api.call("DELETE", `/v1/interviews/${id}/personal-data`, { headers: api.auth })).status).toBe(200);
    const again = await api.call("DELETE", `/v1/interviews/${id}/personal-data`, { headers: api.auth });
    expect(again.status).toBe(409);
    expect((await again.json()).error.code).toBe("already_redacted");
    const unknown = await api.call("DELETE", "/v1/interviews/iv_nope/personal-data", { headers: api.auth });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.code).toBe("not_found");
    expect((await api.call("DELETE", `/v1/interviews/${id}/personal-data`)).status).toBe(401);
  });
});

describe("GET /v1/interviews/:id/export", () => {
  it("is one attachment with the interview, events, report, snapshot JPEG, templates, sessions and verifications", async () => {
    const { api, id } = await seeded();
    const res = await api.call("GET", `/v1/interviews/${id}/export`, { headers: api.auth });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename=".+\.json"$/);
    const doc = PersonalDataExport.parse(await res.json());
    expect(doc.interview).toMatchObject({ id, candidate: { name: "Kim Min-jun", email: "minjun@example.com" } });
    expect(doc.events.map((e) => e.type)).toEqual(expect.arrayContaining(["interview_created", "link_opened", "camera_granted", "environment_reported"]));
    expect(doc.events.some((e) => e.ip === CN_IP && e.userAgent === UA)).toBe(true);
    expect(doc.snapshots).toHaveLength(1);
    expect(Buffer.from(doc.snapshots[0]!.jpegBase64, "base64").equals(JPEG)).toBe(true);
    expect(doc.templates).toEqual([expect.objectContaining({ dimensions: 2, frames: 5, candidateEmail: "minjun@example.com" })]);
    expect(doc.sessions).toEqual([expect.objectContaining({ ip: CN_IP, userAgent: UA })]);
    expect(doc.verifications.challenges).toEqual([expect.objectContaining({ steps: ["turn_left"], state: "passed" })]);
    expect(doc.report.level).toBe("high");
    expect(doc.redactedAt).toBeUndefined();
    expect((await api.call("GET", "/v1/interviews/iv_nope/export", { headers: api.auth })).status).toBe(404);
  });
});

describe("PERSONAL_DATA_RETENTION_DAYS", () => {
  it("redacts interviews older than the limit through the same path, once", async () => {
    let clock = Date.parse("2026-03-01T09:00:00.000Z");
    const kit = await seeded({ now: () => new Date(clock) });
    clock += 6 * 86_400_000;
    expect(await kit.personal.purgeOlderThan(7)).toBe(0);
    clock += 2 * 86_400_000;
    expect(await kit.personal.purgeOlderThan(7)).toBe(1);
    expect(rows(kit.dbFile, "SELECT * FROM snapshots WHERE interview_id = ?", kit.id)).toEqual([]);
    expect(rows(kit.dbFile, "SELECT * FROM face_templates WHERE interview_id = ?", kit.id)).toEqual([]);
    const record = rows(kit.dbFile, "SELECT at, data FROM events WHERE interview_id = ? AND type = 'personal_data_redacted'", kit.id);
    expect(record).toHaveLength(1);
    expect(record[0]!.at).toBe(new Date(clock).toISOString());
    expect(JSON.parse(record[0]!.data as string)).toMatchObject({ reason: "retention", riskLevel: "high" });
    expect(await kit.personal.purgeOlderThan(7)).toBe(0);
  });
});

describe("interviewer observations", () => {
  const body = { items: ["asked_crypto_payment", "location_contradicted"], note: "Wants USDT" };

  it("records them through the API key and the interviewer link, as flags in the report", async () => {
    const kit = testApp({ livekit });
    const api = client(kit.app);
    const { json } = await api.createInterview();
    const res = await api.call("POST", `/v1/interviews/${json.id}/observations`, { headers: api.auth, body });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ recorded: "interviewer_observed", items: body.items });
    const viaLink = await api.call("POST", `/v1/interviewer/${tokenOf(json.interviewerUrl!)}/observations`, {
      body: { items: ["camera_pointed_away_or_covered"] },
    });
    expect(viaLink.status).toBe(201);

    const report = await (await api.call("GET", `/v1/interviews/${json.id}/report`, { headers: api.auth })).json();
    const byId = Object.fromEntries(report.flags.map((f: { id: string }) => [f.id, f]));
    expect(byId.observed_crypto_payment).toMatchObject({ severity: "high", advisoryFlag: "payment" });
    expect(byId.observed_crypto_payment.evidence).toMatchObject({ observedBy: "interviewer", via: "api" });
    expect(byId.observed_location_contradicted).toMatchObject({ severity: "medium", advisoryFlag: "location_mismatch" });
    expect(byId.observed_camera_pointed_away_or_covered).toMatchObject({ severity: "medium", advisoryFlag: "refuses_video" });
    expect(byId.observed_camera_pointed_away_or_covered.evidence).toMatchObject({ via: "interviewer_link" });
    expect(report.level).toBe("high");
    const events = await kit.store.listEvents(json.id!);
    expect(events.filter((e) => e.type === "interviewer_observed")).toHaveLength(2);
  });

  it("refuses unknown items, control characters and empty lists with coded errors", async () => {
    const kit = testApp({ livekit });
    const api = client(kit.app);
    const { json } = await api.createInterview();
    const post = (b: unknown) => api.call("POST", `/v1/interviews/${json.id}/observations`, { headers: api.auth, body: b });
    const cases: Array<[unknown, string]> = [
      [{ items: ["asked_for_bitcoin"] }, "items.0"],
      [{ items: [] }, "items"],
      [{ items: ["asked_crypto_payment"], note: "paid\u0007 in\u202e crypto" }, "note"],
      [{ items: ["asked_crypto_payment"], note: "x".repeat(501) }, "note"],
      [{ items: ["asked_crypto_payment", "asked_crypto_payment"] }, "items"],
      [{ items: ["asked_crypto_payment"], extra: 1 }, ""],
    ];
    for (const [b, field] of cases) {
      const res = await post(b);
      expect(res.status).toBe(400);
      const err = (await res.json()).error;
      expect(err.code).toBe("validation_failed");
      if (field) expect(err.field).toBe(field);
    }
    const bad = await api.call("POST", `/v1/interviews/${json.id}/observations`, { headers: api.auth, raw: "{" });
    expect((await bad.json()).error.code).toBe("invalid_json");
    expect((await api.call("POST", "/v1/interviews/iv_nope/observations", { headers: api.auth, body: { items: ["asked_crypto_payment"] } })).status).toBe(404);
    expect((await api.call("POST", `/v1/interviewer/not-a-token/observations`, { body: { items: ["asked_crypto_payment"] } })).status).toBe(404);
    expect((await api.call("POST", `/v1/interviews/${json.id}/observations`, { body: { items: ["asked_crypto_payment"] } })).status).toBe(401);
    expect(await kit.store.listEvents(json.id!)).not.toContainEqual(expect.objectContaining({ type: "interviewer_observed" }));
  });
});
