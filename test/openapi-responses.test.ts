/**
 * Real responses of the main /v1 routes, through `app.request` on the real
 * app, SQLite store and LiveKit, each checked against the schema its route
 * definition declares for that status (`expectDeclared`): the same zod
 * schema the document is generated from, not a copy.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { LiveKitSettings } from "../server/livekit/index.js";
import { client, testApp, tokenOf } from "./helpers/app.js";
import { describedRoutes, expectDeclared } from "./helpers/contract.js";
import { sharedLiveKit } from "./helpers/livekit.js";
import { dispatchedJob, postReport } from "./helpers/verifier-job.js";

let livekit: LiveKitSettings;
beforeAll(async () => {
  livekit = await sharedLiveKit();
});

function setup() {
  const kit = testApp({ livekit });
  const api = client(kit.app);
  /** Sends a request and checks the answer against its route's declaration; `path` is the route's OpenAPI path. */
  const check = async (method: string, path: string, url: string, init: Parameters<typeof api.call>[2] = {}) => {
    const res = await api.call(method, url, init);
    return { res, body: (await expectDeclared(kit.app, res, method, path)) as Record<string, unknown> };
  };
  return { kit, api, check };
}

const JPEG = Buffer.from("\xff\xd8\xff\xe0 a frame \xff\xd9", "latin1").toString("base64");
const ENVIRONMENT = {
  timeZone: "Asia/Seoul",
  offsetJanuary: -540,
  offsetJuly: -540,
  worker: { timeZone: "Asia/Seoul", offsetJanuary: -540, offsetJuly: -540 },
  languages: ["ko-KR"],
  locale: "ko-KR",
  connection: { effectiveType: "4g", rtt: 50, downlink: 10 },
  clientTime: Date.now(),
};
const NETWORK = { candidateType: "srflx", remoteCandidateType: "host", networkType: "wifi", protocol: "udp", rttMs: [20, 30] };

describe("responses match the schemas the document declares", () => {
  it("API keys and webhook endpoints, with a delivery of a real event", async () => {
    const { api, check } = setup();
    const headers = api.auth;
    const key = await check("POST", "/v1/api-keys", "/v1/api-keys", { headers, body: { name: "ATS" } });
    expect(key.res.status).toBe(201);
    expect((await check("GET", "/v1/api-keys", "/v1/api-keys", { headers })).res.status).toBe(200);

    const endpoint = await check("POST", "/v1/webhook-endpoints", "/v1/webhook-endpoints", {
      headers: { ...headers, "Idempotency-Key": "contract-1" },
      body: { url: "http://127.0.0.1:9/hook", description: "contract test" },
    });
    expect(endpoint.res.status).toBe(201);
    const id = endpoint.body.id as string;
    expect((await check("GET", "/v1/webhook-endpoints", "/v1/webhook-endpoints", { headers })).res.status).toBe(200);
    // An event after registering queues a delivery whose payload is a WebhookEvent.
    await api.createInterview();
    const log = await check("GET", "/v1/webhook-endpoints/{id}/deliveries", `/v1/webhook-endpoints/${id}/deliveries?limit=10`, { headers });
    const deliveries = log.body.deliveries as unknown as Array<{ id: string; type: string }>;
    expect(deliveries.map((d) => d.type)).toContain("interview.created");
    const replay = await check("POST", "/v1/webhook-deliveries/{id}/replay", `/v1/webhook-deliveries/${deliveries[0]!.id}/replay`, { headers });
    expect(replay.res.status).toBe(202);
    expect((await check("POST", "/v1/webhook-endpoints/{id}/rotate-secret", `/v1/webhook-endpoints/${id}/rotate-secret`, { headers })).res.status).toBe(201);
    expect((await check("DELETE", "/v1/webhook-endpoints/{id}", `/v1/webhook-endpoints/${id}`, { headers })).res.status).toBe(204);
    expect((await check("DELETE", "/v1/api-keys/{id}", `/v1/api-keys/${key.body.id}`, { headers })).res.status).toBe(200);
  });

  it("an interview from creation through the candidate's verified join to its report, export and erasure", async () => {
    const { api, check } = setup();
    const headers = api.auth;
    const created = await check("POST", "/v1/interviews", "/v1/interviews", {
      headers,
      body: { candidate: { name: "Kim Min-jun", email: "kim@example.com" }, claimedLocation: { country: "KR", city: "Seoul", timezone: "Asia/Seoul" } },
    });
    expect(created.res.status).toBe(201);
    const id = created.body.id as string;
    const token = tokenOf(created.body.candidateUrl as string);
    const T = "/v1/candidate/{token}";

    expect((await check("GET", T, `/v1/candidate/${token}`)).res.status).toBe(200);
    const session = await check("POST", `${T}/session`, `/v1/candidate/${token}/session`);
    expect(session.res.status).toBe(201);
    const s = { "x-candidate-session": session.body.sessionKey as string };
    expect((await check("GET", `${T}/session`, `/v1/candidate/${token}/session`, { headers: s })).res.status).toBe(200);
    const camera = { status: "granted", label: "FaceTime HD Camera", width: 1280, height: 720 };
    expect((await check("POST", `${T}/camera`, `/v1/candidate/${token}/camera`, { headers: s, body: camera })).res.status).toBe(200);
    expect((await check("POST", `${T}/environment`, `/v1/candidate/${token}/environment`, { headers: s, body: ENVIRONMENT })).res.status).toBe(201);
    expect((await check("POST", `${T}/network`, `/v1/candidate/${token}/network`, { headers: s, body: NETWORK })).res.status).toBe(201);
    // Before a pass, the join is refused with the declared error.
    expect((await check("POST", `${T}/join`, `/v1/candidate/${token}/join`, { headers: s })).res.status).toBe(403);

    const ticket = await check("POST", `${T}/liveness`, `/v1/candidate/${token}/liveness`, { headers: s });
    expect(ticket.res.status).toBe(201);
    const challengeId = ticket.body.challengeId as string;
    const status = `/v1/candidate/${token}/liveness/${challengeId}`;
    expect((await check("GET", `${T}/liveness/{challengeId}`, status, { headers: s })).body.state).toBe("pending");
    // The verifier's side, played with the dispatched job's own credentials (as test/restart.test.ts does).
    const job = await dispatchedJob(livekit, ticket.body.room as string);
    const verdict = { type: "verdict", passed: true, reasons: ["ok"], steps: [], trace: [], snapshots: [{ step: -1, t: 100, jpeg: JPEG }], framesAnalysed: 50, analysedFps: 12 };
    expect((await postReport(api.call, job, verdict)).status).toBe(200);
    expect((await check("GET", `${T}/liveness/{challengeId}`, status, { headers: s })).body.state).toBe("passed");
    expect((await check("POST", `${T}/join`, `/v1/candidate/${token}/join`, { headers: s })).res.status).toBe(200);

    expect((await check("GET", "/v1/interviews", "/v1/interviews?limit=5", { headers })).res.status).toBe(200);
    expect((await check("GET", "/v1/interviews/{id}", `/v1/interviews/${id}`, { headers })).body.status).toBe("verified");
    const snapshots = await check("GET", "/v1/interviews/{id}/snapshots", `/v1/interviews/${id}/snapshots`, { headers });
    const [snapshot] = snapshots.body.snapshots as unknown as Array<{ id: number }>;
    expect(snapshot).toBeDefined();
    const jpeg = await check("GET", "/v1/interviews/{id}/snapshots/{snapshotId}", `/v1/interviews/${id}/snapshots/${snapshot!.id}`, { headers });
    expect(jpeg.res.headers.get("content-type")).toBe("image/jpeg");
    expect((await check("GET", "/v1/interviews/{id}/report", `/v1/interviews/${id}/report`, { headers })).res.status).toBe(200);
    const observed = { items: ["asked_crypto_payment"], note: "asked for USDT" };
    expect((await check("POST", "/v1/interviews/{id}/observations", `/v1/interviews/${id}/observations`, { headers, body: observed })).res.status).toBe(201);
    const exported = await check("GET", "/v1/interviews/{id}/export", `/v1/interviews/${id}/export`, { headers });
    expect((exported.body.snapshots as unknown as unknown[]).length).toBe(1);
    expect(exported.res.headers.get("content-disposition")).toMatch(/^attachment; filename="interview-iv_[\w-]+-personal-data\.json"$/);
    expect((await check("POST", "/v1/interviews/{id}/interviewer-link", `/v1/interviews/${id}/interviewer-link`, { headers })).res.status).toBe(201);
    expect((await check("DELETE", "/v1/interviews/{id}/personal-data", `/v1/interviews/${id}/personal-data`, { headers })).res.status).toBe(200);
    // Erased: the export still parses with its schema (`redactedAt` set).
    expect((await check("GET", "/v1/interviews/{id}/export", `/v1/interviews/${id}/export`, { headers })).body.redactedAt).toEqual(expect.any(String));
    expect((await check("DELETE", "/v1/interviews/{id}/personal-data", `/v1/interviews/${id}/personal-data`, { headers })).res.status).toBe(409);
  });

  it("the interviewer link", async () => {
    const { api, check } = setup();
    const { json } = await api.createInterview();
    const token = tokenOf(json.interviewerUrl!);
    const T = "/v1/interviewer/{token}";
    expect((await check("GET", T, `/v1/interviewer/${token}`)).res.status).toBe(200);
    expect((await check("GET", `${T}/report`, `/v1/interviewer/${token}/report`)).res.status).toBe(200);
    expect((await check("POST", `${T}/join`, `/v1/interviewer/${token}/join`)).res.status).toBe(200);
    const body = { items: ["refused_or_avoided_video"] };
    expect((await check("POST", `${T}/observations`, `/v1/interviewer/${token}/observations`, { body })).res.status).toBe(201);
    // No monitor is in the room without a candidate: the declared 503.
    expect((await check("POST", `${T}/rechallenge`, `/v1/interviewer/${token}/rechallenge`)).body).toMatchObject({ error: { code: "verifier_unavailable" } });
    expect((await check("POST", `${T}/end`, `/v1/interviewer/${token}/end`)).body).toEqual({ status: "ended" });
    expect((await check("GET", T, `/v1/interviewer/${token}`)).res.status).toBe(410);
  });

  it("errors: each declared, each an Error body with a known code", async () => {
    const { api, check } = setup();
    const headers = api.auth;
    expect((await check("GET", "/v1/interviews/{id}", "/v1/interviews/iv_nope")).res.status).toBe(401);
    expect((await check("GET", "/v1/interviews/{id}", "/v1/interviews/iv_nope", { headers })).res.status).toBe(404);
    const bad = await check("POST", "/v1/interviews", "/v1/interviews", { headers, raw: "{not json" });
    expect(bad.body).toMatchObject({ error: { code: "invalid_json" } });
    const invalid = await check("POST", "/v1/interviews", "/v1/interviews", { headers, body: { candidate: { name: "" } } });
    expect(invalid.body).toMatchObject({ error: { code: "validation_failed", field: "candidate.name" } });
    expect((await check("GET", "/v1/interviews", "/v1/interviews?limit=0", { headers })).body).toMatchObject({ error: { field: "limit" } });
    expect((await check("GET", "/v1/candidate/{token}", "/v1/candidate/not-a-token")).res.status).toBe(404);
  });

  it("the event streams answer with the declared text/event-stream", async () => {
    const { kit, api } = setup();
    const { json } = await api.createInterview();
    for (const [path, url, headers] of [
      ["/v1/interviews/stream", "/v1/interviews/stream", api.auth],
      ["/v1/interviewer/{token}/stream", `/v1/interviewer/${tokenOf(json.interviewerUrl!)}/stream`, {}],
    ] as const) {
      const stop = new AbortController();
      const res = await kit.app.request(url, { headers, signal: stop.signal });
      expect(res.status).toBe(200);
      const declared = describedRoutes(kit.app).find((r) => r.path === path && r.method === "get");
      expect(Object.keys(declared!.responses["200"]!.content!)).toEqual(["text/event-stream"]);
      expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
      stop.abort();
      await res.body?.cancel().catch(() => {});
    }
  });
});
