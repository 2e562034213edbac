import { describe, expect, it } from "vitest";
import { BACKENDS, useStore } from "./backends.js";
import { interview, rechallenge, T, together } from "./fixtures.js";

const monitor = (id: string, at: string) => ({ id, interviewId: "a", callbackHash: "h", startedAt: at, heartbeatAt: null, endedAt: null });

describe.each(BACKENDS)("Store contract on $name: templates, monitors, re-challenges", (backend) => {
  const ctx = useStore(backend);
  const withInterview = async () => {
    await ctx.store.createInterview(interview("a"));
    return ctx.store;
  };

  it("round-trips a template's float32 vector exactly, lists templates after an id, and purges old ones", async () => {
    const store = await withInterview();
    const vector = Float32Array.from({ length: 1024 }, (_, i) => Math.sin(i) / 16);
    const base = { interviewId: "a", challengeId: "ch", candidateName: "A", frames: 3, consistency: 0.9 };
    const id1 = await store.monitoring.saveTemplate({ ...base, vector, createdAt: T(1) });
    const id2 = await store.monitoring.saveTemplate({ ...base, candidateEmail: "a@example.com", vector, createdAt: T(2) });
    expect(id2).toBeGreaterThan(id1);
    expect(await store.monitoring.latestTemplate("a")).toEqual({ ...base, id: id2, candidateEmail: "a@example.com", vector, createdAt: T(2) });
    expect((await store.monitoring.templatesOf("a")).map((t) => t.id)).toEqual([id1, id2]);
    expect((await store.monitoring.listTemplates(id1, 10)).map((t) => [t.id, t.candidateEmail])).toEqual([[id2, "a@example.com"]]);
    expect((await store.monitoring.listTemplates(0, 1)).map((t) => t.id)).toEqual([id1]);
    expect(await store.monitoring.countTemplates(id2)).toBe(2);
    expect(await store.monitoring.countTemplates(id1)).toBe(1);
    expect(await store.monitoring.purgeTemplates(T(2))).toBe(1);
    expect((await store.monitoring.listTemplates(0, 10)).map((t) => t.id)).toEqual([id2]);
    expect(await store.monitoring.countTemplates(id2)).toBe(1);
    expect(await store.monitoring.latestTemplate("other")).toBeUndefined();
  });

  it("takes the first template as the reference until another is accepted, then the last accepted (finding 5)", async () => {
    const store = await withInterview();
    await store.createInterview(interview("b"));
    const template = (interviewId: string, challengeId: string, k: number) => ({
      interviewId,
      challengeId,
      candidateName: "A",
      vector: Float32Array.from({ length: 1024 }, (_, i) => (i === k ? 1 : 0)),
      frames: 3,
      consistency: 0.9,
      createdAt: T(k),
    });
    expect(await store.monitoring.referenceOf("a")).toBeUndefined();
    expect(await store.monitoring.referenceIdOf("a")).toBeUndefined();
    for (const [id, k] of [["ch1", 1], ["ch2", 2], ["ch3", 3]] as const) await store.monitoring.saveTemplate(template("a", id, k));
    await store.monitoring.saveTemplate(template("b", "ch_b", 4));
    expect((await store.monitoring.referenceOf("a"))?.challengeId).toBe("ch1");
    // Another interview's check, or one with no template, is not accepted here.
    expect(await store.monitoring.acceptTemplate("a", "ch_b", T(10))).toBe(false);
    expect(await store.monitoring.acceptTemplate("a", "ch_none", T(10))).toBe(false);
    expect((await store.monitoring.referenceOf("a"))?.challengeId).toBe("ch1");
    expect(await store.monitoring.acceptTemplate("a", "ch3", T(11))).toBe(true);
    expect(await store.monitoring.referenceOf("a")).toMatchObject({ challengeId: "ch3", acceptedAt: T(11) });
    expect(await store.monitoring.referenceIdOf("a")).toBe("ch3");
    expect((await store.monitoring.referenceOf("a"))?.vector[3]).toBe(1);
    // The first face accepted back, later: it is the reference again.
    expect(await store.monitoring.acceptTemplate("a", "ch1", T(12))).toBe(true);
    expect((await store.monitoring.referenceOf("a"))?.challengeId).toBe("ch1");
    expect(await store.monitoring.referenceIdOf("a")).toBe("ch1");
    expect((await store.monitoring.referenceOf("b"))?.challengeId).toBe("ch_b");
  });

  it("dispatches one monitor per interview while it is live, and another once it went silent", async () => {
    const store = await withInterview();
    expect(await store.monitoring.createMonitor(monitor("m1", T(0)), T(-15))).toBe(true);
    expect(await store.monitoring.createMonitor(monitor("m2", T(5)), T(-10))).toBe(false);
    await store.monitoring.touchMonitor("m1", T(20));
    expect(await store.monitoring.createMonitor(monitor("m3", T(30)), T(15))).toBe(false);
    // Silent since T(20): at T(40) with a 15 s window it is lost, and a new one may start.
    expect(await store.monitoring.createMonitor(monitor("m4", T(40)), T(25))).toBe(true);
    expect((await store.monitoring.activeMonitor("a"))?.id).toBe("m4");
    await store.monitoring.endMonitor("m4", T(41));
    await store.monitoring.endMonitor("m4", T(50));
    await store.monitoring.touchMonitor("m4", T(42));
    expect(await store.monitoring.getMonitor("m4")).toEqual({ ...monitor("m4", T(40)), endedAt: T(41) });
    expect((await store.monitoring.activeMonitor("a"))?.id).toBe("m1");
  });

  it("finds monitors silent since a time, and ends each silent one once, never one that spoke since", async () => {
    const store = await withInterview();
    await store.monitoring.createMonitor(monitor("quiet", T(0)), T(-15));
    await store.monitoring.endMonitor("quiet", T(1));
    await store.monitoring.createMonitor(monitor("m1", T(2)), T(-15));
    await store.monitoring.touchMonitor("m1", T(10));
    // At T(30) with a 15 s limit: silent since before T(15).
    expect((await store.monitoring.silentMonitors(T(15), 10)).map((m) => m.id)).toEqual(["m1"]);
    expect((await store.monitoring.silentMonitors(T(5), 10)).map((m) => m.id)).toEqual([]);
    const peer = await ctx.peer();
    const ended = await together(10, (i) => (i % 2 ? peer : store).monitoring.endSilentMonitor("m1", T(15), T(30)));
    expect(ended.filter(Boolean)).toHaveLength(1);
    expect((await store.monitoring.getMonitor("m1"))?.endedAt).toBe(T(30));
    // One that reported after the limit is left alone.
    await store.monitoring.createMonitor(monitor("m2", T(31)), T(16));
    await store.monitoring.touchMonitor("m2", T(40));
    expect(await store.monitoring.endSilentMonitor("m2", T(35), T(50))).toBe(false);
    expect((await store.monitoring.getMonitor("m2"))?.endedAt).toBeNull();
  });

  it("dispatches exactly one monitor when many are started at once", async () => {
    const store = await withInterview();
    const peer = await ctx.peer();
    const results = await together(20, (i) => (i % 2 ? peer : store).monitoring.createMonitor(monitor(`m${i}`, T(0)), T(-15)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it("keeps one open re-challenge per interview, hands it out once, and takes only the first result", async () => {
    const store = await withInterview();
    expect(await store.monitoring.issueRechallenge(rechallenge("rc1"), T(0))).toBe(true);
    expect(await store.monitoring.issueRechallenge(rechallenge("rc2"), T(1))).toBe(false);
    expect(await store.monitoring.takeRechallenges("a", T(2))).toEqual([{ ...rechallenge("rc1"), state: "sent", sentAt: T(2) }]);
    expect(await store.monitoring.takeRechallenges("a", T(3))).toEqual([]);
    // Sent but unanswered still blocks a new one.
    expect(await store.monitoring.issueRechallenge(rechallenge("rc2"), T(3))).toBe(false);
    expect(await store.monitoring.finishRechallenge("rc1", "passed")).toBe(true);
    expect(await store.monitoring.finishRechallenge("rc1", "failed")).toBe(false);
    expect((await store.monitoring.getRechallenge("rc1"))?.state).toBe("passed");
    expect(await store.monitoring.issueRechallenge(rechallenge("rc3"), T(4))).toBe(true);
    expect((await store.monitoring.listRechallenges("a")).map((r) => r.id)).toEqual(["rc1", "rc3"]);
  });

  it("lets a new re-challenge start once the open one expired unanswered", async () => {
    const store = await withInterview();
    await store.monitoring.issueRechallenge(rechallenge("rc1", T(10)), T(0));
    expect(await store.monitoring.takeRechallenges("a", T(11))).toEqual([]);
    expect(await store.monitoring.issueRechallenge(rechallenge("rc2", T(50)), T(11))).toBe(true);
  });

  it("issues one re-challenge and hands it to one taker when many ask at once", async () => {
    const store = await withInterview();
    const peer = await ctx.peer();
    const issued = await together(20, (i) => (i % 2 ? peer : store).monitoring.issueRechallenge(rechallenge(`rc${i}`), T(0)));
    expect(issued.filter(Boolean)).toHaveLength(1);
    const taken = await together(10, (i) => (i % 2 ? peer : store).monitoring.takeRechallenges("a", T(1)));
    expect(taken.flat()).toHaveLength(1);
    const finished = await together(10, (i) => (i % 2 ? peer : store).monitoring.finishRechallenge(taken.flat()[0]!.id, "passed"));
    expect(finished.filter(Boolean)).toHaveLength(1);
  });
});
