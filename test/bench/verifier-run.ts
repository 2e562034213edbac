/**
 * The verifier benchmark's measurements: one verification (ticket, mesh-face
 * publisher following the target, verdict and its timings) and one round of N
 * at once with the CPU of the worker tree, livekit-server and this process.
 * Used by verifier.ts.
 */
import type { VerdictReport } from "../../shared/verifier-job.js";
import type { SpawnedWorker } from "../../server/verifier/spawn.js";
import type { RunningKit } from "../helpers/kit-server.js";
import type { MeshFace } from "../helpers/mesh-face.js";
import { type MeshPublisher, startMeshPublisher } from "../helpers/mesh-publisher.js";
import { waitForStatus } from "../helpers/verification.js";
import { childPids, TreeCpuSampler, waitForQuiet } from "./proc-cpu.js";
import { median, sum } from "./stats.js";

const VERDICT_TIMEOUT_MS = 90_000;
/** The mesh publisher's head: a target is followed once it is this old, through a low pass of this time constant (its defaults). */
export const PLAYER_REACTION_MS = 300;
export const PLAYER_SMOOTHING_MS = 80;
/** Frames the publisher sends a second, and its encoder cap (the candidate page sends the verifier at most 15). */
const PLAYER_FPS = 20;
const PLAYER_MAX_FRAMERATE = 15;

// ---------------------------------------------------------------- one verification

/** How the follow step went, ms and the judge's fit (NaN where the verdict has none). */
export interface FollowFigures {
  /** The path's own length (its last waypoint), ms. */
  pathMs: number;
  /** Verifier: the fitted delay of the head behind the target. */
  lagMs: number;
  /**
   * lagMs − the player's configured reaction − its low pass time constant: the targets' delivery, encode,
   * network, decode and frame timing. (No finer split: the job's clock has no wall-clock anchor better
   * than its first progress report's arrival, which came 80–290 ms or more after the job's t = 0 here.)
   */
  unexplainedMs: number;
  /** Target messages the publisher received (the verifier sends only the newest due point, about every 50 ms). */
  targetsReceived: number;
  /** Median gap between targets received, ms. */
  targetGapMs: number;
  yawR: number;
  yawGain: number;
  pitchR: number;
  pitchGain: number;
  /** Landmark residual after one perspective mapping, share of the eye distance. */
  planarResidual: number;
  /** Frames with one face the judge saw during the path and its tail. */
  frames: number;
}

/** One verification's outcome and timings. */
export interface Verification {
  n: number;
  round: number;
  slot: number;
  seed: string;
  challengeId: string;
  state: string;
  failure?: string;
  reasons: string[];
  steps: string[];
  delaysMs: number[];
  analysedFps: number;
  framesAnalysed: number;
  firstFrameAt?: number;
  analyzer?: { loadMs: number; firstInferenceMs?: number };
  /** Wall-clock phases, ms. */
  ticketMs: number;
  ticketToPublishedMs: number;
  ticketToJobStartMs: number;
  ticketToVerdictMs: number;
  publishedToVerdictMs: number;
  breakdown: Record<string, number>;
  follow: FollowFigures;
  publisherFrames: number;
}

/** Wall times the kit saw, hooked on the in-process store. */
export interface StoreTimes {
  firstProgress: Map<string, number>;
  finished: Map<string, number>;
}

/** Wraps the store's progress and finish calls to note when the kit saw them. */
export function hookStore(kit: RunningKit): StoreTimes {
  const times: StoreTimes = { firstProgress: new Map(), finished: new Map() };
  const store = kit.app.store;
  const recordProgress = store.recordProgress.bind(store);
  const finishChallenge = store.finishChallenge.bind(store);
  store.recordProgress = async (id, phase, at) => {
    if (!times.firstProgress.has(id)) times.firstProgress.set(id, Date.now());
    return recordProgress(id, phase, at);
  };
  store.finishChallenge = async (id, outcome) => {
    const now = Date.now();
    const done = await finishChallenge(id, outcome);
    if (done) times.finished.set(id, now);
    return done;
  };
  return times;
}

interface Started {
  slot: number;
  seed: string;
  token: string;
  headers: Record<string, string>;
  challengeId: string;
  requestedAt: number;
  ticketAt: number;
  publishedAt: number;
  publisher: MeshPublisher;
}

async function startOne(kit: RunningKit, face: MeshFace, n: number, round: number, slot: number): Promise<Started> {
  const seed = `bench-r${round}-s${slot}`;
  const { token, headers } = await kit.api.candidateSession({ candidate: { name: `Verifier bench N${n} r${round} s${slot}` } });
  const requestedAt = Date.now();
  const res = await kit.api.call("POST", `/v1/candidate/${token}/liveness`, { headers, body: { seed } });
  const ticket = (await res.json()) as { challengeId: string; serverUrl: string; token: string };
  if (!res.ok) throw new Error(`liveness ticket refused: ${res.status} ${JSON.stringify(ticket)}`);
  const ticketAt = Date.now();
  const publisher = await startMeshPublisher({
    url: ticket.serverUrl,
    token: ticket.token,
    face,
    fps: PLAYER_FPS,
    maxFramerate: PLAYER_MAX_FRAMERATE,
    reactionMs: PLAYER_REACTION_MS,
    smoothingMs: PLAYER_SMOOTHING_MS,
  });
  return { slot, seed, token, headers, challengeId: ticket.challengeId, requestedAt, ticketAt, publishedAt: Date.now(), publisher };
}

async function finishOne(kit: RunningKit, times: StoreTimes, s: Started, n: number, round: number): Promise<Verification> {
  const status = (await waitForStatus(kit.api, s.token, s.headers, s.challengeId, VERDICT_TIMEOUT_MS)) as { state: string; failure?: string };
  await s.publisher.stop();
  const challenge = (await kit.app.store.getChallenge(s.challengeId))!;
  const verdict = (challenge.verdict ?? {}) as Partial<VerdictReport> & { reasons?: string[] };
  const finishedAt = times.finished.get(s.challengeId) ?? Date.parse(challenge.finishedAt ?? "") ?? Number.NaN;
  const steps = verdict.steps ?? [];
  const delays = challenge.delaysMs;
  const lastT = verdict.trace?.at(-1)?.t ?? Number.NaN;
  // The job's clock (ms since it started) on the wall clock: both reports arrive after they were sent,
  // so each gives an upper bound on the job's start; take the earlier (a loaded event loop delays either).
  const jobStart = Math.min(times.firstProgress.get(s.challengeId) ?? Number.POSITIVE_INFINITY, finishedAt - lastT);

  // Job-relative phases: waiting for video, fit, the pause, the follow path (prompt → step_done:
  // the path and the tail a lagging response is given), the report.
  const b: Record<string, number> = {};
  b.ticketToJobStart = jobStart - s.ticketAt;
  b.jobStartToFirstFrame = verdict.firstFrameAt ?? Number.NaN;
  const pauseStart = (i: number) => steps[i]!.promptAt - delays[i]!;
  b.fit = steps.length ? pauseStart(0) - (verdict.firstFrameAt ?? Number.NaN) : Number.NaN;
  b.pause = steps.length ? sum(steps.map((_, i) => delays[i]!)) : Number.NaN;
  const stepEnd = (i: number) => steps[i]!.doneAt ?? lastT;
  b.follow = steps.length ? sum(steps.map((st, i) => stepEnd(i) - st.promptAt)) : Number.NaN;
  const pathMs = steps.length ? sum(steps.map((st) => st.follow?.waypoints.at(-1)?.t ?? Number.NaN)) : Number.NaN;
  b.followPath = pathMs;
  b.followTail = b.follow - pathMs;
  b.verdictReport = finishedAt - jobStart - (steps.length ? stepEnd(steps.length - 1) : lastT);

  const step = steps[0];
  const f = step?.follow;
  const targets = s.publisher.targets;
  const lagMs = f?.lagMs ?? Number.NaN;
  const follow: FollowFigures = {
    pathMs,
    lagMs,
    unexplainedMs: lagMs - PLAYER_REACTION_MS - PLAYER_SMOOTHING_MS,
    targetsReceived: targets.length,
    targetGapMs: median(targets.slice(1).map((t, i) => t.at - targets[i]!.at)),
    yawR: f?.yaw?.r ?? Number.NaN,
    yawGain: f?.yaw?.gain ?? Number.NaN,
    pitchR: f?.pitch?.r ?? Number.NaN,
    pitchGain: f?.pitch?.gain ?? Number.NaN,
    planarResidual: f?.planarResidual ?? Number.NaN,
    frames: f?.frames ?? Number.NaN,
  };

  return {
    n,
    round,
    slot: s.slot,
    seed: s.seed,
    challengeId: s.challengeId,
    state: status.state,
    ...(status.failure ? { failure: status.failure } : {}),
    reasons: verdict.reasons ?? [],
    steps: challenge.steps,
    delaysMs: delays,
    analysedFps: verdict.analysedFps ?? Number.NaN,
    framesAnalysed: verdict.framesAnalysed ?? Number.NaN,
    ...(verdict.firstFrameAt !== undefined ? { firstFrameAt: verdict.firstFrameAt } : {}),
    ...(verdict.analyzer ? { analyzer: verdict.analyzer } : {}),
    ticketMs: s.ticketAt - s.requestedAt,
    ticketToPublishedMs: s.publishedAt - s.ticketAt,
    ticketToJobStartMs: b.ticketToJobStart,
    ticketToVerdictMs: finishedAt - s.ticketAt,
    publishedToVerdictMs: finishedAt - s.publishedAt,
    breakdown: b,
    follow,
    publisherFrames: s.publisher.framesSent,
  };
}

// ---------------------------------------------------------------- one round

/** One round: N verifications at once and the CPU they cost. */
export interface Round {
  n: number;
  round: number;
  wallMs: number;
  verifierCpuMs: number;
  /** Of which: job processes born during the round (replacement prewarm loading the model). */
  verifierBornCpuMs: number;
  livekitCpuMs: number;
  benchCpuMs: number;
  /** Wait after the round until the worker tree was quiet again (prewarm replenished). */
  settleMs: number;
  verifications: Verification[];
}

/** Runs N verifications at once and measures the round. */
export async function runRound(kit: RunningKit, times: StoreTimes, worker: SpawnedWorker, face: MeshFace, n: number, round: number): Promise<Round> {
  const workerRoot = () => [worker.child.pid!];
  const livekitRoot = () => childPids(process.pid, "livekit");
  const verifierCpu = new TreeCpuSampler(workerRoot).start();
  const livekitCpu = new TreeCpuSampler(livekitRoot).start();
  const bench0 = process.cpuUsage();
  const started = performance.now();
  const slots = Array.from({ length: n }, (_, i) => i);
  const running = await Promise.all(slots.map((slot) => startOne(kit, face, n, round, slot)));
  const verifications = await Promise.all(running.map((s) => finishOne(kit, times, s, n, round)));
  const wallMs = performance.now() - started;
  const bench = process.cpuUsage(bench0);
  const v = verifierCpu.stop();
  const lk = livekitCpu.stop();
  const settleMs = await waitForQuiet(workerRoot, { timeoutMs: 30_000 });
  return {
    n,
    round,
    wallMs,
    verifierCpuMs: v.totalMs,
    verifierBornCpuMs: v.bornMs,
    livekitCpuMs: lk.totalMs,
    benchCpuMs: (bench.user + bench.system) / 1000,
    settleMs,
    verifications,
  };
}

