/**
 * Candidate-page benchmark: real kit server + real livekit-server on loopback
 * + the real verifier worker, headless Chromium whose camera is the test-only
 * reactive player (real cap12 webcam footage that plays the prompted move
 * ~350 ms after each verifier prompt shows on the page). Each run is a fresh
 * browser (cold cache) that clicks consent and waits for admission (or a
 * failure state), then reads the page's own performance entries, a few
 * observers installed before the page ran, the player's log, and a Chromium
 * trace of the renderer main thread.
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
import { installReactivePlayer, PLAYER_DIR, type PlayerState, playerClips } from "../helpers/reactive-player.js";
import { COLLECT_EXPRESSION, INIT_SCRIPT, type PageProbe, type PageResource } from "./page-probe.js";
import { fmt, kib, median, pct, quantile, sum, table, unionLength } from "./stats.js";
import { mainThreadTasks, TRACE_CATEGORIES } from "./trace.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const RESULTS_FILE = path.join(import.meta.dirname, "last-results.json");
/** livekit-server takes this port and the next two (clear of the test suites' bases); the kit's HTTP port is ephemeral. */
const PORT_BASE = 18050;
/** The reactive player's canvas camera runs at 30 frames a second. */
const CAMERA_FPS = 30;
const FINAL_STATES = [...SETTLED_STATES, "link_error"];
/** A fixed schedule seed (test configuration only), so runs and invocations prompt the same moves. */
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

/** The reactive player's clips (cut from cap12 by scripts/make-player-clips.sh when missing). */
function ensurePlayerClips(): void {
  playerClips();
}

// ---------------------------------------------------------------- one run

type Kind = "js/css" | "wasm" | "model" | "other";
const KINDS: Kind[] = ["js/css", "wasm", "model", "other"];

function kindOf(r: PageResource): Kind {
  let p = r.name;
  try {
    p = new URL(r.name).pathname;
  } catch {}
  if (p.endsWith(".wasm")) return "wasm";
  if (p.endsWith(".tflite") || p.startsWith("/models/")) return "model";
  if (/\.(m?js|css)$/.test(p)) return "js/css";
  return "other";
}

interface Transfer {
  requests: number;
  transfer: number;
  encoded: number;
  decoded: number;
}

interface RunResult {
  run: number;
  outcome: string;
  metrics: Record<string, number>;
  transfer: Record<Kind | "total", Transfer>;
  encodings: Record<string, { acceptEncoding: string; contentEncoding: string }>;
  environment: { userAgent: string; hardwareConcurrency: number; webgl: string | null };
  resources: Array<PageResource & { kind: Kind }>;
  /** The prompted moves, in the order the page showed them. */
  prompts: string[];
}

async function runOnce(kit: Awaited<ReturnType<typeof startKit>>, run: number, seed: string): Promise<RunResult> {
  const { json } = await kit.api.createInterview({ candidate: { name: `Bench run ${run}` } });
  let browser: Browser | undefined;
  try {
    browser = await launchBrowser({ camera: null });
    // Everything the page needs comes from loopback; anything else would be a leak, and would skew the figures.
    const context = await loopbackContext(browser);
    await installReactivePlayer(context, { mode: "cooperative" });
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
    const player = (await page.evaluate("window.__player")) as PlayerState | undefined;
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

function analyse(
  run: number,
  outcome: string,
  p: PageProbe,
  player: PlayerState | undefined,
  traceBuffer: Buffer | undefined,
  encodings: RunResult["encodings"],
): RunResult {
  const m: Record<string, number> = {};
  const stateAt = (name: string) => p.states.find(([s]) => s === name)?.[1];

  // 1. Per-frame detection time (the page's guidance detector, before it connects to the verifier).
  const durations = p.detects.map(([, d]) => d);
  m.detectMedianMs = median(durations);
  m.detectP95Ms = quantile(durations, 0.95);
  m.detectMaxMs = durations.length ? Math.max(...durations) : Number.NaN;
  // The first call also warms up the WASM graph and its GL context.
  m.firstDetectMs = durations[0] ?? Number.NaN;

  // 2. Frames analysed per second over the guidance window (first to last detect).
  const n = p.detects.length;
  const first = p.detects[0];
  const last = p.detects.at(-1);
  const winStart = first?.[0] ?? Number.NaN;
  const winEnd = last ? last[0] + last[1] : Number.NaN;
  const spanMs = winEnd - winStart;
  m.framesAnalysed = n;
  m.challengeS = spanMs / 1000;
  // Frame-to-frame rate: n analysed frames make n - 1 intervals between the first and last start.
  m.analysedFps = n > 1 ? ((n - 1) * 1000) / (last![0] - first![0]) : Number.NaN;
  m.analysedShareOf30 = m.analysedFps / CAMERA_FPS;
  // What the camera actually presented to the page over the same window (rVFC presentedFrames).
  const frames = p.frames.filter(([t]) => t >= winStart && t <= winEnd);
  if (frames.length > 1) {
    const [t0, f0] = frames[0]!;
    const [t1, f1] = frames.at(-1)!;
    m.cameraFps = ((f1 - f0) * 1000) / (t1 - t0);
    m.analysedShareOfPresented = m.analysedFps / m.cameraFps;
  } else {
    m.cameraFps = Number.NaN;
    m.analysedShareOfPresented = Number.NaN;
  }
  // Gaps between analysed frames: at 30 fps every gap is ~33 ms.
  const gaps = p.detects.slice(1).map(([s], i) => s - p.detects[i]![0]);
  m.frameGapMedianMs = median(gaps);
  m.frameGapP95Ms = quantile(gaps, 0.95);

  // 3. Main-thread time during guidance.
  m.detectShare = sum(durations) / spanMs;
  const inWindow = (list: Array<[number, number, ...number[]]>) =>
    list.filter(([s, d]) => s + d > winStart && s < winEnd).map(([s, d]) => [s, s + d] as const);
  const longtasks = inWindow(p.longtasks);
  m.longTasks = longtasks.length;
  m.longTaskShare = unionLength(longtasks, winStart, winEnd) / spanMs;
  m.longTaskMsPerFrame = unionLength(longtasks, winStart, winEnd) / n;
  const loafs = p.loafs.filter(([s, d]) => s + d > winStart && s < winEnd);
  m.longAnimationFrames = loafs.length;
  m.loafBlockingMsPerFrame = sum(loafs.map(([, , blocking]) => blocking)) / n;
  m.mainBusyShare = Number.NaN;
  m.mainBusyMsPerFrame = Number.NaN;
  m.otherMainMsPerFrame = Number.NaN;
  m.mainBusyShareWholeFlow = Number.NaN;
  m.mainBusyShareVerification = Number.NaN;
  if (traceBuffer && n > 1) {
    const main = mainThreadTasks(traceBuffer, p.marks);
    if (main) {
      const busy = unionLength(main.tasks, winStart, winEnd);
      m.mainBusyShare = busy / spanMs;
      m.mainBusyMsPerFrame = busy / n;
      m.otherMainMsPerFrame = (busy - sum(durations)) / n;
      const flowEnd = stateAt("in_interview") ?? p.now;
      if (p.consentAt !== null) m.mainBusyShareWholeFlow = unionLength(main.tasks, p.consentAt, flowEnd) / (flowEnd - p.consentAt);
      // While the verifier judges: the page publishes its camera and shows prompts.
      const verifyEnd = stateAt("joining") ?? stateAt("check_failed") ?? p.now;
      if (verifyEnd > winEnd) m.mainBusyShareVerification = unionLength(main.tasks, winEnd, verifyEnd) / (verifyEnd - winEnd);
    }
  }

  // 4. Camera granted → first detection (cold: model and WASM fetched and compiled in this fresh browser).
  const granted = p.marks["verify-kit:camera-granted"];
  const firstDetection = p.marks["verify-kit:first-detection"];
  m.grantedToFirstDetectionMs = (firstDetection ?? Number.NaN) - (granted ?? Number.NaN);
  m.grantedToModelReadyMs = (stateAt("face_check") ?? Number.NaN) - (granted ?? Number.NaN);

  // 6. Consent → admission, and its phases.
  const consent = p.consentAt ?? Number.NaN;
  const admitted = stateAt("in_interview") ?? Number.NaN;
  m.consentToGrantedMs = (granted ?? Number.NaN) - consent;
  m.consentToAdmissionS = (admitted - consent) / 1000;
  m.lastDetectionToAdmissionMs = admitted - winEnd;

  // 7. The server-side verification, as the page lived it: guidance, connecting, prompts, verdict (joining), admission.
  const verified = stateAt("joining") ?? Number.NaN;
  m.guidanceMs = winEnd - (stateAt("face_check") ?? Number.NaN);
  m.grantedToVerifiedS = (verified - (granted ?? Number.NaN)) / 1000;
  m.lastDetectionToVerifiedS = (verified - winEnd) / 1000;
  m.verifiedToAdmittedMs = admitted - verified;
  const pageTime = (epochMs: number | undefined) => (epochMs === undefined ? Number.NaN : epochMs - p.timeOrigin);
  m.grantedToFirstPromptMs = pageTime(player?.prompts[0]?.at) - (granted ?? Number.NaN);
  m.lastDetectionToFirstPromptMs = pageTime(player?.prompts[0]?.at) - winEnd;
  m.promptsShown = player?.prompts.length ?? Number.NaN;
  m.movesPlayed = player?.played.length ?? Number.NaN;
  m.playerReactionMedianMs = median((player?.played ?? []).map((e) => (e.firstFrameAt ?? e.at) - e.promptAt));

  // 5. Transfer sizes, compressed and decoded.
  const resources = p.resources.map((r) => ({ ...r, kind: kindOf(r) }));
  const transfer = {} as RunResult["transfer"];
  for (const k of [...KINDS, "total"] as const) {
    const rs = k === "total" ? resources : resources.filter((r) => r.kind === k);
    transfer[k] = {
      requests: rs.length,
      transfer: sum(rs.map((r) => r.transferSize)),
      encoded: sum(rs.map((r) => r.encodedBodySize)),
      decoded: sum(rs.map((r) => r.decodedBodySize)),
    };
  }
  m.transferTotalBytes = transfer.total.transfer;
  m.decodedTotalBytes = transfer.total.decoded;

  return {
    run,
    outcome,
    metrics: m,
    transfer,
    encodings,
    environment: { userAgent: p.userAgent, hardwareConcurrency: p.hardwareConcurrency, webgl: p.webgl },
    resources,
    prompts: (player?.prompts ?? []).map((x) => x.step),
  };
}

// ---------------------------------------------------------------- report

const ROWS: Array<[key: string, label: string, show: (v: number) => string]> = [
  ["detectMedianMs", "guidance detect per frame, median", (v) => fmt(v, 1, " ms")],
  ["detectP95Ms", "guidance detect per frame, p95", (v) => fmt(v, 1, " ms")],
  ["firstDetectMs", "first detect call (warm-up)", (v) => fmt(v, 0, " ms")],
  ["framesAnalysed", "frames analysed by the page (guidance)", (v) => fmt(v, 0)],
  ["challengeS", "guidance span (first→last detect)", (v) => fmt(v, 1, " s")],
  ["analysedFps", "guidance frames analysed per second", (v) => fmt(v, 1, " fps")],
  ["analysedShareOf30", "  ÷ camera 30 fps", (v) => pct(v)],
  ["cameraFps", "camera frames presented per second", (v) => fmt(v, 1, " fps")],
  ["analysedShareOfPresented", "  analysed ÷ presented", (v) => pct(v)],
  ["frameGapMedianMs", "gap between analysed frames, median", (v) => fmt(v, 1, " ms")],
  ["frameGapP95Ms", "gap between analysed frames, p95", (v) => fmt(v, 1, " ms")],
  ["detectShare", "detect ÷ guidance wall time", (v) => pct(v)],
  ["mainBusyShare", "main thread busy ÷ guidance wall time (trace)", (v) => pct(v)],
  ["mainBusyMsPerFrame", "main-thread busy per analysed frame (trace)", (v) => fmt(v, 1, " ms")],
  ["otherMainMsPerFrame", "  of which outside detect", (v) => fmt(v, 1, " ms")],
  ["longTasks", "long tasks (>50 ms) during guidance", (v) => fmt(v, 0)],
  ["longTaskShare", "long tasks ÷ guidance wall time", (v) => pct(v, 1)],
  ["longAnimationFrames", "long animation frames during guidance", (v) => fmt(v, 0)],
  ["mainBusyShareVerification", "main thread busy ÷ last detection→verified (trace)", (v) => pct(v)],
  ["mainBusyShareWholeFlow", "main thread busy ÷ consent→admission (trace)", (v) => pct(v)],
  ["consentToGrantedMs", "consent → camera granted", (v) => fmt(v, 0, " ms")],
  ["grantedToModelReadyMs", "camera granted → model ready (cold)", (v) => fmt(v, 0, " ms")],
  ["grantedToFirstDetectionMs", "camera granted → first detection (cold)", (v) => fmt(v, 0, " ms")],
  ["guidanceMs", "face_check entered → guidance done (last detect)", (v) => fmt(v, 0, " ms")],
  ["lastDetectionToFirstPromptMs", "guidance done → first verifier prompt shown", (v) => fmt(v, 0, " ms")],
  ["grantedToFirstPromptMs", "camera granted → first verifier prompt shown", (v) => fmt(v, 0, " ms")],
  ["promptsShown", "verifier prompts shown", (v) => fmt(v, 0)],
  ["movesPlayed", "moves played by the reactive player", (v) => fmt(v, 0)],
  ["playerReactionMedianMs", "player reaction (prompt → clip drawn), median", (v) => fmt(v, 0, " ms")],
  ["lastDetectionToVerifiedS", "guidance done → verified (joining)", (v) => fmt(v, 1, " s")],
  ["grantedToVerifiedS", "camera granted → verified (joining)", (v) => fmt(v, 1, " s")],
  ["verifiedToAdmittedMs", "verified → admitted (join)", (v) => fmt(v, 0, " ms")],
  ["lastDetectionToAdmissionMs", "last detection → admitted (verify + join)", (v) => fmt(v, 0, " ms")],
  ["consentToAdmissionS", "consent → admitted (in_interview)", (v) => fmt(v, 1, " s")],
  ["transferTotalBytes", "page transfer, compressed", (v) => kib(v)],
  ["decodedTotalBytes", "page transfer, decoded", (v) => kib(v)],
];

function runTable(r: RunResult): string {
  return table(
    ["metric", `run ${r.run}`],
    [["outcome", r.outcome], ...ROWS.map(([key, label, show]) => [label, show(r.metrics[key]!)])],
  );
}

function summaryTable(results: RunResult[]): string {
  const header = ["metric", ...results.map((r) => `run ${r.run}`), "median"];
  const rows = [
    ["outcome", ...results.map((r) => r.outcome), `${results.filter((r) => r.outcome === "in_interview").length}/${results.length} admitted`],
    ...ROWS.map(([key, label, show]) => [label, ...results.map((r) => show(r.metrics[key]!)), show(median(results.map((r) => r.metrics[key]!)))]),
  ];
  return table(header, rows);
}

function transferTable(results: RunResult[]): string {
  const med = (k: Kind | "total", f: keyof Transfer) => median(results.map((r) => r.transfer[k][f]));
  return table(
    ["kind (median of runs)", "requests", "transferSize", "encodedBodySize", "decodedBodySize"],
    [...KINDS, "total" as const].map((k) => [
      k,
      fmt(med(k, "requests"), 0),
      kib(med(k, "transfer")),
      kib(med(k, "encoded")),
      kib(med(k, "decoded")),
    ]),
  );
}

function summariseEncodings(r: RunResult): string[] {
  const byKind = new Map<string, Set<string>>();
  for (const [url, e] of Object.entries(r.encodings)) {
    const kind = kindOf({ name: url } as PageResource);
    const key = `${kind}`;
    const set = byKind.get(key) ?? new Set<string>();
    set.add(`Accept-Encoding "${e.acceptEncoding}" → Content-Encoding ${e.contentEncoding}`);
    byKind.set(key, set);
  }
  return [...byKind].map(([kind, set]) => `  ${kind}: ${[...set].join("; ")}`);
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  ensureBuild();
  ensurePlayerClips();
  const seed = SEED;
  console.log(`Candidate-page benchmark: ${RUNS} run(s), schedule seed ${seed}, camera: reactive player (${path.relative(ROOT, PLAYER_DIR)}), verifier worker on`);
  console.log(`Machine: ${os.cpus().length} CPU(s) ${os.cpus()[0]?.model ?? ""}, Node ${process.version}; trace ${TRACE ? "on" : "off"}\n`);

  const kit = await startKit({ isolated: { portBase: PORT_BASE, worker: true } });
  const results: RunResult[] = [];
  try {
    for (let run = 1; run <= RUNS; run++) {
      const started = Date.now();
      const r = await runOnce(kit, run, seed);
      results.push(r);
      console.log(`Run ${run}/${RUNS} (${((Date.now() - started) / 1000).toFixed(0)} s wall; prompts: ${r.prompts.join(", ") || "none"})`);
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
    camera: `reactive player (${path.relative(ROOT, PLAYER_DIR)})`,
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
