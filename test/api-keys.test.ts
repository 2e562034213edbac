import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import type { LiveKitSettings } from "../server/livekit/index.js";
import { hashSecret } from "../server/security/index.js";
import { TEST_API_KEY, client, testApp, tokenOf } from "./helpers/app.js";
import { sharedLiveKit } from "./helpers/livekit.js";

let livekit: LiveKitSettings;
beforeAll(async () => {
  livekit = await sharedLiveKit();
});

/** A clock the test moves by hand. */
function handClock(start = Date.now()) {
  let t = start;
  return { now: () => new Date(t), advance: (ms: number) => void (t += ms) };
}

const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

describe("API keys API", () => {
  it("makes a key whose secret is shown once, stored only as its hash, and accepted by the routes its scopes open", async () => {
    const { app, dbFile } = testApp({ livekit });
    const api = client(app);
    const res = await api.call("POST", "/v1/api-keys", { body: { name: "ATS integration", scopes: ["interviews:read", "interviews:write", "keys:admin"] }, headers: api.auth });
    expect(res.status).toBe(201);
    const created = await res.json();
    expect(created).toEqual({
      id: expect.stringMatching(/^ak_/),
      name: "ATS integration",
      prefix: created.secret.slice(0, 8),
      secret: expect.stringMatching(/^vk_[A-Za-z0-9_-]{43}$/),
      createdAt: expect.any(String),
      scopes: ["interviews:read", "interviews:write", "keys:admin"],
    });

    // The new key works on the interviews API and on the keys API itself.
    const made = await api.call("POST", "/v1/interviews", { body: { candidate: { name: "Ada" } }, headers: bearer(created.secret) });
    expect(made.status).toBe(201);
    expect((await api.call("GET", "/v1/api-keys", { headers: bearer(created.secret) })).status).toBe(200);

    const listRes = await api.call("GET", "/v1/api-keys", { headers: api.auth });
    const listText = await listRes.text();
    expect(listText).not.toContain(created.secret);
    expect(listText).not.toContain(TEST_API_KEY);
    const { keys } = JSON.parse(listText);
    expect(keys).toEqual([
      {
        id: "cfg_1", name: "Configured key 1", prefix: TEST_API_KEY.slice(0, 6), createdAt: null, lastUsedAt: expect.any(String), revoked: false, source: "configuration",
        scopes: ["interviews:read", "interviews:write", "personal_data", "webhooks", "keys:admin", "ats"], createdBy: null,
      },
      {
        id: created.id, name: "ATS integration", prefix: created.prefix, createdAt: created.createdAt, lastUsedAt: expect.any(String), revoked: false, source: "api",
        scopes: ["interviews:read", "interviews:write", "keys:admin"], createdBy: "cfg_1",
      },
    ]);

    // In the table: the hash, never the secret.
    const db = new Database(dbFile, { readonly: true });
    const rows = db.prepare("SELECT * FROM api_keys").all() as Array<Record<string, unknown>>;
    db.close();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.secret_hash).toBe(hashSecret(created.secret));
    expect(JSON.stringify(rows)).not.toContain(created.secret);
  });

  it("refuses a revoked key with 401 from the next request on", async () => {
    const { app } = testApp({ livekit });
    const api = client(app);
    const { id, secret } = await (await api.call("POST", "/v1/api-keys", { body: { name: "Old" }, headers: api.auth })).json();
    expect((await api.call("GET", "/v1/interviews", { headers: bearer(secret) })).status).toBe(200);

    const revoked = await api.call("DELETE", `/v1/api-keys/${id}`, { headers: api.auth });
    expect(revoked.status).toBe(200);
    expect(await revoked.json()).toEqual({ id, revoked: true });

    const refused = await api.call("GET", "/v1/interviews", { headers: bearer(secret) });
    expect(refused.status).toBe(401);
    expect((await refused.json()).error.code).toBe("unauthorized");
    expect((await api.call("POST", "/v1/api-keys", { body: { name: "X" }, headers: bearer(secret) })).status).toBe(401);
    const { keys } = await (await api.call("GET", "/v1/api-keys", { headers: api.auth })).json();
    expect(keys.find((k: { id: string }) => k.id === id)).toMatchObject({ revoked: true });

    const unknown = await api.call("DELETE", "/v1/api-keys/ak_nosuchkey", { headers: api.auth });
    expect(unknown.status).toBe(404);
  });

  it("lets a stored key revoke itself", async () => {
    const { app } = testApp({ livekit });
    const api = client(app);
    const { id, secret } = await (await api.call("POST", "/v1/api-keys", { body: { name: "Self", scopes: ["keys:admin"] }, headers: api.auth })).json();
    expect((await api.call("DELETE", `/v1/api-keys/${id}`, { headers: bearer(secret) })).status).toBe(200);
    expect((await api.call("GET", "/v1/api-keys", { headers: bearer(secret) })).status).toBe(401);
  });

  it("refuses to revoke a configured key, which keeps working", async () => {
    const { app } = testApp({ livekit });
    const api = client(app);
    const res = await api.call("DELETE", "/v1/api-keys/cfg_1", { headers: api.auth });
    expect(res.status).toBe(409);
    expect((await res.json()).error.code).toBe("api_key_not_revocable");
    expect((await api.call("GET", "/v1/api-keys", { headers: api.auth })).status).toBe(200);
  });

  it("lists every configured key as cfg_<n>, showing no more than a quarter of a short one", async () => {
    const long = `vk_${"a".repeat(43)}`;
    const short = "0123456789abcdef";
    const { app } = testApp({ livekit, apiKeys: [long, short] });
    const api = client(app);
    const res = await api.call("GET", "/v1/api-keys", { headers: bearer(short) });
    const text = await res.text();
    expect(text).not.toContain(short);
    expect(JSON.parse(text).keys).toEqual([
      expect.objectContaining({ id: "cfg_1", prefix: long.slice(0, 8), lastUsedAt: null, source: "configuration" }),
      expect.objectContaining({ id: "cfg_2", prefix: "0123", lastUsedAt: expect.any(String), source: "configuration" }),
    ]);
    expect((await api.call("DELETE", "/v1/api-keys/cfg_2", { headers: bearer(long) })).status).toBe(409);
  });

  it("requires an API key and a valid name", async () => {
    const { app } = testApp({ livekit });
    const api = client(app);
    expect((await api.call("GET", "/v1/api-keys")).status).toBe(401);
    expect((await api.call("POST", "/v1/api-keys", { body: { name: "X" } })).status).toBe(401);
    expect((await api.call("DELETE", "/v1/api-keys/cfg_1")).status).toBe(401);
    for (const body of [{}, { name: "" }, { name: "a\u202eb" }, { name: "x".repeat(101) }]) {
      const res = await api.call("POST", "/v1/api-keys", { body, headers: api.auth });
      expect(res.status).toBe(400);
      expect((await res.json()).error).toMatchObject({ code: "validation_failed", field: "name" });
    }
  });

  it("records a stored key's last use, written at most once a minute", async () => {
    const clock = handClock();
    const { app, store } = testApp({ livekit, now: clock.now });
    const api = client(app);
    const { id, secret } = await (await api.call("POST", "/v1/api-keys", { body: { name: "Busy" }, headers: api.auth })).json();
    expect((await store.apiKeys.getApiKey(id))?.lastUsedAt).toBeNull();
    const first = clock.now().toISOString();
    await api.call("GET", "/v1/interviews", { headers: bearer(secret) });
    expect((await store.apiKeys.getApiKey(id))?.lastUsedAt).toBe(first);
    clock.advance(30_000);
    await api.call("GET", "/v1/interviews", { headers: bearer(secret) });
    expect((await store.apiKeys.getApiKey(id))?.lastUsedAt).toBe(first);
    clock.advance(31_000);
    await api.call("GET", "/v1/interviews", { headers: bearer(secret) });
    expect((await store.apiKeys.getApiKey(id))?.lastUsedAt).toBe(clock.now().toISOString());
  });
});

describe("Idempotency-Key", () => {
  it("replays the first response to the same request, marked Idempotent-Replayed, and creates nothing more", async () => {
    const { app, store } = testApp({ livekit });
    const api = client(app);
    const headers = { ...api.auth, "idempotency-key": "order-42" };
    const body = { candidate: { name: "Ada Lovelace" } };
    const first = await api.call("POST", "/v1/interviews", { body, headers });
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const firstBody = await first.json();
    const again = await api.call("POST", "/v1/interviews", { body, headers });
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.headers.get("content-type")).toMatch(/^application\/json/);
    expect(again.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await again.json()).toEqual(firstBody);
    expect(await store.listInterviews(100, 0)).toHaveLength(1);

    // Without the header, requests are not deduplicated.
    expect((await api.call("POST", "/v1/interviews", { body, headers: api.auth })).status).toBe(201);
    expect(await store.listInterviews(100, 0)).toHaveLength(2);
  });

  it("covers making API keys and rotating interviewer links too", async () => {
    const { app, store } = testApp({ livekit });
    const api = client(app);
    const headers = { ...api.auth, "idempotency-key": "k1" };
    const a = await (await api.call("POST", "/v1/api-keys", { body: { name: "Once" }, headers })).json();
    const b = await api.call("POST", "/v1/api-keys", { body: { name: "Once" }, headers });
    expect(b.headers.get("idempotent-replayed")).toBe("true");
    expect((await b.json()).id).toBe(a.id);
    expect(await store.apiKeys.listApiKeys()).toHaveLength(1);

    const { json: interview } = await api.createInterview();
    const rotate = () => api.call("POST", `/v1/interviews/${interview.id}/interviewer-link`, { headers: { ...api.auth, "idempotency-key": "rot-1" } });
    const r1 = await rotate();
    expect(r1.status).toBe(201);
    const url1 = (await r1.json()).interviewerUrl;
    const r2 = await rotate();
    expect(r2.headers.get("idempotent-replayed")).toBe("true");
    expect((await r2.json()).interviewerUrl).toBe(url1);
    // The link replayed is still the current one: the rotation ran once.
    expect((await store.findInterviewByLink("interviewer", hashSecret(tokenOf(url1))))?.id).toBe(interview.id);
  });

  it("keeps stored responses sealed: no new API key secret or link token in the table", async () => {
    const { app, dbFile } = testApp({ livekit });
    const api = client(app);
    const created = await (await api.call("POST", "/v1/api-keys", { body: { name: "Sealed" }, headers: { ...api.auth, "idempotency-key": "a" } })).json();
    const interview = await (
      await api.call("POST", "/v1/interviews", { body: { candidate: { name: "A" } }, headers: { ...api.auth, "idempotency-key": "b" } })
    ).json();
    const db = new Database(dbFile, { readonly: true });
    const stored = JSON.stringify(db.prepare("SELECT * FROM idempotency_keys").all());
    db.close();
    for (const secret of [created.secret, tokenOf(interview.candidateUrl), tokenOf(interview.interviewerUrl)]) {
      expect(stored).not.toContain(secret);
    }
    // ... and still replayed in the clear to the key that made them.
    const replay = await api.call("POST", "/v1/api-keys", { body: { name: "Sealed" }, headers: { ...api.auth, "idempotency-key": "a" } });
    expect((await replay.json()).secret).toBe(created.secret);
  });

  it("answers the same key with another body with 422 idempotency_mismatch", async () => {
    const { app, store } = testApp({ livekit });
    const api = client(app);
    const headers = { ...api.auth, "idempotency-key": "same" };
    expect((await api.call("POST", "/v1/interviews", { body: { candidate: { name: "A" } }, headers })).status).toBe(201);
    const res = await api.call("POST", "/v1/interviews", { body: { candidate: { name: "B" } }, headers });
    expect(res.status).toBe(422);
    expect((await res.json()).error.code).toBe("idempotency_mismatch");
    // ... and with the same body on another path: the key stands for one request.
    const other = await api.call("POST", "/v1/api-keys", { body: { candidate: { name: "A" } }, headers });
    expect(other.status).toBe(422);
    expect(await store.listInterviews(100, 0)).toHaveLength(1);
  });

  it("does not replay to a configured key that replaced another under the same cfg_<n>", async () => {
    const oldKey = "old-key-0123456789abcdef";
    const newKey = "new-key-0123456789abcdef";
    const first = testApp({ livekit, apiKeys: [oldKey] });
    const body = { candidate: { name: "A" } };
    const a = await client(first.app).call("POST", "/v1/interviews", { body, headers: { ...bearer(oldKey), "idempotency-key": "k" } });
    expect(a.status).toBe(201);
    const second = testApp({ livekit, apiKeys: [newKey], dbFile: first.dbFile });
    const b = await client(second.app).call("POST", "/v1/interviews", { body, headers: { ...bearer(newKey), "idempotency-key": "k" } });
    expect(b.status).toBe(422);
    expect((await b.json()).error.code).toBe("idempotency_mismatch");
  });

  it("keeps each API key's idempotency keys apart", async () => {
    const { app, store } = testApp({ livekit });
    const api = client(app);
    const { secret } = await (await api.call("POST", "/v1/api-keys", { body: { name: "Other" }, headers: api.auth })).json();
    const body = { candidate: { name: "A" } };
    const a = await api.call("POST", "/v1/interviews", { body, headers: { ...api.auth, "idempotency-key": "shared" } });
    const b = await api.call("POST", "/v1/interviews", { body, headers: { ...bearer(secret), "idempotency-key": "shared" } });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.headers.get("idempotent-replayed")).toBeNull();
    expect(await store.listInterviews(100, 0)).toHaveLength(2);
  });

  it("refuses an empty, too long or unprintable key with 400 idempotency_key_invalid", async () => {
    const { app, store } = testApp({ livekit });
    const api = client(app);
    for (const key of ["", "x".repeat(256), "a\tb"]) {
      const res = await api.call("POST", "/v1/interviews", { body: { candidate: { name: "A" } }, headers: { ...api.auth, "idempotency-key": key } });
      expect(res.status).toBe(400);
      expect((await res.json()).error).toMatchObject({ code: "idempotency_key_invalid", field: "Idempotency-Key" });
    }
    expect(await store.listInterviews(100, 0)).toHaveLength(0);
    const longest = await api.call("POST", "/v1/interviews", { body: { candidate: { name: "A" } }, headers: { ...api.auth, "idempotency-key": "~".repeat(255) } });
    expect(longest.status).toBe(201);
  });

  it("creates exactly one interview from 20 identical requests in parallel", async () => {
    const { app, store } = testApp({ livekit });
    const api = client(app);
    const headers = { ...api.auth, "idempotency-key": "burst" };
    const body = { candidate: { name: "Parallel" } };
    const responses = await Promise.all(Array.from({ length: 20 }, () => api.call("POST", "/v1/interviews", { body, headers })));
    expect(await store.listInterviews(100, 0)).toHaveLength(1);
    const created = responses.filter((r) => r.status === 201 && !r.headers.get("idempotent-replayed"));
    expect(created).toHaveLength(1);
    const id = (await created[0]!.json()).id;
    for (const r of responses.filter((x) => x !== created[0])) {
      if (r.status === 201) {
        expect(r.headers.get("idempotent-replayed")).toBe("true");
        expect((await r.json()).id).toBe(id);
      } else {
        expect(r.status).toBe(409);
        expect(r.headers.get("retry-after")).toBe("1");
        expect((await r.json()).error.code).toBe("idempotency_in_progress");
      }
    }
    // Once the first is done, a retry gets its response.
    const retry = await api.call("POST", "/v1/interviews", { body, headers });
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect((await retry.json()).id).toBe(id);
  });

  it("stores and replays a client error, and forgets keys after 24 hours", async () => {
    const clock = handClock();
    const { app, store, dbFile } = testApp({ livekit, now: clock.now });
    const api = client(app);
    const headers = { ...api.auth, "idempotency-key": "day-1" };
    const missing = () => api.call("POST", "/v1/interviews/iv_nosuch/interviewer-link", { headers: { ...api.auth, "idempotency-key": "gone" } });
    expect((await missing()).status).toBe(404);
    const replayed404 = await missing();
    expect(replayed404.status).toBe(404);
    expect(replayed404.headers.get("idempotent-replayed")).toBe("true");

    const first = await (await api.call("POST", "/v1/interviews", { body: { candidate: { name: "A" } }, headers })).json();
    clock.advance(23 * 3600_000);
    expect((await api.call("POST", "/v1/interviews", { body: { candidate: { name: "B" } }, headers })).status).toBe(422);

    clock.advance(3600_000 + 1000);
    // Past 24 hours the key is free again: another body is a new request.
    const later = await api.call("POST", "/v1/interviews", { body: { candidate: { name: "B" } }, headers });
    expect(later.status).toBe(201);
    expect((await later.json()).id).not.toBe(first.id);
    expect(await store.listInterviews(100, 0)).toHaveLength(2);

    // Expired keys are purged from the table, not just ignored.
    const db = new Database(dbFile, { readonly: true });
    const keys = (db.prepare("SELECT key FROM idempotency_keys").all() as Array<{ key: string }>).map((r) => r.key);
    db.close();
    expect(keys).toEqual(["day-1"]);
  });
});
