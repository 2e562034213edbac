/**
 * Property-based fuzzing of the HTTP API (test/fuzz.test.ts): the routes come
 * from the Hono app itself, the requests from fast-check arbitraries, and the
 * store is watched through a second SQLite connection.
 */
import { hashSecret, newId } from "../../server/security/index.js";
import Database from "better-sqlite3";
import fc from "fast-check";
import type { Hono } from "hono";
import { TEST_API_KEY, testApp, tokenOf } from "./app.js";

type App = ReturnType<typeof testApp>["app"];

/** One fuzzable endpoint: a method and a Hono path pattern such as `/v1/candidate/:token/camera`. */
export interface Endpoint {
  method: string;
  path: string;
}

/** API prefixes; every other route the app registers is a page or a static asset. */
const API_PREFIXES = ["/v1/", "/internal/", "/webhooks/"];
const API_EXACT = ["/healthz"];
/** Routes that are not request/response: the dashboard's SSE stream never ends. */
const STREAMING = new Set(["GET /v1/interviews/stream"]);

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
  return {
    interviewId: json.id!,
    candidateToken,
    interviewerToken,
    sessionKey: session.sessionKey,
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

// ---------- arbitraries ----------

/** Header values a real HTTP parser lets through: no CR/LF/NUL, Latin-1 only (fetch's ByteString). */
const headerSafe = (s: string) => s.replace(/[^\t\x20-\x7e\x80-\xff]/g, "");

const weird = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme" }),
  fc.string({ unit: "binary" }),
  fc.constantFrom("", " ", "\u0000", "\u202e", "\ud800", "💥".repeat(50), "null", "undefined", "NaN", "-1", "1e309", "0x10", "[]", "{}"),
);

const HUGE = {
  /** Just over the public API's 256 KB limit. */
  api: "x".repeat(256 * 1024 + 1),
  /** Just over the webhook's 64 KB limit. */
  webhook: "y".repeat(64 * 1024 + 1),
  /** Over the verifier report's 2 MB limit. */
  verifier: "z".repeat(2 * 1024 * 1024 + 1),
  /** Long but under the limits: a field far longer than any schema allows. */
  field: "w".repeat(100_000),
};

/** Header strings: garbage, and long ones. */
const garbageHeader = fc.oneof(
  { weight: 4, arbitrary: weird.map(headerSafe) },
  { weight: 1, arbitrary: fc.nat({ max: 20_000 }).map((n) => "a".repeat(n)) },
);

const prototypeKeys = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf"];

/** JSON text whose objects carry prototype-pollution keys as own properties. */
const pollutingJson = fc
  .tuple(fc.constantFrom(...prototypeKeys), fc.jsonValue(), fc.constantFrom(...prototypeKeys))
  .map(([k, v, k2]) => `{"${k}":{"polluted":true,"${k2}":{"polluted":true}},"candidate":{"${k}":${JSON.stringify(v)},"name":"A"},"type":"progress"}`);

/** Nested arrays or objects, deep enough to trouble a recursive parser or validator. */
const deepJson = fc.tuple(fc.integer({ min: 10, max: 20_000 }), fc.boolean()).map(([depth, objects]) =>
  objects ? `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}` : `${"[".repeat(depth)}${"]".repeat(depth)}`,
);

/** Replaces, deletes or adds one key somewhere in a valid body. */
function mutate(base: unknown, path: number[], value: unknown, del: boolean, extraKey: string | undefined): unknown {
  const copy = structuredClone(base) as Record<string, unknown>;
  if (copy === null || typeof copy !== "object") return value;
  let target: Record<string, unknown> = copy;
  for (const step of path) {
    const keys = Object.keys(target);
    if (!keys.length) break;
    const key = keys[step % keys.length]!;
    const child = target[key];
    if (child === null || typeof child !== "object") break;
    target = child as Record<string, unknown>;
  }
  const keys = Object.keys(target);
  if (extraKey !== undefined) {
    Object.defineProperty(target, extraKey, { value, enumerable: true, configurable: true, writable: true });
  } else if (keys.length) {
    const key = keys[(path[0] ?? 0) % keys.length]!;
    if (del) delete target[key];
    else target[key] = value;
  }
  return copy;
}

/** A value of any JSON type, including numbers JSON cannot carry exactly. */
const anyJsonValue = fc.oneof(
  fc.jsonValue(),
  weird,
  fc.constantFrom(HUGE.field, -0, Number.MAX_SAFE_INTEGER + 2, 1e308, -1e308, 5e-324, 0.1, -1, 2 ** 31, 2 ** 63),
);

/**
 * Request bodies: none, arbitrary JSON, mutations of a valid body, wrong
 * types, prototype-pollution keys, deep nesting, non-JSON, and oversized.
 */
export function bodyArbitrary(templates: unknown[], huge: keyof typeof HUGE) {
  const template = fc.constantFrom(...(templates.length ? templates : [{}]));
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant(undefined) },
    { weight: 4, arbitrary: template.map((t) => JSON.stringify(t)) },
    {
      weight: 8,
      arbitrary: fc
        .tuple(template, fc.array(fc.nat(), { maxLength: 3 }), anyJsonValue, fc.boolean(), fc.option(fc.oneof(fc.constantFrom(...prototypeKeys), fc.string())))
        .map(([t, path, v, del, extra]) => JSON.stringify(mutate(t, path, v, del, extra ?? undefined)) ?? "null"),
    },
    { weight: 4, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
    { weight: 2, arbitrary: pollutingJson },
    { weight: 1, arbitrary: deepJson },
    { weight: 2, arbitrary: weird },
    { weight: 1, arbitrary: fc.constantFrom(`{"pad":"${HUGE[huge]}"}`, HUGE[huge], `{"candidate":{"name":"${HUGE.field}"}}`) },
  );
}

const contentTypes = fc.oneof(
  { weight: 6, arbitrary: fc.constant("application/json") },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      undefined,
      "text/plain",
      "application/json; charset=utf-16",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=xyz",
      "application/webhook+json",
      "json",
      "",
    ),
  },
  { weight: 1, arbitrary: garbageHeader },
);

/** Path segments: the real value some of the time, else random, long, or URL-encoding oddities. */
export function segmentArbitrary(valid: string[]) {
  const oddities = fc.constantFrom(
    "%",
    "%zz",
    "%00",
    "%2F",
    "%2e%2e",
    "..",
    ".",
    "%E0%A4%A",
    "%C0%AF",
    "%ff%fe",
    "%25",
    "A".repeat(43),
    "A".repeat(42) + "%",
    "iv_x",
    "0",
    "-1",
    "1.5",
    "1e400",
    "99999999999999999999",
    "NaN",
    "constructor",
    "__proto__",
  );
  return fc.oneof(
    { weight: valid.length ? 5 : 0, arbitrary: valid.length ? fc.constantFrom(...valid) : fc.constant("x") },
    { weight: 3, arbitrary: weird.filter((s) => s.length > 0).map((s) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, "?"))) },
    { weight: 2, arbitrary: oddities },
    { weight: 1, arbitrary: fc.nat({ max: 10_000 }).map((n) => "b".repeat(n + 1)) },
  );
}

/** What the generator may use as valid values for one route. */
export interface RouteContext {
  params: Record<string, string[]>;
  authorizations: string[];
  sessionKeys: string[];
  templates: unknown[];
  huge: keyof typeof HUGE;
}

export interface FuzzRequest {
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/** One generated request for `endpoint`. */
export function requestArbitrary(endpoint: Endpoint, ctx: RouteContext): fc.Arbitrary<FuzzRequest> {
  const names = [...endpoint.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  const params = fc.tuple(...names.map((n) => segmentArbitrary(ctx.params[n] ?? [])));
  const option = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 3 });
  const authorization = option(
    fc.oneof(
      { weight: ctx.authorizations.length ? 4 : 0, arbitrary: ctx.authorizations.length ? fc.constantFrom(...ctx.authorizations) : fc.constant("") },
      { weight: 3, arbitrary: garbageHeader.map((g) => `Bearer ${g}`) },
      { weight: 1, arbitrary: fc.constantFrom("Bearer", "Basic dXNlcjpwYXNz", "eyJhbGciOiJIUzI1NiJ9.e30.bad", "eyJhbGciOiJub25lIn0.e30.", `bearer ${TEST_API_KEY}`, `Bearer  ${TEST_API_KEY} x`) },
      { weight: 2, arbitrary: garbageHeader },
    ),
  );
  const session = option(
    fc.oneof(
      { weight: ctx.sessionKeys.length ? 3 : 0, arbitrary: ctx.sessionKeys.length ? fc.constantFrom(...ctx.sessionKeys) : fc.constant("") },
      { weight: 2, arbitrary: garbageHeader },
    ),
  );
  const forwarded = option(
    fc.oneof(
      fc.ipV4().map((ip) => `${ip}, 10.0.0.1`),
      fc.ipV6(),
      garbageHeader,
      fc.array(fc.oneof(fc.ipV4(), garbageHeader), { maxLength: 50 }).map((a) => a.join(",")),
    ),
  );
  const query = option(fc.dictionary(fc.constantFrom("limit", "offset", "x", "__proto__"), weird, { maxKeys: 3 }));
  return fc
    .record({
      params,
      query,
      contentType: contentTypes,
      authorization,
      session,
      forwarded,
      userAgent: option(garbageHeader),
      body: bodyArbitrary(ctx.templates, ctx.huge),
    })
    .map(({ params: values, query: q, contentType, authorization: auth, session: key, forwarded: xff, userAgent, body }) => {
      let i = 0;
      let url = endpoint.path.replace(/:(\w+)/g, () => values[i++]!);
      if (q) url += `?${Object.entries(q).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v.replace(/[\ud800-\udfff]/g, "?"))}`).join("&")}`;
      const headers: Record<string, string> = {};
      if (contentType !== undefined) headers["content-type"] = headerSafe(contentType);
      if (auth !== undefined) headers.authorization = headerSafe(auth);
      if (key !== undefined) headers["x-candidate-session"] = headerSafe(key);
      if (xff !== undefined) headers["x-forwarded-for"] = headerSafe(xff);
      if (userAgent !== undefined) headers["user-agent"] = headerSafe(userAgent);
      return { url, headers, body: endpoint.method === "GET" || endpoint.method === "HEAD" ? undefined : body };
    });
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
