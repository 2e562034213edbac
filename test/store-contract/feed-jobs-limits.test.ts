import { describe, expect, it } from "vitest";
import type { EventNotice, Store } from "../../server/store/index.js";
import { BACKENDS, useStore } from "./backends.js";
import { T, together } from "./fixtures.js";

const notice = (n: number, interviewId = "a"): EventNotice => ({ interviewId, eventId: n, type: "link_opened", at: T(n), status: "link_opened" });

/** Collects notices until `count` have arrived. */
function collect(store: Store, count: number) {
  const got: EventNotice[] = [];
  let done!: () => void;
  const all = new Promise<void>((resolve) => (done = resolve));
  const stop = store.subscribeEvents((n) => {
    got.push(n);
    if (got.length === count) done();
  });
  return { got, all, stop };
}

describe.each(BACKENDS)("Store contract on $name: event feed, background jobs, rate limits", (backend) => {
  const ctx = useStore(backend);

  it("hands every published notice to this process's listeners, in order, until they unsubscribe", async () => {
    const { store } = ctx;
    const a = collect(store, 5);
    const b = collect(store, 2);
    for (let i = 1; i <= 5; i++) await store.publishEvent(notice(i));
    await Promise.all([a.all, b.all]);
    expect(a.got).toEqual([1, 2, 3, 4, 5].map((i) => notice(i)));
    b.stop();
    a.stop();
    const c = collect(store, 1);
    await store.publishEvent(notice(6));
    await c.all;
    expect(b.got).toHaveLength(5);
    expect(a.got).toHaveLength(5);
  });

  it.runIf(backend.sharedFeed)("hands a notice published by one process to the listeners of every process on the database", async () => {
    const { store } = ctx;
    const peer = await ctx.peer();
    const onPeer = collect(peer, 20);
    const onStore = collect(store, 20);
    await together(20, (i) => (i % 2 ? peer : store).publishEvent(notice(i)));
    await Promise.all([onPeer.all, onStore.all]);
    expect(onPeer.got.map((n) => n.eventId).sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    // Every process hears them in the same (commit) order.
    expect(onStore.got).toEqual(onPeer.got);
  });

  it("runs a job at most once per interval, whichever process asks", async () => {
    const { store } = ctx;
    const peer = await ctx.peer();
    let runs = 0;
    const job = async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 20));
    };
    const at = "2026-01-01T00:00:00.000Z";
    const ran = await together(10, (i) => (i % 2 ? peer : store).runExclusive("purge", 3600_000, at, job));
    expect(ran.filter(Boolean)).toHaveLength(1);
    expect(runs).toBe(1);
    expect(await store.runExclusive("purge", 3600_000, "2026-01-01T00:59:59.999Z", job)).toBe(false);
    // Another job has its own slot.
    expect(await store.runExclusive("other", 3600_000, at, job)).toBe(true);
    expect(await peer.runExclusive("purge", 3600_000, "2026-01-01T01:00:00.000Z", job)).toBe(true);
    expect(runs).toBe(3);
  });

  it("takes the slot even when the job fails: the next interval tries again", async () => {
    const { store } = ctx;
    await expect(store.runExclusive("purge", 60_000, T(0), async () => Promise.reject(new Error("disk full")))).rejects.toThrow("disk full");
    expect(await store.runExclusive("purge", 60_000, T(30), async () => {})).toBe(false);
    expect(await store.runExclusive("purge", 60_000, T(60), async () => {})).toBe(true);
  });

  it("counts rate-limit hits per key and rule, shared by every limiter on the database", async () => {
    const { store } = ctx;
    const peer = await ctx.peer();
    const rule = { name: "per-ip", points: 5, durationSeconds: 60 };
    const here = store.createRateLimiter(rule);
    const there = peer.createRateLimiter(rule);
    const results = await together(12, (i) => (i % 2 ? there : here).hit("198.51.100.7"));
    expect(results.filter((r) => r.allowed)).toHaveLength(5);
    const refused = results.find((r) => !r.allowed);
    expect(refused && !refused.allowed && refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused && !refused.allowed && refused.retryAfterSeconds).toBeLessThanOrEqual(60);
    // Another key, and another rule on the same key, count apart.
    expect(await here.hit("203.0.113.9")).toEqual({ allowed: true });
    expect(await store.createRateLimiter({ ...rule, name: "per-link" }).hit("198.51.100.7")).toEqual({ allowed: true });
  });

  it("forgets rate-limit hits once their window has passed", async () => {
    const limiter = ctx.store.createRateLimiter({ name: "short", points: 1, durationSeconds: 1 });
    expect(await limiter.hit("k")).toEqual({ allowed: true });
    expect((await limiter.hit("k")).allowed).toBe(false);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await limiter.hit("k")).toEqual({ allowed: true });
  });
});
