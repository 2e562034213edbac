import { describe, expect, it } from "vitest";
import { BACKENDS, useStore } from "./backends.js";
import { challenge, interview, NOW, outcome, session, T, together } from "./fixtures.js";

describe.each(BACKENDS)("Store contract on $name: sessions, challenges, snapshots", (backend) => {
  const ctx = useStore(backend);
  const withInterview = async () => {
    await ctx.store.createInterview(interview("a"));
    return ctx.store;
  };

  it("caps sessions per link, finds them by key hash and lists them oldest first", async () => {
    const store = await withInterview();
    expect(await store.createSession({ ...session("s2"), createdAt: T(2) }, 2)).toBe(true);
    expect(await store.createSession({ ...session("s1"), createdAt: T(1) }, 2)).toBe(true);
    expect(await store.createSession(session("s3"), 2)).toBe(false);
    expect(await store.findSession("a", "k-s3")).toBeUndefined();
    expect(await store.findSession("a", "k-s1")).toEqual({ ...session("s1"), createdAt: T(1) });
    expect(await store.findSession("other", "k-s1")).toBeUndefined();
    expect((await store.listSessions("a")).map((s) => s.id)).toEqual(["s1", "s2"]);
    await store.markSessionVerified("s1", T(5));
    expect((await store.findSession("a", "k-s1"))?.verifiedAt).toBe(T(5));
  });

  it("admits exactly the cap when many sessions start at once", async () => {
    const store = await withInterview();
    const peer = await ctx.peer();
    const results = await together(20, (i) => (i % 2 ? peer : store).createSession(session(`s${i}`), 5));
    expect(results.filter(Boolean)).toHaveLength(5);
    expect(await store.listSessions("a")).toHaveLength(5);
  });

  it("counts attempts per link when issued, across sessions, and refuses past the limit", async () => {
    const store = await withInterview();
    for (const s of ["s1", "s2", "s3"]) await store.createSession(session(s), 10);
    expect(await store.issueChallenge(challenge("c1", "s1"), 2, NOW)).toEqual({ issued: true, attemptsUsed: 1 });
    expect(await store.issueChallenge(challenge("c2", "s2"), 2, NOW)).toEqual({ issued: true, attemptsUsed: 2 });
    expect(await store.issueChallenge(challenge("c3", "s3"), 2, NOW)).toEqual({ issued: false, reason: "attempts_exhausted" });
    expect(await store.getChallenge("c3")).toBeUndefined();
    expect(await store.countAttempts("a")).toBe(2);
  });

  it("stores a challenge exactly as issued", async () => {
    const store = await withInterview();
    await store.createSession(session("s"), 10);
    await store.issueChallenge(challenge("c1", "s"), 3, NOW);
    expect(await store.getChallenge("c1")).toEqual(challenge("c1", "s"));
    expect(await store.getChallenge("nope")).toBeUndefined();
  });

  it("issues exactly one challenge when one session asks many times at once", async () => {
    const store = await withInterview();
    const peer = await ctx.peer();
    await store.createSession(session("s"), 10);
    const results = await together(20, (i) => (i % 2 ? peer : store).issueChallenge(challenge(`c${i}`, "s"), 50, NOW));
    expect(results.filter((r) => r.issued)).toEqual([{ issued: true, attemptsUsed: 1 }]);
    expect(results.filter((r) => !r.issued).every((r) => !r.issued && r.reason === "challenge_open")).toBe(true);
    expect(await store.countAttempts("a")).toBe(1);
  });

  it("never issues more than the attempt limit when many sessions ask at once", async () => {
    const store = await withInterview();
    const peer = await ctx.peer();
    for (let i = 0; i < 20; i++) await store.createSession(session(`s${i}`), 50);
    const results = await together(20, (i) => (i % 2 ? peer : store).issueChallenge(challenge(`c${i}`, `s${i}`), 3, NOW));
    const issued = results.filter((r) => r.issued);
    expect(issued.map((r) => r.issued && r.attemptsUsed).sort()).toEqual([1, 2, 3]);
    expect(results.filter((r) => !r.issued && r.reason === "attempts_exhausted")).toHaveLength(17);
    expect(await store.countAttempts("a")).toBe(3);
  });

  it("allows one open challenge per session, and another once it has ended or expired", async () => {
    const store = await withInterview();
    await store.createSession(session("s"), 10);
    await store.issueChallenge(challenge("c1", "s"), 9, NOW);
    expect(await store.issueChallenge(challenge("c2", "s"), 9, NOW)).toEqual({ issued: false, reason: "challenge_open" });
    await store.finishChallenge("c1", outcome("failed"));
    expect((await store.issueChallenge(challenge("c3", "s", "2026-01-01T00:00:30.000Z"), 9, NOW)).issued).toBe(true);
    // c3 expired before NOW, so it no longer blocks.
    expect((await store.issueChallenge(challenge("c4", "s"), 9, NOW)).issued).toBe(true);
    expect((await store.listChallenges("a")).map((c) => c.id)).toEqual(["c1", "c3", "c4"]);
  });

  it("ends a challenge once: the first outcome wins, and a refund gives the attempt back", async () => {
    const store = await withInterview();
    await store.createSession(session("s"), 10);
    await store.issueChallenge(challenge("c1", "s"), 3, NOW);
    expect(await store.finishChallenge("c1", outcome("failed", true))).toBe(true);
    expect(await store.finishChallenge("c1", outcome("passed"))).toBe(false);
    expect(await store.getChallenge("c1")).toMatchObject({ state: "failed", failure: "NoFace", refunded: true, finishedAt: NOW, verdict: { reasons: ["r"], score: 0.5 } });
    expect(await store.countAttempts("a")).toBe(0);
    expect(await store.finishChallenge("nope", outcome("passed"))).toBe(false);
  });

  it("takes only one of many concurrent outcomes", async () => {
    const store = await withInterview();
    const peer = await ctx.peer();
    await store.createSession(session("s"), 10);
    await store.issueChallenge(challenge("c1", "s"), 3, NOW);
    const results = await together(10, (i) => (i % 2 ? peer : store).finishChallenge("c1", outcome(i % 3 ? "passed" : "failed")));
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results.indexOf(true);
    expect((await store.getChallenge("c1"))?.state).toBe(winner % 3 ? "passed" : "failed");
  });

  it("records progress only while a challenge is pending", async () => {
    const store = await withInterview();
    await store.createSession(session("s"), 10);
    await store.issueChallenge(challenge("c1", "s"), 3, NOW);
    await store.recordProgress("c1", "running", "t1");
    expect(await store.getChallenge("c1")).toMatchObject({ phase: "running", progressAt: "t1" });
    await store.finishChallenge("c1", outcome("passed"));
    await store.recordProgress("c1", "waiting_verifier", "t2");
    expect(await store.getChallenge("c1")).toMatchObject({ phase: "running", progressAt: "t1" });
  });

  it("stores snapshots byte for byte, returns their ids in order, and purges only old ones", async () => {
    const store = await withInterview();
    await store.createSession(session("s"), 10);
    await store.issueChallenge(challenge("ch", "s"), 3, NOW);
    const jpeg = Buffer.from([0xff, 0xd8, 0x00, 0x01, 0xfe, 0xff, 0xd9]);
    const ids = await store.saveSnapshots([
      { interviewId: "a", challengeId: "ch", step: 0, t: 1.25, jpeg, createdAt: "2026-01-01T00:00:00.000Z" },
      { interviewId: "a", challengeId: "ch", step: 1, t: 2.5, jpeg, createdAt: "2026-03-01T00:00:00.000Z" },
    ]);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBeLessThan(ids[1]!);
    const listed = await store.listSnapshots("a");
    expect(listed.map((s) => [s.id, s.step, s.t])).toEqual([[ids[0], 0, 1.25], [ids[1], 1, 2.5]]);
    expect(Buffer.compare((await store.getSnapshot("a", ids[1]!))!.jpeg, jpeg)).toBe(0);
    expect(await store.getSnapshot("other", ids[1]!)).toBeUndefined();
    expect(await store.purgeSnapshots("2026-02-01T00:00:00.000Z")).toBe(1);
    expect((await store.listSnapshots("a")).map((s) => s.step)).toEqual([1]);
    expect(await store.saveSnapshots([])).toEqual([]);
  });

  it("saves all of a batch of snapshots or none", async () => {
    const store = await withInterview();
    await store.createSession(session("s"), 10);
    await store.issueChallenge(challenge("ch", "s"), 3, NOW);
    const jpeg = Buffer.from([1]);
    // The second names a challenge that does not exist.
    await expect(
      store.saveSnapshots([
        { interviewId: "a", challengeId: "ch", step: 0, t: 1, jpeg, createdAt: T(1) },
        { interviewId: "a", challengeId: "ghost", step: 1, t: 2, jpeg, createdAt: T(1) },
      ]),
    ).rejects.toThrow();
    expect(await store.listSnapshots("a")).toEqual([]);
  });
});
