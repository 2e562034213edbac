import { describe, expect, it } from "vitest";
import type { InterviewEvent, InterviewStatus } from "../../shared/interview.js";
import type { EventNotice, NewEvent, RedactionPlan, Store } from "../../server/store/index.js";
import { BACKENDS, useStore } from "./backends.js";
import { interview, opened, T, together } from "./fixtures.js";

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

/** What a listener should hear of a stored event. */
const noticeOf = (interviewId: string, e: InterviewEvent, status: InterviewStatus): EventNotice => ({ interviewId, eventId: e.id, type: e.type, at: e.at, status });

const redactionPlan: RedactionPlan = {
  placeholderName: "[redacted]",
  redactData: (_type, data) => data,
  event: (removed) => ({ type: "personal_data_redacted", actor: "system", at: T(90), data: { removed } as never }),
};

describe.each(BACKENDS)("Store contract on $name: event feed, background jobs, rate limits", (backend) => {
  const ctx = useStore(backend);

  it("announces every stored event to this process's listeners, once committed, in order, with the status it left", async () => {
    const { store } = ctx;
    const a = collect(store, 4);
    const b = collect(store, 2);
    const created: NewEvent = { interviewId: "a", type: "interview_created", actor: "system", at: T(1) };
    const first = await store.createInterviewWithEvent(interview("a"), created);
    const second = await store.addEvent(opened(T(2)), undefined, "link_opened");
    const third = await store.addEvent({ interviewId: "a", type: "interview_ended", actor: "interviewer", at: T(3) });
    const redacted = await store.redactPersonalData("a", redactionPlan);
    await Promise.all([a.all, b.all]);
    expect(a.got).toEqual([
      noticeOf("a", first, "created"),
      noticeOf("a", second, "link_opened"),
      // No new status given: the notice carries the one the interview has.
      noticeOf("a", third, "link_opened"),
      noticeOf("a", redacted!.event, "link_opened"),
    ]);
    b.stop();
    a.stop();
    const c = collect(store, 1);
    const fifth = await store.addEvent(opened(T(5)));
    await c.all;
    expect(c.got).toEqual([noticeOf("a", fifth, "link_opened")]);
    expect(b.got).toEqual(a.got);
    expect(a.got).toHaveLength(4);
  });

  it("announces nothing for an event that rolled back", async () => {
    const { store } = ctx;
    await store.createInterview(interview("a"));
    const heard = collect(store, 1);
    const failingOutbox = () => {
      throw new Error("outbox refused");
    };
    await expect(store.addEvent(opened(T(1)), failingOutbox)).rejects.toThrow("outbox refused");
    await expect(store.addEvent(opened(T(1), "ghost"))).rejects.toThrow();
    const kept = await store.addEvent(opened(T(2)));
    await heard.all;
    // Only the committed event was announced, and the refused ones left no row behind.
    expect(heard.got).toEqual([noticeOf("a", kept, "created")]);
    expect((await store.listEvents("a")).map((e) => e.id)).toEqual([kept.id]);
  });

  it.runIf(backend.sharedFeed)("announces an event stored by one process to the listeners of every process on the database", async () => {
    const { store } = ctx;
    const peer = await ctx.peer();
    await store.createInterview(interview("a"));
    await store.createInterview(interview("b"));
    const onPeer = collect(peer, 20);
    const onStore = collect(store, 20);
    const stored = await together(20, (i) => (i % 2 ? peer : store).addEvent(opened(T(i), i % 3 ? "a" : "b")));
    await Promise.all([onPeer.all, onStore.all]);
    expect(onPeer.got.map((n) => n.eventId).sort((x, y) => x - y)).toEqual(stored.map((e) => e.id).sort((x, y) => x - y));
    // Every process hears them in the same (commit) order, and one interview's in id order.
    expect(onStore.got).toEqual(onPeer.got);
    const ofA = onStore.got.filter((n) => n.interviewId === "a").map((n) => n.eventId);
    expect(ofA).toEqual([...ofA].sort((x, y) => x - y));
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
