/**
 * Property-based fuzzing of the HTTP API (test/fuzz.test.ts): the routes come
 * from the Hono app itself, the requests from fast-check arbitraries, and the
 * store is watched through a second SQLite connection.
 */
import { hashSecret, newId } from "../../server/security/index.js";
import Database from "better-sqlite3";
import type { Hono } from "hono";
import { TEST_API_KEY, testApp, tokenOf } from "./app.js";
import type { Endpoint, FuzzRequest } from "./fuzz-arbitraries.js";

export { type Endpoint, type FuzzRequest, requestArbitrary, type RouteContext } from "./fuzz-arbitraries.js";

type App = ReturnType<typeof testApp>["app"];

/** API prefixes; every other route the app registers is a page or a static asset. */
const API_PREFIXES = ["/v1/", "/internal/", "/webhooks/"];
const API_EXACT = ["/healthz"];
/** Routes that are not request/response: the dashboard's SSE stream never ends. */
const STREAMING = new Set(["GET /v1/interviews/stream", "GET /v1/interviewer/:token/stream"]);

/**
 * Every endpoint the app registers (handlers, not middleware: `use` registers
 * method `ALL`), minus page/asset routes and the SSE stream, so a route added
 * later is fuzzed without touching the suite.
 */
export function apiEndpoints(app: Hono<never> | App): { endpoints: Endpoint[]; skipped: string[] } {
  const seen = new Set<string>();
  const endpoints: Endpoint[] = [];
  const skipped: string[] = [];
  for (const r of app.routes) {
    if (r.method === "ALL") continue;
    const key = `${r.method} ${r.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const isApi = API_EXACT.includes(r.path) || API_PREFIXES.some((p) => r.path.startsWith(p));
    if (!isApi || STREAMING.has(key)) skipped.push(key);
    else endpoints.push({ method: r.method, path: r.path });
  }
  return { endpoints, skipped };
}

/** Valid credentials and ids of one seeded interview, so generated requests reach past the 404s. */
export interface Fixture {
  interviewId: string;
  candidateToken: string;
  interviewerToken: string;
  sessionKey: string;
  /** A second session of the interview with a recorded pass and no check open: `/join` admits it, `/liveness` starts one for it. */
  verifiedSessionKey: string;
  /** The interview's LiveKit room, for signed LiveKit webhooks about it. */
  room: string;
  challengeId: string;
  /** The verifier job's bearer secret for `challengeId`, captured from the (stubbed) dispatch. */
  reportToken: string;
  /** A monitor of the interview, authenticated with the same `reportToken`. */
  monitorId: string;
  rechallengeId: string;
  snapshotId: number;
}

/**
 * Seeds one interview through the API: created, a candidate session, a pending
 * challenge (the dispatch is stubbed by the suite, which hands back the job),
 * a re-challenge, and one stored snapshot.
 */
export async function seedFixture(
  kit: ReturnType<typeof testApp>,
  call: (method: string, url: string, init?: { body?: unknown; headers?: Record<string, string> }) => Promise<Response>,
  lastJob: () => { challengeId: string; reportToken: string } | undefined,
): Promise<Fixture> {
  const auth = { authorization: `Bearer ${TEST_API_KEY}` };
  const created = await call("POST", "/v1/interviews", { body: { candidate: { name: "Fuzz Target" } }, headers: auth });
  if (created.status !== 201) throw new Error(`seed: create answered ${created.status}`);
  const json = (await created.json()) as Record<string, string>;
  const candidateToken = tokenOf(json.candidateUrl!);
  const interviewerToken = tokenOf(json.interviewerUrl!);
  const session = (await (await call("POST", `/v1/candidate/${candidateToken}/session`)).json()) as { sessionKey: string };
  const started = await call("POST", `/v1/candidate/${candidateToken}/liveness`, { headers: { "x-candidate-session": session.sessionKey } });
  if (started.status !== 201) throw new Error(`seed: liveness answered ${started.status}: ${await started.text()}`);
  const { challengeId } = (await started.json()) as { challengeId: string };
  const job = lastJob();
  if (job?.challengeId !== challengeId) throw new Error("seed: the stubbed dispatch did not see the challenge");
  // A monitor in the room (as its dispatch would record it), so re-challenges and monitor reports reach the service.
  const monitorId = newId("mon");
  const at = new Date().toISOString();
  await kit.store.monitoring.createMonitor(
    { id: monitorId, interviewId: json.id!, callbackHash: hashSecret(job.reportToken), startedAt: at, heartbeatAt: at, endedAt: null },
    at,
  );
  const re = (await (await call("POST", `/v1/interviewer/${interviewerToken}/rechallenge`)).json()) as { rechallengeId: string };
  if (!re.rechallengeId) throw new Error("seed: the re-challenge was refused");
  await kit.store.saveSnapshots([
    { interviewId: json.id!, challengeId, step: 0, t: 1, jpeg: Buffer.from([0xff, 0xd8, 0xff, 0xd9]), createdAt: new Date().toISOString() },
  ]);
  const snapshotId = (await kit.store.listSnapshots(json.id!))[0]!.id!;
  // The verifier's pass is recorded on the second session directly: the report route that records it is fuzzed on its own.
  const verified = (await (await call("POST", `/v1/candidate/${candidateToken}/session`)).json()) as { sessionKey: string };
  const verifiedRecord = await kit.store.findSession(json.id!, hashSecret(verified.sessionKey));
  await kit.store.markSessionVerified(verifiedRecord!.id, new Date().toISOString());
  return {
    interviewId: json.id!,
    candidateToken,
    interviewerToken,
    sessionKey: session.sessionKey,
    verifiedSessionKey: verified.sessionKey,
    room: (await kit.store.getInterview(json.id!))!.room,
    challengeId,
    reportToken: job.reportToken,
    monitorId,
    rechallengeId: re.rechallengeId,
    snapshotId,
  };
}

/** The kit's own tables. Rate-limit counters (`rate_limits`) are bookkeeping a refused request may update. */
const TABLES = ["interviews", "events", "candidate_sessions", "challenges", "snapshots", "face_templates", "monitors", "rechallenges"] as const;

/**
 * Watches the kit's SQLite file from a second (read-only) connection: the row
 * count of every kit table, and every row of the fixture's interview, its
 * sessions, challenges and snapshots (ids and sizes), so inserts anywhere and
 * updates to the seeded interview both show.
 */
export function storeWatcher(dbFile: string) {
  const db = new Database(dbFile, { readonly: true });
  const counts = TABLES.map((t) => [t, db.prepare(`SELECT COUNT(*) FROM ${t}`).pluck()] as const);
  const interview = db.prepare("SELECT * FROM interviews WHERE id = ?");
  const events = db.prepare("SELECT COUNT(*) AS n, MAX(id) AS last FROM events WHERE interview_id = ?");
  const sessions = db.prepare("SELECT * FROM candidate_sessions WHERE interview_id = ? ORDER BY id");
  const challenges = db.prepare("SELECT * FROM challenges WHERE interview_id = ? ORDER BY id");
  const snapshots = db.prepare("SELECT id, step, t, length(jpeg) AS bytes FROM snapshots WHERE interview_id = ? ORDER BY id");
  return {
    snapshot: (interviewId: string) => ({
      rows: Object.fromEntries(counts.map(([t, s]) => [t, s.get() as number])),
      interview: interview.get(interviewId),
      events: events.get(interviewId),
      sessions: sessions.all(interviewId),
      challenges: challenges.all(interviewId),
      snapshots: snapshots.all(interviewId),
    }),
    close: () => db.close(),
  };
}

/** Sends one generated request the way `client()` does: `app.request` with the Node socket peer as env. */
export async function send(app: App, method: string, req: FuzzRequest, peer = "127.0.0.1"): Promise<Response> {
  return await app.request(req.url, { method, headers: req.headers, body: req.body }, { incoming: { socket: { remoteAddress: peer } } });
}

/** Placeholder for a fixture value, filled in at send time so a re-seeded fixture is picked up. */
export const slot = (name: keyof Fixture) => `{{${name}}}`;

/** Replaces every `{{name}}` placeholder in the request with the current fixture's value. */
export function fill(req: FuzzRequest, fixture: Fixture): FuzzRequest {
  const sub = (s: string) => (s.includes("{{") ? s.replace(/\{\{(\w+)\}\}/g, (m, k: string) => (k in fixture ? String(fixture[k as keyof Fixture]) : m)) : s);
  return {
    url: sub(req.url),
    headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, sub(v)])),
    body: req.body === undefined ? undefined : sub(req.body),
  };
}
