/**
 * Server-side verifier benchmark: a real livekit-server, the kit on an
 * ephemeral HTTP port, one verifier worker process (LiveKit Agents, prewarmed
 * job processes with @vladmandic/human), and cooperative candidates on the
 * production `follow` challenge: rtc-node mesh-face publishers (a live 3D render
 * of the astronaut photo at 20 fps, encoder capped at 15, whose head follows the
 * verifier's `target` messages 300 ms behind through an 80 ms low pass). No
 * browsers. Each slot asks for a fixed schedule seed (test configuration), so
 * a round's checks get the same pause and target path in every invocation.
 *
 * Each round starts N verifications together (N interviews, N candidate
 * sessions, N tickets, N publishers) and waits for every verdict, sampling the
 * CPU time of the worker's process tree, of livekit-server and of this process
 * (publishers + kit HTTP). Rounds run for N = 1 … --max-concurrency, --runs
 * rounds each; N = 1 rounds give throughput, the follow response (fitted lag,
 * correlations) and time to verdict by phase (waiting for video, fit, pause,
 * follow path and tail, report). One attempt per check: a failure is a figure.
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
import { spawnVerifierWorker } from "../../server/verifier/spawn.js";
import { startKit } from "../helpers/kit-server.js";
import { loadMeshFace } from "../helpers/mesh-face.js";
import { treeStats, waitForQuiet } from "./proc-cpu.js";
import { fmt, median, pct, sum, table } from "./stats.js";
import { concurrencyTable, followTable, loadavg, ms, p90, verdictTable } from "./verifier-report.js";
import { hookStore, PLAYER_REACTION_MS, PLAYER_SMOOTHING_MS, type Round, runRound } from "./verifier-run.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const RESULTS_FILE = path.join(import.meta.dirname, "verifier-results.json");
/** livekit-server takes this port and the next two (clear of the test suites' bases). */
const PORT_BASE = 18040;

function argValue(name: string): string | undefined {
  const prefix = `--${name}=`;
  return process.argv.slice(2).find((a) => a.startsWith(prefix))?.slice(prefix.length);
}
const intArg = (name: string, fallback: number) => Math.max(1, Number.parseInt(argValue(name) ?? `${fallback}`, 10) || fallback);
const RUNS = intArg("runs", 3);
const MAX_N = intArg("max-concurrency", 4);

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  console.log(`load average before start: ${loadavg()}`);
  const benchStarted = performance.now();
  console.log(`Verifier benchmark: N = 1…${MAX_N}, ${RUNS} round(s) each; ${os.cpus().length} CPU(s) ${os.cpus()[0]?.model ?? ""}, Node ${process.version}`);
  const face = await loadMeshFace(); // the mesh (cached) and photo, loaded once outside every measured window

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
        const r = await runRound(kit, times, worker, face, n, round);
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

  console.log(
    `\nFollow response, N=1 (the publisher's head: the target ${PLAYER_REACTION_MS} ms late through a ${PLAYER_SMOOTHING_MS} ms low pass; lag as the verifier fitted it on the frames it received)`,
  );
  console.log(followTable(singles));
  if (MAX_N > 1) {
    console.log(`\nFollow response, all N`);
    console.log(followTable(all));
  }

  console.log(`\nTime to verdict, N=1 (goal ≤ 8 s; one random pause of 600–1500 ms, a path of 3.4–5.1 s and a tail of up to 1 s)`);
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
  const outliers = all.filter((v) => v.follow.unexplainedMs > 400);
  if (outliers.length) {
    console.log(`\nFollow-lag outliers ((b) > 400 ms)`);
    for (const v of outliers) {
      const f = v.follow;
      console.log(
        `  N=${v.n} round ${v.round} slot ${v.slot}: lag ${ms(f.lagMs)}, (b) ${ms(f.unexplainedMs)}, targets ${f.targetsReceived} every ${ms(f.targetGapMs)} (fps ${fmt(v.analysedFps, 1)})`,
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
