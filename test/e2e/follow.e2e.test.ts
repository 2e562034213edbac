/**
 * The follow challenge (production's liveness check) end to end, as rtc-node publishers: a real
 * livekit-server, the real verifier worker and analyser, the kit's own API and gate.
 *
 * - **Bona fide** is the mesh-face player: the public-domain astronaut photograph's face as a
 *   textured 3D mesh, rendered at the pose the target asks for, after a human lag, with jitter.
 *   It is a live 3D render of one photo: the *reenactment* level of attack. A motion challenge
 *   alone does not stop it; passive signals, face continuity and the document check must.
 * - **Attacks** are what a recording can do: four stills, a clip library, a pose-indexed frame
 *   lookup, a flat photo turned in perspective, and a replay of a passing check. Each uses every
 *   attempt of its link; none may be admitted.
 *
 * Prints APCER and BPCER. Never asserts a speed: deadlines are generous.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { VerdictReport } from "../../shared/verifier-job.js";
import { FOLLOW_ATTACKS, type FollowAttackKind, type Recording, startFollowAttack } from "../helpers/follow-attacks.js";
import { type RunningKit, startKit } from "../helpers/kit-server.js";
import { type MeshPublisher, startMeshPublisher } from "../helpers/mesh-publisher.js";
import { waitForStatus } from "../helpers/verification.js";

/** A bona fide candidate gets the product's default attempts (LIVENESS_MAX_ATTEMPTS): its own retry. */
const BONA_FIDE_ATTEMPTS = 3;
/** Attack links allow two attempts, and every one of them is used. */
const ATTEMPTS = 2;
const VERDICT_MS = 90_000;

let kit: RunningKit;
let attackKit: RunningKit;
type Result = { kind: "attack" | "bona fide"; name: string; verdict: "accepted" | "rejected"; detail: string; path?: string };
const results: Result[] = [];

beforeAll(async () => {
  kit = await startKit({ maxAttempts: BONA_FIDE_ATTEMPTS });
  attackKit = await startKit({ maxAttempts: ATTEMPTS });
});

afterAll(async () => {
  await kit?.stop();
  await attackKit?.stop();
  const attacks = results.filter((r) => r.kind === "attack");
  const bonafide = results.filter((r) => r.kind === "bona fide");
  const accepted = attacks.filter((r) => r.verdict === "accepted").length;
  const rejected = bonafide.filter((r) => r.verdict === "rejected").length;
  console.log(
    [
      "",
      "Follow challenge: presentation-attack detection (ISO/IEC 30107-3), rtc-node publishers",
      "| kind | attempt | verdict | detail |",
      "|---|---|---|---|",
      ...results.map((r) => `| ${r.kind} | ${r.name} | ${r.verdict} | ${r.detail} |`),
      `APCER ${((accepted / Math.max(1, attacks.length)) * 100).toFixed(1)}% (${accepted}/${attacks.length} attack attempts accepted)`,
      `BPCER ${((rejected / Math.max(1, bonafide.length)) * 100).toFixed(1)}% (${rejected}/${bonafide.length} bona fide attempts rejected)`,
      "",
    ].join("\n"),
  );
});

interface Publisher {
  stop(): Promise<void>;
}

interface Outcome {
  passed: boolean;
  admitted: boolean;
  failure?: string;
  verdict?: Partial<VerdictReport>;
}

/** One check on a link: a ticket, a publisher on it, the verdict; then whether the join gate opens. */
async function check(
  on: RunningKit,
  link: { token: string; headers: Record<string, string> },
  start: (ticket: { serverUrl: string; token: string }) => Promise<Publisher>,
  seed?: string,
): Promise<Outcome> {
  const res = await on.api.call("POST", `/v1/candidate/${link.token}/liveness`, { headers: link.headers, body: seed ? { seed } : {} });
  const ticket = (await res.json()) as { challengeId: string; serverUrl: string; token: string };
  expect(res.status, JSON.stringify(ticket)).toBe(201);
  const publisher = await start(ticket);
  try {
    const status = (await waitForStatus(on.api, link.token, link.headers, ticket.challengeId, VERDICT_MS)) as { state: string; failure?: string; refunded?: boolean };
    expect(status.state, "a verdict within the deadline").not.toBe("pending");
    expect(status.refunded ?? false, "the verifier was lost mid-attempt").toBe(false);
    const verdict = ((await on.app.store.getChallenge(ticket.challengeId))?.verdict ?? undefined) as Partial<VerdictReport> | undefined;
    const join = await on.api.call("POST", `/v1/candidate/${link.token}/join`, { headers: link.headers, body: {} });
    await join.body?.cancel();
    return { passed: status.state === "passed", admitted: join.status === 200, ...(status.failure ? { failure: status.failure } : {}), ...(verdict ? { verdict } : {}) };
  } finally {
    await publisher.stop();
  }
}

function describeOutcome(o: Outcome): string {
  const step = o.verdict?.steps?.[0];
  const f = step?.follow;
  const fit = f?.lagMs !== undefined ? `lag ${f.lagMs} ms, yaw r ${f.yaw?.r} g ${f.yaw?.gain}, pitch r ${f.pitch?.r} g ${f.pitch?.gain}` : "";
  const extra = [fit, f?.planarResidual !== undefined ? `planar ${f.planarResidual}` : "", f?.largestJumpDeg !== undefined ? `jump ${f.largestJumpDeg}°` : "", f?.largestBoxJump !== undefined ? `box jump ${f.largestBoxJump}` : "", `${o.verdict?.analysedFps ?? "?"} fps`]
    .filter(Boolean)
    .join("; ");
  return o.passed ? `admitted; ${extra}` : `${o.failure}: ${extra}; ${o.verdict?.reasons?.at(-1) ?? ""}`.slice(0, 400);
}

/** A recording of the bona fide player's frames from a passing check, for the replay attack. */
let recording: Recording | undefined;

function toRecording(player: MeshPublisher): Recording | undefined {
  const first = player.targets[0]?.at;
  if (first === undefined || !player.recorded.length) return undefined;
  return { frames: player.recorded.map((f) => ({ atMs: f.at - first, data: f.i420 })) };
}

describe("bona fide: the mesh-face player follows the target", () => {
  // Five seeds, five different random paths (checked below); each may use the attempts a candidate gets.
  const seeds = ["follow-a", "follow-b", "follow-c", "follow-d", "follow-e"];
  for (const seed of seeds) {
    it(`passes path ${seed} and is admitted within a candidate's attempts`, async () => {
      const link = await kit.api.candidateSession({ candidate: { name: `Follow ${seed}` } });
      let admitted = false;
      for (let attempt = 1; attempt <= BONA_FIDE_ATTEMPTS && !admitted; attempt++) {
        let player: MeshPublisher | undefined;
        const outcome = await check(
          kit,
          link,
          async (t) => (player = await startMeshPublisher({ url: t.serverUrl, token: t.token, reactionMs: 300, maxFramerate: 15, recorded: recording === undefined })),
          seed,
        );
        const path = JSON.stringify(outcome.verdict?.steps?.[0]?.follow?.waypoints ?? null);
        results.push({ kind: "bona fide", name: `mesh-face player (${seed}) #${attempt}`, verdict: outcome.admitted ? "accepted" : "rejected", detail: describeOutcome(outcome), path });
        if (outcome.passed && player && !recording) recording = toRecording(player);
        admitted = outcome.admitted;
      }
      expect(admitted).toBe(true);
    }, BONA_FIDE_ATTEMPTS * (VERDICT_MS + 30_000));
  }

  it("followed five different paths, as the verdicts recorded them", () => {
    const paths = new Set(results.filter((r) => r.kind === "bona fide" && r.verdict === "accepted").map((r) => r.path));
    paths.delete("null");
    expect(paths.size).toBeGreaterThanOrEqual(5);
  });
});

describe("attacks are refused on every attempt", () => {
  // The verifier times frames by their receive-side timestamps, up to FRAME_TIME_MAX_BACKDATE_MS before
  // arrival (server/verifier/frames.ts). A slow live reenactment (a 1 s pipeline, beyond the human lag)
  // that stamps its frames ever earlier, up to 600 ms, must not read as a human's lag.
  it("slow_backdated: a live reenactment 1 s behind the target that backdates its capture timestamps (ramping to 600 ms)", async () => {
    const link = await attackKit.api.candidateSession({ candidate: { name: "Follow attack slow_backdated" } });
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const outcome = await check(attackKit, link, (t) =>
        startMeshPublisher({ url: t.serverUrl, token: t.token, reactionMs: 1_000, maxFramerate: 15, backdateMs: (ms) => Math.min(600, ms / 5) }),
      );
      results.push({ kind: "attack", name: `slow_backdated #${attempt}`, verdict: outcome.admitted ? "accepted" : "rejected", detail: describeOutcome(outcome) });
      expect(outcome.passed, describeOutcome(outcome)).toBe(false);
      expect(outcome.admitted).toBe(false);
    }
  }, ATTEMPTS * (VERDICT_MS + 30_000));

  for (const { kind, description } of FOLLOW_ATTACKS) {
    it(`${kind}: ${description}`, async () => {
      const link = await attackKit.api.candidateSession({ candidate: { name: `Follow attack ${kind}` } });
      if (kind === "replay") expect(recording, "a recording of a passing check (the bona fide suite runs first)").toBeDefined();
      for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
        const outcome = await check(attackKit, link, (t) =>
          startFollowAttack(kind as FollowAttackKind, { url: t.serverUrl, token: t.token, reactionMs: 300, ...(kind === "replay" ? { recording: recording! } : {}) }),
        );
        results.push({ kind: "attack", name: `${kind} #${attempt}`, verdict: outcome.admitted ? "accepted" : "rejected", detail: describeOutcome(outcome) });
        expect(outcome.passed, describeOutcome(outcome)).toBe(false);
        expect(outcome.admitted).toBe(false);
      }
    }, ATTEMPTS * (VERDICT_MS + 30_000));
  }
});
