/**
 * Server throughput benchmark: a real kit process (embedded livekit-server, no verifier worker)
 * driven by wrk (or autocannon when wrk is not installed; `--tool=`) on the same machine. For each backend it measures:
 * `/healthz` (the ceiling), interview creation, admissions (`POST /join` for verified sessions:
 * each session's first, which creates the room, then re-admissions under load), and the interview
 * list at 1,000 and at 100,000 interviews. Each figure is the median of
 * `--runs` runs (default 3) and is also shown as a ratio to `/healthz` from the same run.
 *
 *   npm run bench:server -- [--runs=3] [--seconds=5] [--connections=16] [--large=100000] [--db=sqlite|postgres|both]
 *                           [--processes=2] [--tool=wrk|autocannon]
 *
 * `--processes=N` adds a Postgres pass with N kit processes on one database and one livekit-server,
 * the connections split between them (what a load balancer in front of them does).
 *
 * Postgres: a throwaway cluster started like the test suite's, or BENCH_DATABASE_URL (an empty database).
 *
 * Sessions are marked verified directly in the database (the benchmark measures admission, not
 * liveness). Prints tables; writes test/bench/server-results.json (not tracked).
 */
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { hashSecret } from "../../server/security/index.js";
import { openStore } from "../../server/store/index.js";
import { startTestPostgres } from "../postgres-setup.js";
import { fmt, median, quantile } from "./stats.js";
import { load, type LoadFigure, type LoadRequest, loadTool } from "./load.js";
import { auth, type BenchKit, CREATE_BODY, createInterviews, openSessions, startBenchKit } from "./server-kit.js";

const arg = (name: string, fallback: string) =>
  process.argv.slice(2).find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback;
const RUNS = Number(arg("runs", "3"));
const SECONDS = Number(arg("seconds", "5"));
const CONNECTIONS = Number(arg("connections", "16"));
const LARGE = Number(arg("large", "100000"));
const TOOL = arg("tool", loadTool()) as "wrk" | "autocannon";
/** Kit processes on one Postgres for an extra pass (the load split between them); 1 for none. */
const PROCESSES = Number(arg("processes", "1"));
const JOIN_SESSIONS = 500;

type Figure = LoadFigure;
type Request = LoadRequest;

/**
 * One run against every process at once, the connections split between them as a load balancer
 * would: throughputs add up, and the latency is the worst process's.
 */
async function loadAll(urls: string[], requests: Request[]): Promise<Figure> {
  const connections = Math.max(1, Math.floor(CONNECTIONS / urls.length));
  const stride = Math.floor(requests.length / urls.length);
  const each = await Promise.all(urls.map((url, k) => load(TOOL, url, requests, { connections, seconds: SECONDS, offset: k * stride })));
  return {
    rps: each.reduce((a, f) => a + f.rps, 0),
    p50: Math.max(...each.map((f) => f.p50)),
    p99: Math.max(...each.map((f) => f.p99)),
    failed: each.reduce((a, f) => a + f.failed, 0),
  };
}

/** Medians over RUNS of one scenario. */
async function measure(urls: string[], requests: Request[]): Promise<Figure> {
  const runs: Figure[] = [];
  for (let r = 0; r < RUNS; r++) runs.push(await loadAll(urls, requests));
  return {
    rps: median(runs.map((f) => f.rps)),
    p50: median(runs.map((f) => f.p50)),
    p99: median(runs.map((f) => f.p99)),
    failed: runs.reduce((a, f) => a + f.failed, 0),
  };
}

/** Verified sessions on fresh interviews: the join requests the admission scenario cycles through. */
async function joinRequests(kit: BenchKit): Promise<Request[]> {
  const tokens = await createInterviews(kit.url, JOIN_SESSIONS);
  const keys = await openSessions(kit.url, tokens);
  const store = await openStore(kit.databaseUrl);
  try {
    for (let i = 0; i < tokens.length; i++) {
      const interview = await store.findInterviewByLink("candidate", hashSecret(tokens[i]!));
      const session = interview && (await store.findSession(interview.id, hashSecret(keys[i]!)));
      if (!session) throw new Error("seeded session not found");
      await store.markSessionVerified(session.id, new Date().toISOString());
    }
  } finally {
    await store.close();
  }
  return tokens.map((t, i) => ({ method: "POST", path: `/v1/candidate/${t}/join`, headers: { "x-candidate-session": keys[i]! } }));
}

/**
 * Each session's first admission, `CONNECTIONS` at a time from this process: it also creates the
 * interview's LiveKit room and dispatches its monitor, so it is timed apart from the re-admissions.
 */
async function firstJoins(urls: string[], requests: Request[]): Promise<Figure> {
  const latencies: number[] = [];
  let next = 0;
  let failed = 0;
  const started = performance.now();
  const work = async () => {
    while (next < requests.length) {
      const url = urls[next % urls.length]!;
      const r = requests[next++]!;
      const t = performance.now();
      const res = await fetch(`${url}${r.path}`, { method: r.method, headers: r.headers });
      await res.arrayBuffer();
      latencies.push(performance.now() - t);
      if (!res.ok) failed++;
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, work));
  return { rps: requests.length / ((performance.now() - started) / 1000), p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), failed };
}

async function countInterviews(kit: BenchKit): Promise<number> {
  const store = await openStore(kit.databaseUrl);
  try {
    return (await store.listInterviews(1_000_000_000, 0)).length;
  } finally {
    await store.close();
  }
}

async function topUp(kit: BenchKit, target: number): Promise<void> {
  const have = await countInterviews(kit);
  if (have < target) {
    process.stdout.write(`  seeding ${target - have} interviews…\n`);
    await createInterviews(kit.url, target - have, 64);
  }
}

async function benchBackend(name: string, databaseUrl?: string, processes = 1): Promise<Record<string, Figure>> {
  process.stdout.write(`\n${name}: starting ${processes === 1 ? "the kit" : `${processes} kit processes`}…\n`);
  const kit = await startBenchKit(databaseUrl, processes);
  try {
    const list: Request = { method: "GET", path: "/v1/interviews?limit=50", headers: auth };
    const figures: Record<string, Figure> = {};
    figures.healthz = await measure(kit.urls, [{ method: "GET", path: "/healthz" }]);
    // Before any creation scenario, so the first list figure is at about 1,000 interviews.
    await topUp(kit, 1_000);
    figures[`list@${await countInterviews(kit)}`] = await measure(kit.urls, [list]);
    figures.create = await measure(kit.urls, [{ method: "POST", path: "/v1/interviews", headers: auth, body: CREATE_BODY }]);
    await topUp(kit, LARGE);
    figures[`list@${await countInterviews(kit)}`] = await measure(kit.urls, [list]);
    // Last: without a verifier worker the joins leave monitor dispatches behind that would slow what follows.
    const joins = await joinRequests(kit);
    figures["join (first)"] = await firstJoins(kit.urls, joins);
    figures.join = await measure(kit.urls, joins);
    return figures;
  } finally {
    await kit.stop();
  }
}

function table(name: string, figures: Record<string, Figure>): string {
  const ceiling = figures.healthz!.rps;
  const rows = Object.entries(figures).map(
    ([k, f]) =>
      `| ${k.padEnd(14)} | ${fmt(f.rps, 0).padStart(8)} | ${fmt(f.rps / ceiling, 3).padStart(8)} | ${fmt(f.p50, 1).padStart(7)} | ${fmt(f.p99, 1).padStart(7)} | ${String(f.failed).padStart(6)} |`,
  );
  return [
    `\n${name} (${TOOL}, medians of ${RUNS} runs × ${SECONDS} s, ${CONNECTIONS} connections)`,
    "| scenario       |    req/s | ×healthz |  p50 ms |  p99 ms | failed |",
    "|----------------|---------:|---------:|--------:|--------:|-------:|",
    ...rows,
  ].join("\n");
}

const which = arg("db", "sqlite");
const results: Record<string, Record<string, Figure>> = {};
if (which === "sqlite" || which === "both") results.sqlite = await benchBackend("SQLite");
if (which === "postgres" || which === "both") {
  // A throwaway cluster like the test suite's (Debian's postgresql, loopback, in .cache/), unless one is given.
  const given = process.env.BENCH_DATABASE_URL;
  const cluster = given ? undefined : await startTestPostgres();
  try {
    // An empty database per pass, so each one's list figures start at about 1,000 interviews.
    const database = async (name: string) => {
      if (given) return given;
      const admin = new pg.Client({ connectionString: cluster!.url });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name} TEMPLATE template0`);
      await admin.end();
      return cluster!.url.replace(/\/[^/]*$/, `/${name}`);
    };
    results.postgres = await benchBackend("Postgres", await database("bench_server"));
    if (PROCESSES > 1 && !given) {
      results[`postgres, ${PROCESSES} processes`] = await benchBackend("Postgres", await database("bench_server_multi"), PROCESSES);
    }
  } finally {
    await cluster?.stop();
  }
}
for (const [name, figures] of Object.entries(results)) console.log(table(name, figures));
fs.writeFileSync(path.join(import.meta.dirname, "server-results.json"), JSON.stringify({ at: new Date().toISOString(), tool: TOOL, results }, null, 2));
