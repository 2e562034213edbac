import { describe, expect, it } from "vitest";
import { SqliteStore } from "./sqlite-store.js";
import type { ChallengeRecord } from "./store.js";

const interview = (id: string, createdAt: string) => ({
  id,
  status: "created" as const,
  candidateName: "A",
  room: `room-${id}`,
  candidateTokenHash: `c-${id}`,
  interviewerTokenHash: `i-${id}`,
  createdAt,
  expiresAt: "2099-01-01T00:00:00.000Z",
  interviewerExpiresAt: "2098-01-01T00:00:00.000Z",
});
const session = (id: string, interviewId = "a") => ({
  id,
  interviewId,
  keyHash: `k-${id}`,
  createdAt: "2026-01-01T00:00:00.000Z",
  ip: null,
  userAgent: null,
  verifiedAt: null,
});
const challenge = (id: string, sessionId: string, expiresAt = "2026-01-01T00:10:00.000Z"): ChallengeRecord => ({
  id,
  interviewId: "a",
  sessionId,
  room: `verify-${id}`,
  callbackHash: "h",
  steps: ["turn_left"],
  delaysMs: [800],
  issuedAt: "2026-01-01T00:00:00.000Z",
  expiresAt,
  state: "pending",
  phase: "waiting_verifier",
  progressAt: null,
  failure: null,
  refunded: false,
  finishedAt: null,
  verdict: null,
});
const NOW = "2026-01-01T00:01:00.000Z";
const outcome = (state: "passed" | "failed", refunded = false) => ({
  state,
  failure: state === "failed" ? "NoFace" : null,
  refunded,
  finishedAt: NOW,
  verdict: { reasons: [] },
});

async function withInterview() {
  const store = new SqliteStore(":memory:");
  await store.createInterview(interview("a", "2026-01-01T00:00:00.000Z"));
  return store;
}

describe("SqliteStore", () => {
  it("lists interviews newest first, with paging", async () => {
    const store = new SqliteStore(":memory:");
    await store.createInterview(interview("a", "2026-01-01T00:00:00.000Z"));
    await store.createInterview(interview("b", "2026-01-02T00:00:00.000Z"));
    await store.createInterview(interview("c", "2026-01-03T00:00:00.000Z"));
    expect((await store.listInterviews(2, 0)).map((i) => i.id)).toEqual(["c", "b"]);
    expect((await store.listInterviews(2, 2)).map((i) => i.id)).toEqual(["a"]);
  });

  it("rotates the interviewer link: the old hash stops resolving, the candidate link and expiry stay", async () => {
    const store = await withInterview();
    expect((await store.getInterview("a"))?.interviewerExpiresAt).toBe("2098-01-01T00:00:00.000Z");
    await store.rotateInterviewerLink("a", "i-new", "2097-01-01T00:00:00.000Z");
    expect(await store.findInterviewByLink("interviewer", "i-a")).toBeUndefined();
    const rotated = await store.findInterviewByLink("interviewer", "i-new");
    expect(rotated?.interviewerExpiresAt).toBe("2097-01-01T00:00:00.000Z");
    expect(rotated?.expiresAt).toBe("2099-01-01T00:00:00.000Z");
    expect((await store.findInterviewByLink("candidate", "c-a"))?.id).toBe("a");
  });

  it("purges snapshots past retention and keeps newer ones", async () => {
    const store = await withInterview();
    await store.createSession(session("s"), 10);
    await store.issueChallenge(challenge("ch", "s"), 3, NOW);
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

  it("caps sessions per link", async () => {
    const store = await withInterview();
    expect(await store.createSession(session("s1"), 2)).toBe(true);
    expect(await store.createSession(session("s2"), 2)).toBe(true);
    expect(await store.createSession(session("s3"), 2)).toBe(false);
    expect(await store.findSession("a", "k-s3")).toBeUndefined();
  });

  it("counts attempts per link when issued, across sessions, and refuses past the limit", async () => {
    const store = await withInterview();
    for (const s of ["s1", "s2", "s3"]) await store.createSession(session(s), 10);
    expect(await store.issueChallenge(challenge("c1", "s1"), 2, NOW)).toEqual({ issued: true, attemptsUsed: 1 });
    expect(await store.issueChallenge(challenge("c2", "s2"), 2, NOW)).toEqual({ issued: true, attemptsUsed: 2 });
    // A fresh session does not reset the count.
    expect(await store.issueChallenge(challenge("c3", "s3"), 2, NOW)).toEqual({ issued: false, reason: "attempts_exhausted" });
    expect(await store.getChallenge("c3")).toBeUndefined();
    expect(await store.countAttempts("a")).toBe(2);
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
  });

  it("ends a challenge once: the first outcome wins, and a refund gives the attempt back", async () => {
    const store = await withInterview();
    await store.createSession(session("s"), 10);
    await store.issueChallenge(challenge("c1", "s"), 3, NOW);
    expect(await store.finishChallenge("c1", outcome("failed", true))).toBe(true);
    expect(await store.finishChallenge("c1", outcome("passed"))).toBe(false);
    const stored = await store.getChallenge("c1");
    expect(stored).toMatchObject({ state: "failed", failure: "NoFace", refunded: true, finishedAt: NOW });
    expect(await store.countAttempts("a")).toBe(0);
  });

  it("records progress only while a challenge is pending", async () => {
    const store = await withInterview();
    await store.createSession(session("s"), 10);
    await store.issueChallenge(challenge("c1", "s"), 3, NOW);
    await store.recordProgress("c1", "running", "t1");
    expect(await store.getChallenge("c1")).toMatchObject({ phase: "running", progressAt: "t1" });
    await store.finishChallenge("c1", outcome("passed"));
    await store.recordProgress("c1", "running", "t2");
    expect((await store.getChallenge("c1"))?.progressAt).toBe("t1");
  });
});

describe("SqliteStore file modes", () => {
  it("keeps the database and its WAL companions readable by the kit's user only", async () => {
    const { default: fs } = await import("node:fs");
    const { default: os } = await import("node:os");
    const { default: path } = await import("node:path");
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "kit-mode-")), "data", "kit.db");
    const store = new SqliteStore(file);
    await store.createInterview(interview("m", "2026-01-01T00:00:00.000Z"));
    const mode = (p: string) => fs.statSync(p).mode & 0o777;
    expect(mode(file)).toBe(0o600);
    expect(fs.existsSync(`${file}-wal`)).toBe(true);
    expect(mode(`${file}-wal`)).toBe(0o600);
    expect(mode(`${file}-shm`)).toBe(0o600);
    await store.close();

    // An existing file with a wider mode is narrowed on open.
    fs.chmodSync(file, 0o644);
    const again = new SqliteStore(file);
    expect(mode(file)).toBe(0o600);
    await again.close();
  });
});
