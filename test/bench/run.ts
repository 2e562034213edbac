/**
 * Candidate-page benchmark: real kit server + real livekit-server on loopback
 * + the real verifier worker, headless Chromium whose camera is the test-only
 * mesh-face player (a live 3D render of the astronaut photo at 15 fps whose head
 * follows the page's follow target, 300 ms behind through an 80 ms low pass), on
 * the production `follow` challenge. A fixed schedule seed (test configuration)
 * gives every run the same pause and target path. Each run is a fresh
 * browser (cold cache) that clicks consent and waits for admission (or a
 * failure state), then reads the page's own performance entries, a few
 * observers installed before the page ran, the player's log (targets received,
 * frames rendered), and a Chromium trace of the renderer main thread. One check
 * attempt per run: a failed check is the run's outcome.
 *
 * The page's own face detection is guidance only now (oval-fit hints before it
 * connects to the verification room); the verifier judges the published video.
 * Its `verify-kit:detect` measures therefore cover the guidance window only.
 *
 * Prints figures only (no pass/fail): medians and ratios, because shared
 * machines are noisy. Usage:
 *   npm run bench -- [--runs=3] [--no-trace] [--no-build] [--save-trace=DIR]
 * Writes the summary as JSON to test/bench/last-results.json (not tracked).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { launchBrowser, loopbackContext } from "../helpers/browser.js";
import { SETTLED_STATES } from "../helpers/candidate-page.js";
import { startKit } from "../helpers/kit-server.js";
import { installMeshPlayer, MESH_PLAYER_DEFAULTS, type MeshPlayerState, meshPlayerState } from "../helpers/mesh-player.js";
import { analyse, CAMERA_FPS, KINDS, type RunResult } from "./page-analysis.js";
import { COLLECT_EXPRESSION, INIT_SCRIPT, type PageProbe } from "./page-probe.js";
import { ROWS, runTable, summariseEncodings, summaryTable, transferTable } from "./page-report.js";
import { fmt, median, pct } from "./stats.js";
import { TRACE_CATEGORIES } from "./trace.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const RESULTS_FILE = path.join(import.meta.dirname, "last-results.json");
/** livekit-server takes this port and the next two (clear of the test suites' bases); the kit's HTTP port is ephemeral. */
const PORT_BASE = 18050;
const FINAL_STATES = [...SETTLED_STATES, "link_error"];
/** A fixed schedule seed (test configuration only), so runs and invocations get the same pause and target path. */
const SEED = "bench-page";
const RUN_TIMEOUT_MS = 180_000;

// ---------------------------------------------------------------- arguments

function argValue(name: string): string | undefined {
  const prefix = `--${name}=`;
  return process.argv.slice(2).find((a) => a.startsWith(prefix))?.slice(prefix.length);
}
const hasFlag = (name: string) => process.argv.slice(2).includes(`--${name}`);

const RUNS = Math.max(1, Number.parseInt(argValue("runs") ?? "3", 10) || 3);
const TRACE = !hasFlag("no-trace");
const SAVE_TRACE_DIR = argValue("save-trace");

// ---------------------------------------------------------------- prerequisites

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds the client when it is missing, or older than its sources (a stale bundle would measure old code). */
function ensureBuild(): void {
  const marker = path.join(ROOT, "dist/client/candidate/index.html");
  const wasmDir = path.join(ROOT, "build/public/vendor");
  let reason: string | undefined;
  if (!fs.existsSync(marker) || !fs.existsSync(wasmDir)) reason = "build outputs missing";
  else if (!hasFlag("no-build")) {
    const sources = Math.max(newestMtime(path.join(ROOT, "client")), newestMtime(path.join(ROOT, "shared")));
    if (sources > fs.statSync(marker).mtimeMs) reason = "client sources newer than dist/client";
  }
  if (!reason) return;
  console.error(`bench: ${reason}; running npm run build`);
  execFileSync("npm", ["run", "build", "--silent"], { cwd: ROOT, stdio: "inherit" });
}

const d = MESH_PLAYER_DEFAULTS;
const CAMERA = `mesh-face player (astronaut, ${d.fps} fps, reaction ${d.reactionMs} ms, low pass ${d.smoothingMs} ms)`;

// ---------------------------------------------------------------- one run

async function runOnce(kit: Awaited<ReturnType<typeof startKit>>, run: number, seed: string): Promise<RunResult> {
  const { json } = await kit.api.createInterview({ candidate: { name: `Bench run ${run}` } });
  let browser: Browser | undefined;
  try {
    browser = await launchBrowser({ camera: null });
    // Everything the page needs comes from loopback; anything else would be a leak, and would skew the figures.
    const context = await loopbackContext(browser);
    await installMeshPlayer(context);
    await context.addInitScript(INIT_SCRIPT);
    const page = await context.newPage();

    // The headers the network stack really sent (Playwright's view of a routed request omits Accept-Encoding).
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    const requestUrls = new Map<string, string>();
    const sentAcceptEncoding = new Map<string, string>();
    const receivedEncoding = new Map<string, string>();
    const header = (headers: Record<string, unknown>, name: string) =>
      String(Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1] ?? "");
    cdp.on("Network.requestWillBeSent", (e) => requestUrls.set(e.requestId, e.request.url));
    cdp.on("Network.requestWillBeSentExtraInfo", (e) => sentAcceptEncoding.set(e.requestId, header(e.headers, "accept-encoding")));
    cdp.on("Network.responseReceived", (e) => receivedEncoding.set(e.requestId, header(e.response.headers, "content-encoding") || "identity"));

    if (TRACE) await browser.startTracing(page, { categories: TRACE_CATEGORIES });
    await page.goto(`${json.candidateUrl}?testSeed=${encodeURIComponent(seed)}`);
    await page.click("#consent");
    await page.waitForSelector(FINAL_STATES.map((s) => `body[data-state=${s}]`).join(", "), { timeout: RUN_TIMEOUT_MS });
    const probe = (await page.evaluate(COLLECT_EXPRESSION)) as PageProbe;
    const player = (await meshPlayerState(page)) as MeshPlayerState | undefined;
    const traceBuffer = TRACE ? await browser.stopTracing() : undefined;
    if (traceBuffer && SAVE_TRACE_DIR) {
      fs.mkdirSync(SAVE_TRACE_DIR, { recursive: true });
      fs.writeFileSync(path.join(SAVE_TRACE_DIR, `run-${run}.json`), traceBuffer);
    }
    const encodings: RunResult["encodings"] = {};
    for (const [id, url] of requestUrls) {
      if (!/\.(wasm|m?js|css|tflite)$/.test(new URL(url).pathname)) continue;
      encodings[url] = { acceptEncoding: sentAcceptEncoding.get(id) ?? "?", contentEncoding: receivedEncoding.get(id) ?? "?" };
    }
    let outcome = probe.state ?? "unknown";
    if (outcome !== "in_interview") {
      const detail = await page.locator("[data-failure]").first().getAttribute("data-failure").catch(() => null);
      if (detail) outcome += ` (${detail})`;
    }
    return analyse(run, outcome, probe, player, traceBuffer, encodings);
  } finally {
    await browser?.close();
  }
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  ensureBuild();
  const seed = SEED;
  console.log(`Candidate-page benchmark: ${RUNS} run(s), follow challenge, schedule seed ${seed}, camera: ${CAMERA}, verifier worker on`);
  console.log(`Machine: ${os.cpus().length} CPU(s) ${os.cpus()[0]?.model ?? ""}, Node ${process.version}; trace ${TRACE ? "on" : "off"}\n`);

  const kit = await startKit({ isolated: { portBase: PORT_BASE, worker: true } });
  const results: RunResult[] = [];
  try {
    for (let run = 1; run <= RUNS; run++) {
      const started = Date.now();
      const r = await runOnce(kit, run, seed);
      results.push(r);
      console.log(
        `Run ${run}/${RUNS} (${((Date.now() - started) / 1000).toFixed(0)} s wall; prompts: ${r.prompts.join(", ") || "none"}; ${r.metrics.targetsReceived} target moves)`,
      );
      console.log(runTable(r));
      console.log("");
    }
  } finally {
    await kit.stop();
  }

  const env = results[0]!.environment;
  console.log(`Summary over ${results.length} run(s) — Chromium: ${env.userAgent.match(/Chrome\/[\d.]+/)?.[0] ?? env.userAgent}, hardwareConcurrency ${env.hardwareConcurrency}, WebGL ${env.webgl ?? "unavailable"}`);
  console.log(summaryTable(results));
  console.log("");
  console.log(transferTable(results));
  console.log("Encodings negotiated (run 1):");
  for (const line of summariseEncodings(results[0]!)) console.log(line);

  const fps = median(results.map((r) => r.metrics.analysedFps!));
  const summary = {
    date: new Date().toISOString(),
    runs: results.length,
    seed,
    steps: results[0]!.prompts,
    camera: CAMERA,
    cameraFps: CAMERA_FPS,
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version },
    environment: env,
    trace: TRACE,
    median: Object.fromEntries(ROWS.map(([key]) => [key, median(results.map((r) => r.metrics[key]!))])),
    transferMedian: Object.fromEntries(
      [...KINDS, "total" as const].map((k) => [
        k,
        Object.fromEntries((["requests", "transfer", "encoded", "decoded"] as const).map((f) => [f, median(results.map((r) => r.transfer[k][f]))])),
      ]),
    ),
    perRun: results.map((r) => ({ run: r.run, outcome: r.outcome, metrics: r.metrics, transfer: r.transfer, encodings: r.encodings })),
    resourcesRun1: results[0]!.resources.map((r) => ({
      url: r.name.replace(/\/c\/[^/?]+/, "/c/:token").replace(/\/candidate\/[^/?]+/, "/candidate/:token"),
      kind: r.kind,
      initiatorType: r.initiatorType,
      transferSize: r.transferSize,
      encodedBodySize: r.encodedBodySize,
      decodedBodySize: r.decodedBodySize,
    })),
  };
  fs.writeFileSync(RESULTS_FILE, `${JSON.stringify(summary, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2)}\n`);
  console.log(`\nJSON summary written to ${path.relative(ROOT, RESULTS_FILE)}`);
  const verified = median(results.map((r) => r.metrics.grantedToVerifiedS!));
  console.log(`Guidance detection: ${fmt(fps, 1)} fps (${pct(fps / CAMERA_FPS)} of camera frames); camera granted → verified: ${fmt(verified, 1)} s (median)`);
}

// The kit's rtc/livekit handles can outlive the browsers: exit explicitly.
main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
