/**
 * API-key scopes (security review 2, finding 8): every API-key operation declares one scope in the
 * OpenAPI document and refuses a key without it; keys cannot mint wider keys; only `keys:admin`
 * manages keys; revoking a key takes the keys it made with it; other candidates are named only to
 * `personal_data` keys (finding 21).
 */
import { describe, expect, it } from "vitest";
import { ALL_SCOPES, type ApiScope } from "../shared/api-keys.js";
import { ANOTHER_CANDIDATE } from "../server/personal/index.js";
import { client, testApp, tokenOf } from "./helpers/app.js";

/** Nothing here touches a room: the LiveKit settings are never used. */
const livekit = { url: "ws://127.0.0.1:9", publicUrl: "ws://127.0.0.1:9", apiKey: "unused-key", apiSecret: "unused-secret-0123456789abcdef0123456789" };
const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

function kit() {
  const built = testApp({ livekit, webhookAllowPrivateUrls: true });
  const api = client(built.app, "203.0.113.9");
  /** A key made by `by` (default: the configured key) with `scopes`. */
  const key = async (scopes: ApiScope[], by: Record<string, string> = api.auth) => {
    const res = await api.call("POST", "/v1/api-keys", { body: { name: `key ${scopes.join(" ")}`, scopes }, headers: by });
    expect(res.status, await res.clone().text()).toBe(201);
    return (await res.json()) as { id: string; secret: string; scopes: ApiScope[] };
  };
  return { ...built, api, key };
}

type Operation = { method: string; path: string; scope: ApiScope };

/** Every operation of the published document that takes an API key, with the scope it declares. */
async function apiKeyOperations(api: ReturnType<typeof client>): Promise<Operation[]> {
  const doc = (await (await api.call("GET", "/openapi.json")).json()) as { paths: Record<string, Record<string, { security?: Array<Record<string, string[]>> }>> };
  const out: Operation[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const entry = op.security?.find((s) => "apiKey" in s);
      if (!entry) continue;
      expect(entry.apiKey, `${method} ${path} declares one scope`).toHaveLength(1);
      out.push({ method: method.toUpperCase(), path, scope: entry.apiKey![0] as ApiScope });
    }
  }
  return out;
}

const concrete = (path: string) => path.replace("{id}", "iv_missing").replace("{snapshotId}", "1").replace(/\{\w+\}/g, "x_missing");

describe("API-key scopes", () => {
  it("every API-key operation declares a scope, and refuses a key holding every other scope with 403 insufficient_scope", async () => {
    const { api, key } = kit();
    const ops = await apiKeyOperations(api);
    expect(ops.length).toBeGreaterThanOrEqual(19);
    // `ats` guards the assessment-partner endpoints, which speak HTTP Basic (test/ats-greenhouse.test.ts).
    expect(new Set([...ops.map((o) => o.scope), "ats"])).toEqual(new Set(ALL_SCOPES));
    const keys = new Map<ApiScope, string>();
    for (const scope of ALL_SCOPES) keys.set(scope, (await key(ALL_SCOPES.filter((s) => s !== scope))).secret);
    for (const op of ops) {
      const res = await api.call(op.method, concrete(op.path), { headers: bearer(keys.get(op.scope)!), ...(op.method === "POST" ? { body: {} } : {}) });
      expect([op.method, op.path, res.status], await res.clone().text()).toEqual([op.method, op.path, 403]);
      expect((await res.json()).error.code).toBe("insufficient_scope");
      // With the scope, the same request gets past the check (to a 404, a 400 or a success).
      const all = await api.call(op.method, concrete(op.path), { headers: api.auth, ...(op.method === "POST" ? { body: {} } : {}) });
      expect([op.method, op.path, all.status === 403]).toEqual([op.method, op.path, false]);
    }
  });

  it("a leaked integration key (the default scopes) can run interviews, but cannot mint a key, add a webhook or export", async () => {
    const { api, key } = kit();
    const made = await api.call("POST", "/v1/api-keys", { body: { name: "ATS" }, headers: api.auth });
    const integration = await made.json();
    expect(integration.scopes).toEqual(["interviews:read", "interviews:write"]);
    const as = bearer(integration.secret);
    const { json } = { json: await (await api.call("POST", "/v1/interviews", { body: { candidate: { name: "Ada" } }, headers: as })).json() };
    expect(json.id).toMatch(/^iv_/);
    expect((await api.call("POST", "/v1/api-keys", { body: { name: "Configured key 2" }, headers: as })).status).toBe(403);
    expect((await api.call("POST", "/v1/webhook-endpoints", { body: { url: "http://127.0.0.1:9/hook" }, headers: as })).status).toBe(403);
    expect((await api.call("GET", `/v1/interviews/${json.id}/export`, { headers: as })).status).toBe(403);
    expect((await api.call("DELETE", `/v1/interviews/${json.id}/personal-data`, { headers: as })).status).toBe(403);
    // An admin key cannot grant what it lacks either.
    const admin = await key(["keys:admin", "interviews:read"]);
    const wider = await api.call("POST", "/v1/api-keys", { body: { name: "wider", scopes: ["personal_data"] }, headers: bearer(admin.secret) });
    expect(wider.status).toBe(403);
    expect((await wider.json()).error).toMatchObject({ code: "insufficient_scope", field: "scopes" });
    expect((await key(["interviews:read"], bearer(admin.secret))).scopes).toEqual(["interviews:read"]);
  });

  it("revoking a key revokes the keys it made; a key made by another admin keeps working", async () => {
    const { api, key } = kit();
    const leaked = await key(["keys:admin", "interviews:read"]);
    const child = await key(["interviews:read"], bearer(leaked.secret));
    const grandchild = await key(["interviews:read"], bearer((await key(["keys:admin", "interviews:read"], bearer(leaked.secret))).secret));
    const other = await key(["interviews:read"]);
    expect((await api.call("DELETE", `/v1/api-keys/${leaked.id}`, { headers: api.auth })).status).toBe(200);
    for (const k of [leaked, child, grandchild]) expect((await api.call("GET", "/v1/interviews", { headers: bearer(k.secret) })).status).toBe(401);
    expect((await api.call("GET", "/v1/interviews", { headers: bearer(other.secret) })).status).toBe(200);
    const listed = (await (await api.call("GET", "/v1/api-keys", { headers: api.auth })).json()).keys as Array<{ id: string; revoked: boolean; createdBy: string | null }>;
    expect(listed.find((k) => k.id === child.id)).toMatchObject({ revoked: true, createdBy: leaked.id });
    expect(listed.find((k) => k.id === other.id)).toMatchObject({ revoked: false, createdBy: "cfg_1" });
  });

  it("names another candidate whose face matched only to personal_data keys; the interviewer link never does", async () => {
    const { api, key, timeline, store } = kit();
    const { json } = { json: await (await api.call("POST", "/v1/interviews", { body: { candidate: { name: "Kim" } }, headers: api.auth })).json() };
    const record = (await store.getInterview(json.id))!;
    const reused = [{ interviewId: "iv_other", candidateName: "Pak Song-il", candidateEmail: "pak@example.com", similarity: 0.91 }];
    await timeline.record(record, {
      type: "identity_checked",
      actor: "verifier",
      data: { templateId: 1, challengeId: "ch_1", frames: 4, consistency: 0.95, antispoof: [], threshold: 0.62, rounds: [], reused, searched: 1 },
    });
    const reader = await key(["interviews:read"]);
    const seen = async (path: string, headers: Record<string, string>) => JSON.stringify(await (await api.call("GET", path, { headers })).json());
    for (const path of [`/v1/interviews/${json.id}`, `/v1/interviews/${json.id}/report`]) {
      expect(await seen(path, api.auth)).toContain("Pak Song-il");
      const narrow = await seen(path, bearer(reader.secret));
      expect(narrow).not.toMatch(/Pak Song-il|pak@example\.com/);
      expect(narrow).toContain(ANOTHER_CANDIDATE);
      expect(narrow).toContain("iv_other");
    }
    const link = tokenOf(json.interviewerUrl);
    for (const path of [`/v1/interviewer/${link}`, `/v1/interviewer/${link}/report`]) expect(await seen(path, {})).not.toMatch(/Pak Song-il|pak@example\.com/);
  });
});
