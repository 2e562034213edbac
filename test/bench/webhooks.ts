/**
 * Outgoing-webhook benchmark, with real parts: the kit's SQLite outbox and dispatcher, real
 * loopback HTTP receivers in a process of their own, and for part B the real kit process
 * (`server/main.ts`) loaded with autocannon.
 *
 * A. Drain: N deliveries (default 2000) queued through the outbox with their events, then sent
 *    by the dispatcher to a receiver that answers 204 at once; deliveries per second until the
 *    outbox is empty. 3 runs, median.
 * B. Cost to the API: `POST /v1/interviews` throughput (autocannon, 10 connections) against a kit
 *    with the dispatcher running and 3 endpoints subscribed to every event, against the same
 *    kit with no endpoint. Runs alternate (none, hooks, none...), 3 each, a fresh data folder
 *    each time; the median of each and their ratio. Goal: at most 5 % slower with webhooks.
 *
 * Usage: npm run bench:webhooks   (N=2000 RUNS=3 DURATION=10 CONNECTIONS=10 PARTS=A,B to change the run;
 * PROFILE_DIR=/tmp/prof writes the kit's CPU profiles)
 * Writes the raw numbers to test/bench/webhooks-results.json. Needs the build (`npm run build`).
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { SqliteStore } from "../../server/store/index.js";
import { WebhookDispatcher, webhookOutbox } from "../../server/webhooks-out/index.js";
import { startKitProcess } from "../helpers/kit-child.js";
import { treeStats } from "./proc-cpu.js";
import { fmt, median } from "./stats.js";

const N = Number(process.env.N ?? 2000);
const RUNS = Number(process.env.RUNS ?? 3);
const DURATION = Number(process.env.DURATION ?? 10);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 10);
const PARTS = (process.env.PARTS ?? "A,B").split(",");
/** Where the kit processes of part B write CPU profiles (`--cpu-prof`), one folder per mode; unset: none. */
const PROFILE_DIR = process.env.PROFILE_DIR;
const ENDPOINTS = 3;
const API_KEY = "bench-webhooks-key-0123456789abcdef";
const GOAL_SLOWDOWN = 0.05;

interface CannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}
// autocannon ships no types: only the fields read here are declared.
const autocannon = createRequire(import.meta.url)("autocannon") as (opts: Record<string, unknown>) => Promise<CannonResult>;

/** A receiver process answering every POST with 204 at once; GET /count says how many it got. */
async function startReceiverProcess(): Promise<{ child: ChildProcess; base: string; count: () => Promise<number> }> {
  const script = `
    const http = require("node:http");
    let n = 0;
    const server = http.createServer((req, res) => {
      if (req.method === "GET") return res.end(String(n));
      req.resume();
      req.on("end", () => { n++; res.writeHead(204).end(); });
    });
    server.keepAliveTimeout = 30000;
    server.listen(0, "127.0.0.1", () => console.log(server.address().port));`;
  const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve) => child.stdout!.once("data", (c: Buffer) => resolve(Number(c.toString().trim()))));
  const base = `http://127.0.0.1:${port}`;
  return { child, base, count: async () => Number(await (await fetch(`${base}/count`)).text()) };
}

async function drainRun(receiver: { base: string; count: () => Promise<number> }, batch: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-hooks-"));
  const store = new SqliteStore(path.join(dir, "kit.db"));
  const at = new Date().toISOString();
  await store.webhooks.createEndpoint({
    id: "ep_bench",
    url: `${receiver.base}/hook`,
    description: null,
    events: null,
    secret: `whsec_${Buffer.alloc(32, 7).toString("base64")}`,
    previousSecret: null,
    previousSecretExpiresAt: null,
    createdAt: at,
    disabledAt: null,
  });
  const fillStart = performance.now();
  for (let i = 0; i < N; i++) {
    const id = `iv_bench_${i}`;
    await store.createInterview({
      id,
      status: "created",
      candidateName: "Bench",
      room: `room-${id}`,
      candidateTokenHash: `c-${id}`,
      interviewerTokenHash: `i-${id}`,
      createdAt: at,
      expiresAt: "2099-01-01T00:00:00.000Z",
      interviewerExpiresAt: "2099-01-01T00:00:00.000Z",
    });
    await store.addEvent({ interviewId: id, type: "interview_created", actor: "system", at }, webhookOutbox);
  }
  const fillMs = performance.now() - fillStart;
  const before = await receiver.count();
  const dispatcher = new WebhookDispatcher({ store: store.webhooks, allowPrivateUrls: true, batch });
  const start = performance.now();
  let sent = 0;
  for (let n; (n = await dispatcher.tick()) > 0; ) sent += n;
  const drainMs = performance.now() - start;
  const received = (await receiver.count()) - before;
  const undelivered = (await store.webhooks.listDeliveries("ep_bench", N + 1)).filter((d) => d.status !== "delivered").length;
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
  if (sent !== N || received !== N || undelivered !== 0) throw new Error(`drain: sent ${sent}, received ${received}, undelivered ${undelivered} of ${N}`);
  return { batch, fillMs, drainMs, perSecond: (N / drainMs) * 1000, outboxInsertsPerSecond: (N / fillMs) * 1000 };
}

/** CPU time (user + system, ms) a process has used so far, from /proc. */
const cpuMs = (pid: number) => treeStats(pid).find((s) => s.pid === pid)?.cpuMs ?? Number.NaN;

async function apiRun(mode: "none" | "hooks", receiver: { base: string; child: ChildProcess }) {
  const receiverBase = receiver.base;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-hooks-kit-"));
  const kit = await startKitProcess({
    DATA_DIR: dir,
    DATABASE_URL: path.join(dir, "kit.db"),
    API_KEYS: API_KEY,
    LIVEKIT_URL: "ws://127.0.0.1:9",
    LIVEKIT_API_KEY: "unused-key",
    LIVEKIT_API_SECRET: "unused-secret-0123456789abcdef0123456789",
    WEBHOOK_ALLOW_PRIVATE_URLS: "true",
    NODE_ENV: "production",
  }, PROFILE_DIR ? { nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${path.join(PROFILE_DIR, mode)}`] } : {});
  const headers = { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" };
  try {
    if (mode === "hooks") {
      for (let i = 0; i < ENDPOINTS; i++) {
        const res = await fetch(`${kit.url}/v1/webhook-endpoints`, { method: "POST", headers, body: JSON.stringify({ url: `${receiverBase}/hook/${i}` }) });
        if (res.status !== 201) throw new Error(`registering an endpoint: ${res.status} ${await res.text()}`);
      }
    }
    const body = JSON.stringify({ candidate: { name: "Bench Candidate", email: "bench@example.com" } });
    const opts = { url: `${kit.url}/v1/interviews`, method: "POST", headers, body, connections: CONNECTIONS };
    await autocannon({ ...opts, duration: 2 }); // warm-up: JIT, SQLite pages, keep-alive sockets
    const db = new Database(path.join(dir, "kit.db"), { readonly: true });
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    const undelivered = () => count("SELECT count(*) AS n FROM webhook_deliveries WHERE status != 'delivered'");
    // Let the warm-up's deliveries go out first, so the window holds only its own work.
    for (const until = Date.now() + 60_000; undelivered() > 0 && Date.now() < until; ) await new Promise((r) => setTimeout(r, 100));
    const pid = kit.child.pid!;
    const cpu0 = { kit: cpuMs(pid), receiver: cpuMs(receiver.child.pid!) };
    const deliveries0 = count("SELECT count(*) AS n FROM webhook_deliveries");
    const r = await autocannon({ ...opts, duration: DURATION });
    const cpuWindow = cpuMs(pid) - cpu0.kit;
    const backlog = undelivered();
    // Then until the outbox is empty: the CPU each interview costs with its deliveries sent.
    const drainStart = Date.now();
    while (undelivered() > 0 && Date.now() - drainStart < 120_000) await new Promise((r) => setTimeout(r, 100));
    const drainedAfterMs = Date.now() - drainStart;
    const cpuTotal = cpuMs(pid) - cpu0.kit;
    const receiverCpu = cpuMs(receiver.child.pid!) - cpu0.receiver;
    const deliveries = count("SELECT count(*) AS n FROM webhook_deliveries") - deliveries0;
    db.close();
    const created = r.requests.total;
    return {
      mode,
      reqPerSec: r.requests.average,
      total: created,
      p50: r.latency.p50,
      p99: r.latency.p99,
      non2xx: r.non2xx,
      errors: r.errors,
      deliveries,
      backlog,
      drainedAfterMs,
      /** Kit CPU per created interview during the load window, and until its deliveries were all sent. */
      cpuMsPerInterview: cpuWindow / created,
      cpuMsPerInterviewWithDeliveries: cpuTotal / created,
      /** The receiver process shares this machine's cores: CPU it used for the run. */
      receiverCpuMs: receiverCpu,
    };
  } finally {
    await kit.kill("SIGTERM");
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const receiver = await startReceiverProcess();
  try {
    console.log(`A. Draining ${N} deliveries to a loopback receiver (204 at once), ${RUNS} runs per batch size`);
    const drains: Array<Awaited<ReturnType<typeof drainRun>>> = [];
    for (const batch of PARTS.includes("A") ? [50, 200] : []) {
      for (let i = 0; i < RUNS; i++) {
        const r = await drainRun(receiver, batch);
        drains.push(r);
        console.log(`  batch ${batch} run ${i + 1}: ${fmt(r.perSecond, 0)} deliveries/s (drain ${fmt(r.drainMs / 1000, 2)} s; queued with their events at ${fmt(r.outboxInsertsPerSecond, 0)}/s)`);
      }
    }
    const drainMedian = (batch: number) => median(drains.filter((d) => d.batch === batch).map((d) => d.perSecond));
    console.log(`  median: ${fmt(drainMedian(50), 0)} deliveries/s (batch 50, the default), ${fmt(drainMedian(200), 0)} (batch 200)`);

    console.log(`\nB. POST /v1/interviews, autocannon ${CONNECTIONS} connections × ${DURATION} s, ${RUNS} runs each, alternating`);
    const api: Array<Awaited<ReturnType<typeof apiRun>>> = [];
    for (let i = 0; i < (PARTS.includes("B") ? RUNS : 0); i++) {
      for (const mode of ["none", "hooks"] as const) {
        const r = await apiRun(mode, receiver);
        api.push(r);
        console.log(
          `  ${mode.padEnd(5)} run ${i + 1}: ${fmt(r.reqPerSec, 0)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, non-2xx ${r.non2xx}, errors ${r.errors}; ` +
            `kit CPU ${fmt(r.cpuMsPerInterview, 2)} ms/interview (${fmt(r.cpuMsPerInterviewWithDeliveries, 2)} with its deliveries sent); ` +
            `${r.deliveries} deliveries, ${r.backlog} still queued at the end, all sent ${fmt(r.drainedAfterMs / 1000, 1)} s later; receiver CPU ${fmt(r.receiverCpuMs, 0)} ms`,
        );
      }
    }
    const med = (mode: string, key: "reqPerSec" | "p50" | "p99" | "cpuMsPerInterview" | "cpuMsPerInterviewWithDeliveries") =>
      median(api.filter((r) => r.mode === mode).map((r) => r[key]));
    const none = med("none", "reqPerSec");
    const hooks = med("hooks", "reqPerSec");
    const slowdown = 1 - hooks / none;
    const row = (label: string, mode: string, rate: number) =>
      `| ${label} | ${fmt(rate, 0)} | ${med(mode, "p50")} | ${med(mode, "p99")} | ${fmt(med(mode, "cpuMsPerInterview"), 2)} | ${fmt(med(mode, "cpuMsPerInterviewWithDeliveries"), 2)} |`;
    console.log("\n| kit | req/s (median) | p50 ms | p99 ms | kit CPU ms/interview (load window) | kit CPU ms/interview (deliveries sent) |\n|---|---|---|---|---|---|");
    console.log(row("no endpoints", "none", none));
    console.log(row("3 endpoints, dispatcher running", "hooks", hooks));
    console.log(`\nratio ${fmt(hooks / none, 3)}: ${fmt(slowdown * 100, 1)} % slower with webhooks (goal ≤ ${GOAL_SLOWDOWN * 100} %) — ${slowdown <= GOAL_SLOWDOWN ? "met" : "NOT met"}`);

    const results = {
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version, loadavg: os.loadavg() },
      settings: { N, RUNS, DURATION, CONNECTIONS, ENDPOINTS },
      drain: { runs: drains, medianPerSecond: { batch50: drainMedian(50), batch200: drainMedian(200) } },
      api: { runs: api, medianReqPerSec: { none, hooks }, ratio: hooks / none, slowdown },
    };
    fs.writeFileSync(path.join(import.meta.dirname, "webhooks-results.json"), JSON.stringify(results, null, 2) + "\n");
  } finally {
    receiver.child.kill();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
