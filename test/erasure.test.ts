/**
 * Erasure means erasure (security review 2, finding 3): after `DELETE /v1/interviews/:id/personal-data`
 * no table or column of the database holds the candidate's face vector, antispoof scores, name,
 * email, IP, user agent, or their identity document's names, birth date and number hash. The pass goes through the kit's own verifier report route, as a verifier
 * job posts it, so the verdict, the template and the identity check are stored by the real code.
 */
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { RedactionResult } from "../shared/personal-data.js";
import { EMBEDDING_LENGTH } from "../shared/verifier-job.js";
import { hashSecret } from "../server/security/tokens.js";
import { KNOWN_IPS } from "./fixtures/known-ips.js";
import { client, testApp, tokenOf } from "./helpers/app.js";

/** Nothing here touches a room: the LiveKit settings are never used. */
const livekit = { url: "ws://127.0.0.1:9", publicUrl: "ws://127.0.0.1:9", apiKey: "unused-key", apiSecret: "unused-secret-0123456789abcdef0123456789" };
const IP = KNOWN_IPS.cnChinanet.ip;
const UA = "Mozilla/5.0 (X11; Linux x86_64) ErasureTest/1.0";
const NAME = "Pak Song-il";
const EMAIL = "song.il.pak@example.com";
const LABEL = "Integrated Webcam ErasureCam";
const REPORT_SECRET = "report-secret-0123456789abcdef";
/** The identity document the candidate showed: its given names and birth date as the zone reads them. */
const DOCUMENT_GIVEN_NAMES = "SONG IL";
const DOCUMENT_BIRTH = "880217";

/** A face vector no other value in the database could spell by chance. */
const EMBEDDING = Array.from({ length: EMBEDDING_LENGTH }, (_, i) => Number((Math.sin(i * 1.7 + 0.3) * 0.031).toFixed(9)));
const ANTISPOOF = [0.813579, 0.802468];

/** Every row of every table, each value as text (blobs as hex), for a search by substring. */
function everything(dbFile: string): Map<string, string> {
  const db = new Database(dbFile, { readonly: true });
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((t) => t.name);
    return new Map(
      tables.map((t) => {
        const rows = db.prepare(`SELECT * FROM "${t}"`).all() as Array<Record<string, unknown>>;
        const text = rows.map((r) => Object.values(r).map((v) => (Buffer.isBuffer(v) ? v.toString("hex") : String(v))).join("\u0001")).join("\n");
        return [t, text];
      }),
    );
  } finally {
    db.close();
  }
}

/** The needles: the personal values, a run of the embedding as JSON and as stored float32 bytes, the antispoof scores. */
function needles(): Record<string, string> {
  const norm = Math.hypot(...EMBEDDING);
  const f32 = Buffer.from(new Float32Array(EMBEDDING.slice(0, 4).map((x) => x / norm)).buffer).toString("hex");
  return {
    name: NAME,
    email: EMAIL,
    ip: IP,
    userAgent: UA,
    cameraLabel: LABEL,
    embeddingJson: JSON.stringify(EMBEDDING.slice(0, 3)).slice(1, -1),
    embeddingValue: String(EMBEDDING[7]),
    templateBytes: f32,
    antispoof: String(ANTISPOOF[0]),
    documentNames: DOCUMENT_GIVEN_NAMES,
    documentBirth: DOCUMENT_BIRTH,
  };
}

const found = (db: Map<string, string>) =>
  Object.entries(needles()).flatMap(([what, needle]) => [...db].filter(([, text]) => text.includes(needle)).map(([table]) => `${what} in ${table}`));

describe("erasure", () => {
  it("leaves no face vector, antispoof score, name, email, IP or user agent in any table after a redaction", async () => {
    const kit = testApp({ livekit });
    const api = client(kit.app, IP);
    // With an Idempotency-Key, so the stored answer (which names the candidate) is one more place to look.
    const created = await api.call("POST", "/v1/interviews", {
      body: { candidate: { name: NAME, email: EMAIL }, claimedLocation: { country: "KR" }, document: "optional" },
      headers: { ...api.auth, "idempotency-key": "erasure-1" },
    });
    expect(created.status).toBe(201);
    const json = (await created.json()) as Record<string, string>;
    const id = json.id!;
    const token = tokenOf(json.candidateUrl!);
    const ua = { "user-agent": UA };
    await api.call("GET", `/v1/candidate/${token}`, { headers: ua });
    const session = await (await api.call("POST", `/v1/candidate/${token}/session`, { headers: ua })).json();
    const headers = { ...ua, "x-candidate-session": session.sessionKey as string };
    expect((await api.call("POST", `/v1/candidate/${token}/camera`, { headers, body: { status: "granted", label: LABEL } })).status).toBe(200);

    // A check in flight, as the kit issues one; its verifier then reports a pass with a reference face.
    const [sessionRecord] = await kit.store.listSessions(id);
    const now = new Date();
    const challengeId = `ch_erasure_${id}`;
    await kit.store.issueChallenge(
      {
        id: challengeId, interviewId: id, sessionId: sessionRecord!.id, room: `verify-${id}`, callbackHash: hashSecret(REPORT_SECRET),
        steps: ["turn_left"], delaysMs: [1000], issuedAt: now.toISOString(), expiresAt: new Date(now.getTime() + 60_000).toISOString(),
        state: "pending", phase: "running", progressAt: null, failure: null, refunded: false, finishedAt: null, verdict: null,
      },
      3,
      now.toISOString(),
    );
    const verdict = {
      type: "verdict", passed: true, reasons: ["passed"], steps: [{ step: "turn_left", promptAt: 1, passed: true }], trace: [],
      snapshots: [], framesAnalysed: 40, analysedFps: 10,
      reference: { embedding: EMBEDDING, frames: 4, consistency: 0.97, antispoof: ANTISPOOF },
    };
    const reported = await kit.app.request(`/internal/verifier/challenges/${challengeId}`, {
      method: "POST",
      headers: { authorization: `Bearer ${REPORT_SECRET}`, "content-type": "application/json" },
      body: JSON.stringify(verdict),
    });
    expect(reported.status).toBe(200);
    expect(await kit.store.monitoring.templatesOf(id)).toHaveLength(1);
    // Then the document step: the document's names, birth date and number hash are personal data too.
    const document = await kit.app.request(`/internal/verifier/challenges/${challengeId}`, {
      method: "POST",
      headers: { authorization: `Bearer ${REPORT_SECRET}`, "content-type": "application/json" },
      body: JSON.stringify({
        type: "document", outcome: "read", framesRead: 2, agreeingFrames: 2, lookedMs: 2000,
        fields: { format: "TD3", documentCode: "P", issuingState: "PRK", nationality: "PRK", surname: "PAK", givenNames: DOCUMENT_GIVEN_NAMES, documentNumber: "PS8273645", birthDate: DOCUMENT_BIRTH, expiryDate: "300101", sex: "male" },
      }),
    });
    expect(document.status).toBe(200);
    const checked = (await kit.store.listEvents(id)).find((e) => e.type === "document_checked")!;
    const numberHash = (checked.data as { document: { numberHash: string } }).document.numberHash;

    // Before any redaction, the face vector is in the template only: not in the verdict, nor the export.
    const before = found(everything(kit.dbFile));
    expect(before.filter((f) => /^(embedding|templateBytes)/.test(f))).toEqual(["templateBytes in face_templates"]);
    const exported = await (await api.call("GET", `/v1/interviews/${id}/export`, { headers: api.auth })).text();
    expect(exported).not.toContain(needles().embeddingJson);
    expect(JSON.parse(exported).verifications.challenges[0].verdict.reference).toEqual({ frames: 4, consistency: 0.97 });
    // Every personal value is somewhere before: the search can find what it looks for.
    for (const what of ["name", "email", "ip", "userAgent", "cameraLabel", "antispoof", "documentNames", "documentBirth"]) expect(before.some((f) => f.startsWith(`${what} in`)), what).toBe(true);
    expect([...everything(kit.dbFile)].filter(([, text]) => text.includes(numberHash)).map(([t]) => t).sort()).toEqual(["document_sightings", "events"]);

    const res = await api.call("DELETE", `/v1/interviews/${id}/personal-data`, { headers: api.auth });
    expect(res.status).toBe(200);
    expect(RedactionResult.parse(await res.json()).removed).toMatchObject({ templates: 1 });
    expect(found(everything(kit.dbFile))).toEqual([]);
    expect([...everything(kit.dbFile)].filter(([, text]) => text.includes(numberHash)).map(([t]) => t)).toEqual([]);
  });

  it("scrubs a verdict an earlier version stored with the embedding, and counts it", async () => {
    const kit = testApp({ livekit });
    const api = client(kit.app, IP);
    const { json } = await api.createInterview({ candidate: { name: NAME, email: EMAIL } });
    const id = json.id!;
    const token = tokenOf(json.candidateUrl!);
    await api.call("POST", `/v1/candidate/${token}/session`, { headers: { "user-agent": UA } });
    const [sessionRecord] = await kit.store.listSessions(id);
    const now = new Date().toISOString();
    const base = { interviewId: id, sessionId: sessionRecord!.id, room: `verify-${id}`, callbackHash: "x", steps: ["turn_left" as const], delaysMs: [1000], issuedAt: now, expiresAt: "2099-01-01T00:00:00.000Z" };
    await kit.store.issueChallenge({ ...base, id: "ch_legacy", state: "pending", phase: "running", progressAt: null, failure: null, refunded: false, finishedAt: null, verdict: null }, 3, now);
    await kit.store.finishChallenge("ch_legacy", {
      state: "passed", failure: null, refunded: false, finishedAt: now,
      verdict: { passed: true, reasons: ["passed"], reference: { embedding: EMBEDDING, frames: 4, consistency: 0.97, antispoof: ANTISPOOF } },
    });
    expect(found(everything(kit.dbFile))).toContain("embeddingJson in challenges");

    const res = await api.call("DELETE", `/v1/interviews/${id}/personal-data`, { headers: api.auth });
    expect(RedactionResult.parse(await res.json()).removed).toMatchObject({ verdicts: 1 });
    expect(found(everything(kit.dbFile))).toEqual([]);
    const [challenge] = await kit.store.listChallenges(id);
    expect(challenge!.verdict).toEqual({ passed: true, reasons: ["passed"], reference: { frames: 4, consistency: 0.97 } });
  });
});
