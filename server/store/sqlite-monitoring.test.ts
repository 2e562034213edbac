import { describe, expect, it } from "vitest";
import { SqliteStore } from "./sqlite-store.js";
import type { RechallengeRecord } from "./store.js";

const T = (s: number) => new Date(Date.UTC(2026, 10, 25, 10, 0, s)).toISOString();

async function storeWithInterview(): Promise<SqliteStore> {
  const store = new SqliteStore(":memory:");
  await store.createInterview({
    id: "iv",
    status: "created",
    candidateName: "A",
    room: "room-iv",
    candidateTokenHash: "c",
    interviewerTokenHash: "i",
    createdAt: T(0),
    expiresAt: "2099-01-01T00:00:00.000Z",
    interviewerExpiresAt: "2098-01-01T00:00:00.000Z",
  });
  return store;
}
const rechallenge = (id: string, expiresAt = T(30)): RechallengeRecord => ({
  id,
  interviewId: "iv",
  step: "turn_left",
  delayMs: 900,
  state: "pending",
  issuedAt: T(0),
  expiresAt,
  sentAt: null,
});

describe("SqliteMonitoringStore", () => {
  it("round-trips a template's float32 vector exactly, and lists templates after an id", async () => {
    const store = await storeWithInterview();
    const vector = Float32Array.from({ length: 1024 }, (_, i) => Math.sin(i) / 16);
    const base = { interviewId: "iv", challengeId: "ch", candidateName: "A", frames: 3, consistency: 0.9 };
    const id1 = await store.monitoring.saveTemplate({ ...base, vector, createdAt: T(1) });
    const id2 = await store.monitoring.saveTemplate({ ...base, candidateEmail: "a@example.com", vector, createdAt: T(2) });
    expect((await store.monitoring.latestTemplate("iv"))?.vector).toEqual(vector);
    expect((await store.monitoring.listTemplates(id1, 10)).map((t) => [t.id, t.candidateEmail])).toEqual([[id2, "a@example.com"]]);
    expect(await store.monitoring.purgeTemplates(T(2))).toBe(1);
    expect((await store.monitoring.listTemplates(0, 10)).map((t) => t.id)).toEqual([id2]);
  });

  it("dispatches one monitor per interview while it is live, and another once it went silent", async () => {
    const store = await storeWithInterview();
    const monitor = (id: string, at: string) => ({ id, interviewId: "iv", callbackHash: "h", startedAt: at, heartbeatAt: null, endedAt: null });
    expect(await store.monitoring.createMonitor(monitor("m1", T(0)), T(-15))).toBe(true);
    expect(await store.monitoring.createMonitor(monitor("m2", T(5)), T(-10))).toBe(false);
    await store.monitoring.touchMonitor("m1", T(20));
    expect(await store.monitoring.createMonitor(monitor("m3", T(30)), T(15))).toBe(false);
    // Silent since T(20): at T(40) with a 15 s window it is lost, and a new one may start.
    expect(await store.monitoring.createMonitor(monitor("m4", T(40)), T(25))).toBe(true);
    expect((await store.monitoring.activeMonitor("iv"))?.id).toBe("m4");
    await store.monitoring.endMonitor("m4", T(41));
    expect(await store.monitoring.touchMonitor("m4", T(42))).toBeUndefined();
    expect((await store.monitoring.getMonitor("m4"))?.heartbeatAt).toBeNull();
  });

  it("keeps one open re-challenge per interview, hands it out once, and takes only the first result", async () => {
    const store = await storeWithInterview();
    expect(await store.monitoring.issueRechallenge(rechallenge("rc1"), T(0))).toBe(true);
    expect(await store.monitoring.issueRechallenge(rechallenge("rc2"), T(1))).toBe(false);
    expect((await store.monitoring.takeRechallenges("iv", T(2))).map((r) => [r.id, r.state])).toEqual([["rc1", "sent"]]);
    expect(await store.monitoring.takeRechallenges("iv", T(3))).toEqual([]);
    expect(await store.monitoring.finishRechallenge("rc1", "passed")).toBe(true);
    expect(await store.monitoring.finishRechallenge("rc1", "failed")).toBe(false);
    expect((await store.monitoring.getRechallenge("rc1"))?.state).toBe("passed");
    expect(await store.monitoring.issueRechallenge(rechallenge("rc3"), T(4))).toBe(true);
  });

  it("lets a new re-challenge start once the open one expired unanswered", async () => {
    const store = await storeWithInterview();
    await store.monitoring.issueRechallenge(rechallenge("rc1", T(10)), T(0));
    expect(await store.monitoring.takeRechallenges("iv", T(11))).toEqual([]);
    expect(await store.monitoring.issueRechallenge(rechallenge("rc2", T(50)), T(11))).toBe(true);
  });
});
