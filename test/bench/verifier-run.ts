/**
 * The verifier benchmark's measurements: one verification (ticket, reactive
 * publisher, verdict and its timings) and one round of N at once with the CPU
 * of the worker tree, livekit-server and this process. Used by verifier.ts.
 */
import type { VerdictReport } from "../../shared/verifier-job.js";
import type { SpawnedWorker } from "../../server/verifier/spawn.js";
import type { RunningKit } from "../helpers/kit-server.js";
import { type ReactivePublisher, startReactivePublisher } from "../helpers/rtc-publisher.js";
import { waitForStatus } from "../helpers/verification.js";
import { childPids, TreeCpuSampler, waitForQuiet } from "./proc-cpu.js";
import { sum } from "./stats.js";

const VERDICT_TIMEOUT_MS = 90_000;

// ---------------------------------------------------------------- one verification

/** One prompted step's latencies, ms. */
export interface StepLatency {
  step: string;
  /** Verifier: onsetAt − promptAt (the onset frame's arrival at the verifier, not its analysis). */
  onsetMs: number;
  /** Publisher: prompt received → first clip frame handed to the video source. */
  reactionMs: number;
  /** onsetMs − reactionMs: kit + network + decode + the clip's own lead-in until the head leaves neutral. */
  unexplainedMs: number;
  /** Estimated: verifier's prompt decision → publisher receives it (clock: the job's first progress report). */
  deliveryMs: number;
  /** Estimated: first clip frame sent → verifier receives the onset frame. */
  sentToOnsetMs: number;
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
  latencies: StepLatency[];
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
  publisher: ReactivePublisher;
}

async function startOne(kit: RunningKit, n: number, round: number, slot: number): Promise<Started> {
  const seed = `bench-r${round}-s${slot}`;
  const { token, headers } = await kit.api.candidateSession({ candidate: { name: `Verifier bench N${n} r${round} s${slot}` } });
  const requestedAt = Date.now();
  const res = await kit.api.call("POST", `/v1/candidate/${token}/liveness`, { headers, body: { seed } });
  const ticket = (await res.json()) as { challengeId: string; serverUrl: string; token: string };
  if (!res.ok) throw new Error(`liveness ticket refused: ${res.status} ${JSON.stringify(ticket)}`);
  const ticketAt = Date.now();
  const publisher = await startReactivePublisher({ url: ticket.serverUrl, token: ticket.token, mode: "cooperative" });
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

  // Job-relative phases: waiting for video, fit, pauses, moves, returns, report.
  const b: Record<string, number> = {};
  b.ticketToJobStart = jobStart - s.ticketAt;
  b.jobStartToFirstFrame = verdict.firstFrameAt ?? Number.NaN;
  const pauseStart = (i: number) => steps[i]!.promptAt - delays[i]!;
  b.fit = steps.length ? pauseStart(0) - (verdict.firstFrameAt ?? Number.NaN) : Number.NaN;
  b.pauses = sum(steps.map((_, i) => delays[i]!));
  b.moves = sum(steps.map((st) => (st.doneAt ?? lastT) - st.promptAt));
  b.returns = sum(steps.map((st, i) => (i + 1 < steps.length ? pauseStart(i + 1) : lastT) - (st.doneAt ?? lastT)));
  b.verdictReport = finishedAt - jobStart - lastT;

  const latencies: StepLatency[] = [];
  steps.forEach((st, i) => {
    const played = s.publisher.played[i];
    if (st.onsetAt === undefined || !played || !played.at) return;
    const onsetMs = st.onsetAt - st.promptAt;
    const reactionMs = played.at - played.promptAt;
    const deliveryMs = played.promptAt - (jobStart + st.promptAt);
    latencies.push({ step: st.step, onsetMs, reactionMs, unexplainedMs: onsetMs - reactionMs, deliveryMs, sentToOnsetMs: onsetMs - reactionMs - deliveryMs });
  });

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
    latencies,
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
export async function runRound(kit: RunningKit, times: StoreTimes, worker: SpawnedWorker, n: number, round: number): Promise<Round> {
  const workerRoot = () => [worker.child.pid!];
  const livekitRoot = () => childPids(process.pid, "livekit");
  const verifierCpu = new TreeCpuSampler(workerRoot).start();
  const livekitCpu = new TreeCpuSampler(livekitRoot).start();
  const bench0 = process.cpuUsage();
  const started = performance.now();
  const slots = Array.from({ length: n }, (_, i) => i);
  const running = await Promise.all(slots.map((slot) => startOne(kit, n, round, slot)));
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

