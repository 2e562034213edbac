/**
 * Server-side verifier benchmark: a real livekit-server, the kit on an
 * ephemeral HTTP port, one verifier worker process (LiveKit Agents, prewarmed
 * job processes with @vladmandic/human), and cooperative candidates played by
 * rtc-node reactive publishers (real cap12 webcam footage at 30 fps that plays
 * the prompted move ~350 ms after each verifier prompt). No browsers.
 *
 * Each round starts N verifications together (N interviews, N candidate
 * sessions, N tickets, N publishers) and waits for every verdict, sampling the
 * CPU time of the worker's process tree, of livekit-server and of this process
 * (publishers + kit HTTP). Rounds run for N = 1 … --max-concurrency, --runs
 * rounds each; N = 1 rounds give throughput, prompt latency and time to verdict.
 * Between rounds the worker is left to replenish its prewarmed processes.
 *
 * Prints medians and ratios against N = 1 of the same run (shared machines are
 * noisy). Usage:
 *   npm run bench:verifier -- [--runs=3] [--max-concurrency=4]
 * Writes everything as JSON to test/bench/verifier-results.json (not tracked).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { VerdictReport } from "../../shared/verifier-job.js";
import { spawnVerifierWorker, type SpawnedWorker } from "../../server/verifier/spawn.js";
import { type RunningKit, startKit } from "../helpers/kit-server.js";
import { loadPlayerFrames, type ReactivePublisher, startReactivePublisher } from "../helpers/rtc-publisher.js";
import { waitForStatus } from "../helpers/verification.js";
import { childPids, TreeCpuSampler, treeStats, waitForQuiet } from "./proc-cpu.js";
import { fmt, median, pct, quantile, sum, table } from "./stats.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const RESULTS_FILE = path.join(import.meta.dirname, "verifier-results.json");
/** livekit-server takes this port and the next two (clear of the test suites' bases). */
const PORT_BASE = 18040;
const VERDICT_TIMEOUT_MS = 90_000;

function argValue(name: string): string | undefined {
  const prefix = `--${name}=`;
  return process.argv.slice(2).find((a) => a.startsWith(prefix))?.slice(prefix.length);
}
const intArg = (name: string, fallback: number) => Math.max(1, Number.parseInt(argValue(name) ?? `${fallback}`, 10) || fallback);
const RUNS = intArg("runs", 3);
const MAX_N = intArg("max-concurrency", 4);

// ---------------------------------------------------------------- one verification

interface StepLatency {
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

interface Verification {
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
interface StoreTimes {
  firstProgress: Map<string, number>;
  finished: Map<string, number>;
}

function hookStore(kit: RunningKit): StoreTimes {
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

interface Round {
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

async function runRound(kit: RunningKit, times: StoreTimes, worker: SpawnedWorker, n: number, round: number): Promise<Round> {
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

// ---------------------------------------------------------------- report

const ms = (v: number) => fmt(v, 0, " ms");
const p90 = (xs: number[]) => quantile(xs, 0.9);
const loadavg = () => os.loadavg().map((l) => l.toFixed(2)).join(" / ");

function concurrencyTable(rounds: Round[]): string {
  const ns = [...new Set(rounds.map((r) => r.n))];
  const fpsAt = (n: number) => median(rounds.filter((r) => r.n === n).flatMap((r) => r.verifications.map((v) => v.analysedFps)));
  const base = fpsAt(1);
  const rows = ns.map((n) => {
    const rs = rounds.filter((r) => r.n === n);
    const vs = rs.flatMap((r) => r.verifications);
    const fps = vs.map((v) => v.analysedFps);
    const passed = vs.filter((v) => v.state === "passed").length;
    const share = (f: (r: Round) => number) => median(rs.map((r) => f(r) / r.wallMs));
    const cpuPerFrame = median(rs.map((r) => (r.verifierCpuMs - r.verifierBornCpuMs) / sum(r.verifications.map((v) => v.framesAnalysed))));
    return [
      `${n}`,
      `${rs.length}`,
      `${passed}/${vs.length}`,
      fmt(median(fps), 1),
      fmt(Math.min(...fps), 1),
      pct(median(fps) / base),
      fmt(median(vs.map((v) => v.ticketToVerdictMs)) / 1000, 1, " s"),
      pct(share((r) => r.verifierCpuMs)),
      pct(share((r) => r.verifierCpuMs / r.n)),
      pct(share((r) => r.verifierBornCpuMs)),
      fmt(cpuPerFrame, 0, " ms"),
      pct(share((r) => r.livekitCpuMs)),
      pct(share((r) => r.benchCpuMs)),
    ];
  });
  return table(
    [
      "N at once",
      "rounds",
      "passed",
      "fps/verif. median",
      "min",
      "fps ÷ N=1",
      "ticket→verdict median",
      "verifier CPU (tree)",
      "  per verif.",
      "  of which respawn",
      "verifier CPU / analysed frame",
      "livekit-server CPU",
      "bench proc CPU (publishers+kit)",
    ],
    rows,
  );
}

function latencyTable(vs: Verification[]): string {
  const ls = vs.flatMap((v) => v.latencies);
  const row = (label: string, xs: number[]) => [label, `${xs.length}`, ms(median(xs)), ms(p90(xs)), ms(Math.min(...xs)), ms(Math.max(...xs))];
  return table(
    ["prompt → onset (per step)", "n", "median", "p90", "min", "max"],
    [
      row("(a) verifier onsetAt − promptAt", ls.map((l) => l.onsetMs)),
      row("publisher reaction (prompt rx → first clip frame)", ls.map((l) => l.reactionMs)),
      row("(b) (a) − publisher reaction", ls.map((l) => l.unexplainedMs)),
      row("  prompt decided → publisher rx (est., upper-bound anchor)", ls.map((l) => l.deliveryMs)),
      row("  first clip frame sent → onset frame rx (est.)", ls.map((l) => l.sentToOnsetMs)),
    ],
  );
}

function verdictTable(vs: Verification[]): string {
  const row = (label: string, xs: number[]) => [label, ms(median(xs)), ms(p90(xs)), ms(Math.min(...xs)), ms(Math.max(...xs))];
  const b = (k: string) => vs.map((v) => v.breakdown[k]!);
  return table(
    ["time to verdict (cooperative, N=1)", "median", "p90", "min", "max"],
    [
      row("ticket request → ticket", vs.map((v) => v.ticketMs)),
      row("ticket → camera published", vs.map((v) => v.ticketToPublishedMs)),
      row("ticket → verdict stored", vs.map((v) => v.ticketToVerdictMs)),
      row("camera published → verdict stored", vs.map((v) => v.publishedToVerdictMs)),
      row("  ticket → job started (dispatch)", b("ticketToJobStart")),
      row("  job start → first frame", b("jobStartToFirstFrame")),
      row("  fit (first frame → baseline)", b("fit")),
      row("  pauses (Σ delaysMs)", b("pauses")),
      row("  moves (Σ prompt → held)", b("moves")),
      row("  returns (Σ held → facing steady)", b("returns")),
      row("  last frame → verdict stored", b("verdictReport")),
    ],
  );
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  console.log(`load average before start: ${loadavg()}`);
  const benchStarted = performance.now();
  console.log(`Verifier benchmark: N = 1…${MAX_N}, ${RUNS} round(s) each; ${os.cpus().length} CPU(s) ${os.cpus()[0]?.model ?? ""}, Node ${process.version}`);
  await loadPlayerFrames(); // ffmpeg decode once, outside every measured window

  const kit = await startKit({ isolated: { portBase: PORT_BASE, worker: false } });
  const times = hookStore(kit);
  const spawnAt = performance.now();
  const worker = spawnVerifierWorker(kit.livekit.settings, {
    VERIFIER_IDLE_PROCESSES: String(MAX_N),
    VERIFIER_MAX_JOBS: String(MAX_N),
  });
  const rounds: Round[] = [];
  let setup: Record<string, number> = {};
  try {
    await worker.ready;
    const registeredMs = performance.now() - spawnAt;
    const workerRoot = () => [worker.child.pid!];
    await waitForQuiet(workerRoot, { timeoutMs: 60_000 });
    const warmMs = performance.now() - spawnAt;
    const processes = treeStats(worker.child.pid!).length;
    setup = { registeredMs, warmMs, processes };
    console.log(`worker: spawn → registered ${ms(registeredMs)}, spawn → prewarmed pool quiet ${ms(warmMs)}, ${processes} processes in its tree\n`);

    for (let n = 1; n <= MAX_N; n++) {
      for (let round = 1; round <= RUNS; round++) {
        const r = await runRound(kit, times, worker, n, round);
        rounds.push(r);
        const vs = r.verifications;
        console.log(
          `N=${n} round ${round}: ${vs.map((v) => `${v.state}${v.failure ? `(${v.failure})` : ""} ${fmt(v.analysedFps, 1)} fps`).join(", ")}; ` +
            `wall ${fmt(r.wallMs / 1000, 1)} s, verifier CPU ${pct(r.verifierCpuMs / r.wallMs)} of a core, settle ${fmt(r.settleMs / 1000, 1)} s, load ${loadavg()}`,
        );
      }
    }
  } finally {
    await worker.stop();
    await kit.stop();
  }

  const all = rounds.flatMap((r) => r.verifications);
  const singles = rounds.filter((r) => r.n === 1).flatMap((r) => r.verifications);
  console.log(`\nConcurrency (${RUNS} round(s) per N; CPU in % of one core over each round's wall time, median of rounds)`);
  console.log(concurrencyTable(rounds));
  const allPass = [...new Set(rounds.map((r) => r.n))].filter((n) => all.filter((v) => v.n === n).every((v) => v.state === "passed"));
  const highest = allPass.reduce((m, n) => (n === m + 1 ? n : m), 0);
  const tenFps = [...new Set(rounds.map((r) => r.n))].filter((n) => all.filter((v) => v.n === n).every((v) => v.analysedFps >= 10));
  console.log(
    `highest N (from 1 up) where every verification passed: ${highest || "none"}; N where every verification analysed ≥10 fps: ${tenFps.join(", ") || "none"} (goal: 4 at ≥10 fps each)`,
  );

  console.log(`\nThroughput, one verification alone (N=1, ${singles.length} run(s))`);
  const r1 = rounds.filter((r) => r.n === 1);
  console.log(
    table(
      ["N=1", "median", "p90", "min", "max"],
      [
        ["analysed fps (verdict)", ...[median, p90, (x: number[]) => Math.min(...x), (x: number[]) => Math.max(...x)].map((f) => fmt(f(singles.map((v) => v.analysedFps)), 1))],
        ["frames analysed", ...[median, p90, (x: number[]) => Math.min(...x), (x: number[]) => Math.max(...x)].map((f) => fmt(f(singles.map((v) => v.framesAnalysed)), 0))],
        ["verifier tree CPU, % of a core", ...[median, p90, (x: number[]) => Math.min(...x), (x: number[]) => Math.max(...x)].map((f) => pct(f(r1.map((r) => r.verifierCpuMs / r.wallMs))))],
        ["  excl. respawned job process", ...[median, p90, (x: number[]) => Math.min(...x), (x: number[]) => Math.max(...x)].map((f) => pct(f(r1.map((r) => (r.verifierCpuMs - r.verifierBornCpuMs) / r.wallMs))))],
        ["verifier CPU per analysed frame (excl. respawn)", ...[median, p90, (x: number[]) => Math.min(...x), (x: number[]) => Math.max(...x)].map((f) => ms(f(r1.map((r) => (r.verifierCpuMs - r.verifierBornCpuMs) / sum(r.verifications.map((v) => v.framesAnalysed))))))],
        ["livekit-server CPU, % of a core", ...[median, p90, (x: number[]) => Math.min(...x), (x: number[]) => Math.max(...x)].map((f) => pct(f(r1.map((r) => r.livekitCpuMs / r.wallMs))))],
        ["bench process (publisher + kit), % of a core", ...[median, p90, (x: number[]) => Math.min(...x), (x: number[]) => Math.max(...x)].map((f) => pct(f(r1.map((r) => r.benchCpuMs / r.wallMs))))],
      ],
    ),
  );

  console.log(`\nPrompt → onset, N=1 (publisher reaction configured at 350 ms; onset = first frame out of neutral, as it arrived at the verifier)`);
  console.log(latencyTable(singles));
  if (MAX_N > 1) {
    console.log(`\nPrompt → onset, all N`);
    console.log(latencyTable(all));
  }

  console.log(`\nTime to verdict, N=1 (goal ≤ 8 s; pauses are the schedule's random 600–2000 ms each)`);
  console.log(verdictTable(singles));

  const loads = all.map((v) => v.analyzer?.loadMs ?? Number.NaN);
  const firsts = all.map((v) => v.analyzer?.firstInferenceMs ?? Number.NaN);
  console.log(`\nModel load (prewarmed job processes; all ${all.length} verifications)`);
  console.log(
    table(
      ["model", "median", "p90", "max"],
      [
        ["analyzer.loadMs", ms(median(loads)), ms(p90(loads)), ms(Math.max(...loads.filter(Number.isFinite)))],
        ["analyzer.firstInferenceMs", ms(median(firsts)), ms(p90(firsts)), ms(Math.max(...firsts.filter(Number.isFinite)))],
        ["worker spawn → registered", ms(setup.registeredMs!), "", ""],
        ["worker spawn → prewarmed pool quiet", ms(setup.warmMs!), "", ""],
        ["after a round: until the pool is quiet again (median)", ms(median(rounds.map((r) => r.settleMs))), ms(p90(rounds.map((r) => r.settleMs))), ms(Math.max(...rounds.map((r) => r.settleMs)))],
      ],
    ),
  );

  const failed = all.filter((v) => v.state !== "passed");
  if (failed.length) {
    console.log(`\nFailed verifications (${failed.length}/${all.length})`);
    for (const v of failed) {
      console.log(`  N=${v.n} round ${v.round} slot ${v.slot} seed ${v.seed} ${v.challengeId}: ${v.state} ${v.failure ?? ""}; steps ${v.steps.join(",")}; fps ${fmt(v.analysedFps, 1)}`);
      for (const reason of v.reasons) console.log(`    - ${reason}`);
    }
  }
  const outliers = all.flatMap((v) => v.latencies.filter((l) => l.unexplainedMs > 400).map((l) => ({ v, l })));
  if (outliers.length) {
    console.log(`\nPrompt-latency outliers ((b) > 400 ms)`);
    for (const { v, l } of outliers) {
      console.log(
        `  N=${v.n} round ${v.round} slot ${v.slot} ${l.step}: onset ${ms(l.onsetMs)}, reaction ${ms(l.reactionMs)}, delivery ${ms(l.deliveryMs)}, sent→onset ${ms(l.sentToOnsetMs)} (fps ${fmt(v.analysedFps, 1)})`,
      );
    }
  }

  const totalS = (performance.now() - benchStarted) / 1000;
  console.log(`\nload average after: ${loadavg()}; total ${fmt(totalS, 0, " s")}`);
  const summary = {
    date: new Date().toISOString(),
    runs: RUNS,
    maxConcurrency: MAX_N,
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version, loadavgAfter: os.loadavg() },
    setup,
    highestAllPassN: highest,
    rounds: rounds.map(({ verifications, ...r }) => ({ ...r, challengeIds: verifications.map((v) => v.challengeId) })),
    verifications: all,
  };
  fs.writeFileSync(RESULTS_FILE, `${JSON.stringify(summary, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2)}\n`);
  console.log(`JSON written to ${path.relative(ROOT, RESULTS_FILE)}`);
}

// rtc-node keeps native handles alive after the rooms are gone: exit explicitly.
main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
