/**
 * The document step's API surface (the identity-documents issue): what a script with no camera gets.
 * Real app, real SQLite, the run's shared livekit-server; the verifier's side is played with the
 * job's own credentials, as test/verification-api.test.ts does. The real read is test/e2e/documents.e2e.test.ts.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { LiveKitSettings } from "../server/livekit/index.js";
import { advancingClock, client, testApp, tokenOf } from "./helpers/app.js";
import { sharedLiveKit } from "./helpers/livekit.js";
import { dispatchedJob, postReport } from "./helpers/verifier-job.js";

let livekit: LiveKitSettings;
beforeAll(async () => {
  livekit = await sharedLiveKit();
});

const PASS = { type: "verdict", passed: true, reasons: ["ok"], steps: [], trace: [], snapshots: [], framesAnalysed: 50, analysedFps: 12 };
const DOCUMENT = {
  type: "document",
  outcome: "read",
  fields: {
    format: "TD3",
    documentCode: "P",
    issuingState: "KOR",
    nationality: "KOR",
    surname: "KIM",
    givenNames: "MIN JUN",
    documentNumber: "MK4739743",
    birthDate: "900314",
    expiryDate: "310922",
    sex: "male",
  },
  framesRead: 3,
  agreeingFrames: 2,
  lookedMs: 2500,
};

async function setUp(body: Record<string, unknown>) {
  const clock = advancingClock();
  const kit = testApp({ livekit, now: clock.now });
  const api = client(kit.app);
  const { json } = await api.createInterview({ candidate: { name: "Min-jun Kim" }, ...body });
  const token = tokenOf(json.candidateUrl!);
  const session = await (await api.call("POST", `/v1/candidate/${token}/session`)).json();
  const headers = { "x-candidate-session": session.sessionKey as string };
  const ticket = await (await api.call("POST", `/v1/candidate/${token}/liveness`, { headers })).json();
  const job = await dispatchedJob(livekit, ticket.room);
  const types = async () => (await kit.store.listEvents(json.id!)).map((e) => e.type);
  return { kit, api, clock, json, token, headers, job, types };
}

describe("the document setting", () => {
  it("is stored, shown, and handed to the verifier job only when on", async () => {
    const on = await setUp({ document: "required" });
    expect(on.job.document).toBe("required");
    expect((await (await on.api.call("GET", `/v1/interviews/${on.json.id}`, { headers: on.api.auth })).json()).document).toBe("required");
    const off = await setUp({ document: "off" });
    expect(off.job.document).toBeUndefined();
    // The kit's default (DOCUMENT_STEP_DEFAULT; "off" in this test configuration).
    const unset = await setUp({});
    expect((await (await unset.api.call("GET", `/v1/interviews/${unset.json.id}`, { headers: unset.api.auth })).json()).document).toBe("off");
  });

  it("refuses a setting that is not off, optional or required, storing nothing", async () => {
    const kit = testApp({ livekit });
    const api = client(kit.app);
    const { res, json } = await api.createInterview({ candidate: { name: "Min-jun Kim" }, document: "sometimes" });
    expect(res.status).toBe(400);
    expect(json).toMatchObject({ error: { code: "validation_failed" } });
    expect(await kit.store.listInterviews(10, 0)).toEqual([]);
  });
});

describe("a script with no camera gets nothing from the document step", () => {
  it("cannot post a document without the verifier job's secret, and the candidate has no document route", async () => {
    const { api, job, token, headers, types } = await setUp({ document: "optional" });
    expect((await postReport(api.call, job, PASS)).status).toBe(200);
    expect((await postReport(api.call, job, DOCUMENT, "not-the-job-secret-0000")).status).toBe(401);
    expect((await api.call("POST", new URL(job.reportUrl).pathname, { body: DOCUMENT, headers })).status).toBe(401);
    expect((await api.call("POST", `/v1/candidate/${token}/document`, { body: DOCUMENT, headers })).status).toBe(404);
    expect(await types()).not.toContain("document_checked");
  });

  it("takes no document for a check that has not passed, an interview without the step, twice, or too late", async () => {
    const pending = await setUp({ document: "optional" });
    const early = await postReport(pending.api.call, pending.job, DOCUMENT);
    expect(early.status).toBe(409);
    expect(await early.json()).toMatchObject({ error: { code: "document_not_expected" } });

    const off = await setUp({ document: "off" });
    await postReport(off.api.call, off.job, PASS);
    expect((await postReport(off.api.call, off.job, DOCUMENT)).status).toBe(409);
    expect(await off.types()).not.toContain("document_checked");

    const late = await setUp({ document: "optional" });
    await postReport(late.api.call, late.job, PASS);
    late.clock.advance(61_000);
    expect((await postReport(late.api.call, late.job, DOCUMENT)).status).toBe(409);
    expect(await late.types()).not.toContain("document_checked");

    const once = await setUp({ document: "optional" });
    await postReport(once.api.call, once.job, PASS);
    expect((await postReport(once.api.call, once.job, DOCUMENT)).status).toBe(200);
    expect((await postReport(once.api.call, once.job, DOCUMENT)).status).toBe(409);
    expect((await once.types()).filter((t) => t === "document_checked")).toHaveLength(1);
  });

  it("refuses a malformed report (400) and never stores the document number", async () => {
    const { api, job, json, kit } = await setUp({ document: "optional" });
    await postReport(api.call, job, PASS);
    const bad = await postReport(api.call, job, { ...DOCUMENT, fields: { ...DOCUMENT.fields, birthDate: "1990-03-14" } });
    expect(bad.status).toBe(400);
    expect((await postReport(api.call, job, DOCUMENT)).status).toBe(200);
    const events = await kit.store.listEvents(json.id!);
    const checked = events.find((e) => e.type === "document_checked")!;
    expect(checked.data).toMatchObject({ outcome: "read", document: { surname: "KIM" }, portrait: { kind: "no_face_in_portrait" } });
    expect(JSON.stringify(events)).not.toContain("MK4739743");
  });
});

describe("the kit's checks of a read document", () => {
  it("finds the same document under another name, and an expired one, across interviews", async () => {
    const first = await setUp({ document: "optional", claimedLocation: { country: "KR" } });
    await postReport(first.api.call, first.job, PASS);
    expect((await postReport(first.api.call, first.job, DOCUMENT)).status).toBe(200);
    // A second interview on the same kit (same store and hash key) under another name and email.
    const api = first.api;
    const { json } = await api.createInterview({ candidate: { name: "Ji-ho Lee", email: "jiho@example.com" }, document: "optional" });
    const token = tokenOf(json.candidateUrl!);
    const session = await (await api.call("POST", `/v1/candidate/${token}/session`)).json();
    const ticket = await (await api.call("POST", `/v1/candidate/${token}/liveness`, { headers: { "x-candidate-session": session.sessionKey } })).json();
    const job = await dispatchedJob(livekit, ticket.room);
    await postReport(api.call, job, PASS);
    expect((await postReport(api.call, job, { ...DOCUMENT, fields: { ...DOCUMENT.fields, expiryDate: "200101" } })).status).toBe(200);

    const checked = (await first.kit.store.listEvents(json.id!)).find((e) => e.type === "document_checked")!;
    const firstChecked = (await first.kit.store.listEvents(first.json.id!)).find((e) => e.type === "document_checked")!;
    expect(checked.data).toMatchObject({
      checks: { expired: true, nameMatches: false },
      matches: [{ interviewId: first.json.id, candidateName: "Min-jun Kim" }],
      document: { numberHash: (firstChecked.data as { document: { numberHash: string } }).document.numberHash },
    });
    const report = await (await api.call("GET", `/v1/interviews/${json.id}/report`, { headers: api.auth })).json();
    expect(report.flags.map((f: { id: string }) => f.id).filter((id: string) => id.startsWith("document_")).sort()).toEqual([
      "document_expired",
      "document_name_mismatch",
      "document_reused",
    ]);
    // The first interview's own check named nobody: it came first.
    expect(firstChecked.data).toMatchObject({ matches: [], checks: { nameMatches: true, nationalityMatches: true } });
  });
});

