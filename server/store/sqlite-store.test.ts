import { describe, expect, it } from "vitest";
import { SqliteStore } from "./sqlite-store.js";

const interview = (id: string, createdAt: string) => ({
  id,
  status: "created" as const,
  candidateName: "A",
  room: `room-${id}`,
  candidateTokenHash: `c-${id}`,
  interviewerTokenHash: `i-${id}`,
  createdAt,
  expiresAt: "2099-01-01T00:00:00.000Z",
});

describe("SqliteStore", () => {
  it("lists interviews newest first, with paging", async () => {
    const store = new SqliteStore(":memory:");
    await store.createInterview(interview("a", "2026-01-01T00:00:00.000Z"));
    await store.createInterview(interview("b", "2026-01-02T00:00:00.000Z"));
    await store.createInterview(interview("c", "2026-01-03T00:00:00.000Z"));
    expect((await store.listInterviews(2, 0)).map((i) => i.id)).toEqual(["c", "b"]);
    expect((await store.listInterviews(2, 2)).map((i) => i.id)).toEqual(["a"]);
  });

  it("purges snapshots past retention and keeps newer ones", async () => {
    const store = new SqliteStore(":memory:");
    await store.createInterview(interview("a", "2026-01-01T00:00:00.000Z"));
    await store.createSession({ id: "s", interviewId: "a", keyHash: "k", createdAt: "x", ip: null, userAgent: null, verifiedAt: null, attempts: 0 });
    await store.createChallenge({
      id: "ch",
      interviewId: "a",
      sessionId: "s",
      nonce: "n",
      steps: [],
      deadlines: [],
      issuedAt: "x",
      expiresAt: "x",
      usedAt: null,
      verdict: null,
    });
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xd9]);
    await store.saveSnapshots([
      { interviewId: "a", challengeId: "ch", step: 0, t: 1, jpeg, createdAt: "2026-01-01T00:00:00.000Z" },
      { interviewId: "a", challengeId: "ch", step: 1, t: 2, jpeg, createdAt: "2026-03-01T00:00:00.000Z" },
    ]);
    expect(await store.purgeSnapshots("2026-02-01T00:00:00.000Z")).toBe(1);
    const left = await store.listSnapshots("a");
    expect(left.map((s) => s.step)).toEqual([1]);
    expect(Buffer.compare(left[0]!.jpeg, jpeg)).toBe(0);
  });

  it("uses a challenge once, even when asked twice", async () => {
    const store = new SqliteStore(":memory:");
    await store.createInterview(interview("a", "2026-01-01T00:00:00.000Z"));
    await store.createSession({ id: "s", interviewId: "a", keyHash: "k", createdAt: "x", ip: null, userAgent: null, verifiedAt: null, attempts: 0 });
    await store.createChallenge({ id: "ch", interviewId: "a", sessionId: "s", nonce: "n", steps: [], deadlines: [], issuedAt: "x", expiresAt: "x", usedAt: null, verdict: null });
    expect(await store.consumeChallenge("ch", "t1")).toBe(true);
    expect(await store.consumeChallenge("ch", "t2")).toBe(false);
    expect((await store.getChallenge("ch"))?.usedAt).toBe("t1");
  });
});
