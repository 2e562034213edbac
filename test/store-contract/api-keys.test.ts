import { describe, expect, it } from "vitest";
import type { Store } from "../../server/store/index.js";
import { BACKENDS, useStore } from "./backends.js";
import { T, together } from "./fixtures.js";

const T0 = "2026-01-01T00:00:00.000Z";
const claim = (store: Store, createdAt: string, requestHash = "h1", expiredBefore = "2025-01-01T00:00:00.000Z", staleBefore = expiredBefore) =>
  store.idempotency.claimIdempotencyKey({ apiKeyId: "ak_1", key: "k", requestHash, createdAt }, expiredBefore, staleBefore);

describe.each(BACKENDS)("Store contract on $name: API keys and idempotency keys", (backend) => {
  const ctx = useStore(backend);

  it("lets one request claim a key; later ones find it in flight, then completed", async () => {
    const { store } = ctx;
    expect(await claim(store, T0)).toEqual({ claimed: true });
    expect(await claim(store, T0)).toEqual({ claimed: false, existing: { apiKeyId: "ak_1", key: "k", requestHash: "h1", createdAt: T0, response: null } });
    await store.idempotency.completeIdempotencyKey("ak_1", "k", { status: 201, contentType: "application/json", body: '{"a":1}' });
    expect(await claim(store, T0, "h2")).toMatchObject({
      claimed: false,
      existing: { requestHash: "h1", response: { status: 201, contentType: "application/json", body: '{"a":1}' } },
    });
    // Keys belong to one API key.
    const other = await store.idempotency.claimIdempotencyKey({ apiKeyId: "ak_2", key: "k", requestHash: "h1", createdAt: T0 }, T0, T0);
    expect(other).toEqual({ claimed: true });
  });

  it("lets exactly one of many concurrent requests claim a key", async () => {
    const { store } = ctx;
    const peer = await ctx.peer();
    const results = await together(20, (i) => claim(i % 2 ? peer : store, T0, `h${i}`));
    const winners = results.map((r, i) => (r.claimed ? i : -1)).filter((i) => i >= 0);
    expect(winners).toHaveLength(1);
    for (const r of results) if (!r.claimed) expect(r.existing.requestHash).toBe(`h${winners[0]}`);
  });

  it("lets exactly one of many concurrent requests take over a stale claim", async () => {
    const { store } = ctx;
    const peer = await ctx.peer();
    await claim(store, T0);
    const later = "2026-01-01T00:06:00.000Z";
    const results = await together(20, (i) => claim(i % 2 ? peer : store, later, `h${i}`, "2025-12-31T00:06:00.000Z", "2026-01-01T00:01:00.000Z"));
    expect(results.filter((r) => r.claimed)).toHaveLength(1);
  });

  it("frees a released claim, an expired key and a stale in-flight claim, but not a recent one", async () => {
    const { store } = ctx;
    await claim(store, T0);
    await store.idempotency.releaseIdempotencyKey("ak_1", "k");
    expect(await claim(store, T0)).toEqual({ claimed: true });
    // In flight, and newer than the stale limit: still held.
    expect((await claim(store, T0, "h1", "2025-12-31T00:00:00.000Z", "2025-12-31T23:59:00.000Z")).claimed).toBe(false);
    // In flight past the stale limit: taken over.
    expect(await claim(store, "2026-01-01T00:06:00.000Z", "h2", "2025-12-31T00:06:00.000Z", "2026-01-01T00:01:00.000Z")).toEqual({ claimed: true });
    await store.idempotency.completeIdempotencyKey("ak_1", "k", { status: 201, contentType: null, body: "x" });
    // A completed key is not released.
    await store.idempotency.releaseIdempotencyKey("ak_1", "k");
    // Completed responses outlive the stale limit, but not the expiry.
    expect((await claim(store, "2026-01-01T01:00:00.000Z", "h3", "2025-12-31T01:00:00.000Z", "2026-01-01T00:55:00.000Z")).claimed).toBe(false);
    expect(await claim(store, "2026-01-02T01:00:00.000Z", "h3", "2026-01-01T01:00:00.000Z", "2026-01-02T00:55:00.000Z")).toEqual({ claimed: true });
  });

  it("purges keys older than the cut-off", async () => {
    const { store } = ctx;
    await claim(store, T0);
    await store.idempotency.claimIdempotencyKey({ apiKeyId: "ak_1", key: "new", requestHash: "h", createdAt: "2026-01-03T00:00:00.000Z" }, T0, T0);
    expect(await store.idempotency.purgeIdempotencyKeys("2026-01-02T00:00:00.000Z")).toBe(1);
    expect((await claim(store, "2026-01-03T00:00:00.000Z", "other")).claimed).toBe(true);
  });

  it("stores API keys, finds them by hash, revokes once and writes the last use at most once per interval", async () => {
    const { store } = ctx;
    const k = { id: "ak_1", name: "ATS", prefix: "vk_abcde", secretHash: "ab".repeat(32), createdAt: T0, lastUsedAt: null, revokedAt: null, scopes: ["interviews:read" as const], createdBy: "cfg_1" };
    await store.apiKeys.createApiKey(k);
    await store.apiKeys.createApiKey({ ...k, id: "ak_0", secretHash: "cd".repeat(32), createdAt: T(30), scopes: ["webhooks", "keys:admin"], createdBy: null });
    expect(await store.apiKeys.getApiKey("ak_0")).toMatchObject({ scopes: ["webhooks", "keys:admin"], createdBy: null });
    await expect(store.apiKeys.createApiKey({ ...k, id: "ak_2" })).rejects.toThrow();
    expect(await store.apiKeys.findApiKeyByHash(k.secretHash)).toEqual(k);
    expect(await store.apiKeys.findApiKeyByHash("ef".repeat(32))).toBeUndefined();
    await store.apiKeys.touchApiKey("ak_1", "2026-01-01T00:01:00.000Z", "2026-01-01T00:00:00.000Z");
    await store.apiKeys.touchApiKey("ak_1", "2026-01-01T00:01:30.000Z", "2026-01-01T00:00:30.000Z");
    expect((await store.apiKeys.getApiKey("ak_1"))?.lastUsedAt).toBe("2026-01-01T00:01:00.000Z");
    await store.apiKeys.touchApiKey("ak_1", "2026-01-01T00:02:01.000Z", "2026-01-01T00:01:01.000Z");
    expect((await store.apiKeys.getApiKey("ak_1"))?.lastUsedAt).toBe("2026-01-01T00:02:01.000Z");
    expect(await store.apiKeys.revokeApiKey("ak_1", "2026-01-02T00:00:00.000Z")).toBe(true);
    expect(await store.apiKeys.revokeApiKey("ak_1", "2026-01-03T00:00:00.000Z")).toBe(true);
    expect((await store.apiKeys.getApiKey("ak_1"))?.revokedAt).toBe("2026-01-02T00:00:00.000Z");
    expect(await store.apiKeys.revokeApiKey("ak_nope", T0)).toBe(false);
    expect((await store.apiKeys.listApiKeys()).map((x) => x.id)).toEqual(["ak_1", "ak_0"]);
  });
});
