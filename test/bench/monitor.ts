/**
 * Interview-monitor benchmark, with real parts: a real livekit-server, the kit
 * on an ephemeral HTTP port, the real verifier worker process (LiveKit Agents;
 * one prewarmed job process), and rtc-node candidates. Every interview passes
 * a real verification on the production `follow` challenge first, with the
 * mesh-face publisher (a live 3D render of the astronaut photo following the
 * target; a failed attempt retried as the product lets a candidate), so the
 * monitor has the verifier's reference face: the astronaut's. In the interview
 * room the candidate's camera is the same rendered face, looped (./room-camera.ts);
 * the bench issues no re-check, so that camera follows nothing.
 *
 * 1. Monitor cost: CPU of the worker's process tree (the worker and its job
 *    processes), in % of one core over a 30 s steady window, with no monitor
 *    (the idle worker: the baseline), with 1 and with 2 monitored interviews.
 *    Per interview = (tree − baseline) ÷ N. Goal: ≤ 15 % of a core each.
 * 2. Detection speed: the candidate's camera switches to another real person
 *    (the `stranger` scene: cap12's real webcam footage) on the same track; time from the first stranger frame
 *    handed to the video source until the kit records `face_mismatch` (the
 *    event's own timestamp; the poll that saw it is reported too). Then the
 *    candidate comes back and the kit records `face_match_restored`. 3 swaps.
 *
 * Usage: npm run bench:monitor
 * Writes the raw numbers to test/bench/monitor-results.json.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { MISMATCH_HOLD_MS } from "../../server/identity/thresholds.js";
import { tokenOf } from "../helpers/app.js";
import { type RunningKit, startKit } from "../helpers/kit-server.js";
import { loadMeshFace, type MeshFace } from "../helpers/mesh-face.js";
import { passWithMeshPlayer } from "../helpers/verification.js";
import { childPids, TreeCpuSampler, treeStats, waitForQuiet } from "./proc-cpu.js";
import { loadRoomScene, type RoomCamera, startRoomCamera } from "./room-camera.js";
import { fmt, median, pct, sum, table } from "./stats.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const RESULTS_FILE = path.join(import.meta.dirname, "monitor-results.json");
/** livekit-server takes this port and the next two (clear of the test suites' and other benchmarks' bases). */
const PORT_BASE = 17950;
const WINDOW_MS = 30_000;
const SLICE_MS = 5_000;
const SWAPS = 3;
const GOAL_SHARE = 0.15;
/** The interview room as the candidate page publishes it: livekit-client's default 640x480 preset (500 kbit/s, 20 fps), simulcast. */
const ROOM_CAMERA = { maxBitrate: 500_000, maxFramerate: 20, simulcast: true };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const loadavg = () => os.loadavg().map((l) => l.toFixed(2)).join(" / ");
const ms = (v: number) => fmt(v, 0, " ms");

type Event = { type: string; actor: string; at: string; data: Record<string, unknown> };

interface Monitored {
  label: string;
  id: string;
  interviewerToken: string;
  verification: { state: string; failure?: string; attempts: number; ticketToVerdictMs: number };
  referenceStored: boolean;
  joinedAt: number;
  publisher: RoomCamera;
}

async function events(kit: RunningKit, id: string): Promise<Event[]> {
  const res = await kit.api.call("GET", `/v1/interviews/${id}`, { headers: kit.api.auth });
  return ((await res.json()) as { events: Event[] }).events;
}

/** Polls until the interview has `n` events of `type`; returns the n-th and when the poll saw it. */
async function waitForNth(kit: RunningKit, id: string, type: string, n: number, timeoutMs: number, everyMs = 150) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const hit = (await events(kit, id)).filter((e) => e.type === type)[n - 1];
    if (hit) return { event: hit, seenAt: Date.now() };
    await sleep(everyMs);
  }
  return undefined;
}

/** A new interview whose candidate passes the real verification with the mesh-face publisher, then joins the interview room with a camera. */
async function monitoredInterview(kit: RunningKit, face: MeshFace, label: string): Promise<Monitored> {
  const { json, token, headers } = await kit.api.candidateSession({ candidate: { name: `Monitor bench ${label}` } });
  const id = json.id!;
  const startedAt = Date.now();
  const pass = await passWithMeshPlayer(kit.api, token, headers, { face });
  const status = pass.status as { state: string; failure?: string };
  const tickets = pass.tickets;
  // First ticket request → the last attempt's verdict.
  const verification = {
    state: status.state,
    ...(status.failure ? { failure: status.failure } : {}),
    attempts: tickets.length,
    ticketToVerdictMs: Date.now() - startedAt,
  };
  if (status.state !== "passed") throw new Error(`interview ${label}: verification ${status.state} ${status.failure ?? ""} after ${tickets.length} attempt(s)`);
  const referenceStored = (await kit.app.store.monitoring.latestTemplate(id)) !== undefined;
  if (!referenceStored) console.warn(`interview ${label}: the pass stored no reference face; face_mismatch cannot fire`);

  const joined = await kit.api.call("POST", `/v1/candidate/${token}/join`, { headers });
  const grant = (await joined.json()) as { serverUrl: string; token: string };
  if (!joined.ok) throw new Error(`join refused: ${joined.status} ${JSON.stringify(grant)}`);
  const joinedAt = Date.now();
  const publisher = await startRoomCamera({ url: grant.serverUrl, token: grant.token, face, ...ROOM_CAMERA });
  if (!(await waitForNth(kit, id, "monitor_started", 1, 60_000, 300))) throw new Error(`interview ${label}: no monitor_started within 60 s`);
  console.log(
    `interview ${label}: verified in ${ms(verification.ticketToVerdictMs)} (${verification.attempts} attempt(s)), monitor started ${ms(Date.now() - joinedAt)} after the join`,
  );
  return { label, id, interviewerToken: tokenOf(json.interviewerUrl!), verification, referenceStored, joinedAt, publisher };
}

async function endInterview(kit: RunningKit, m: Monitored): Promise<void> {
  // Ended first: the monitor's last reports (the camera going) are then refused, not recorded.
  await kit.api.call("POST", `/v1/interviewer/${m.interviewerToken}/end`);
  await m.publisher.stop();
}

const TICKS_PER_S = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * CPU ms of each thread of `pid` (tid → name, ms), from /proc/pid/task. In a monitor job process:
 * the JS main thread (frames, RGB conversion, reports), the analyser's worker thread, and
 * libwebrtc's (DecodingQueue: VP8 decode; worker_thread, network_thread) and rtc-node's (tokio) threads.
 */
function threadTimes(pid: number): Map<number, { name: string; ms: number }> {
  const out = new Map<number, { name: string; ms: number }>();
  let tids: string[] = [];
  try {
    tids = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const text = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
      const close = text.lastIndexOf(")");
      const f = text.slice(close + 2).split(" ");
      const comm = text.slice(text.indexOf("(") + 1, close).replace(/[\d_ -]+$/, "");
      // Node names its JS worker threads after the process: in a job process that is the face analyser's thread.
      const name = Number(tid) === pid ? "job main thread (JS)" : comm === "node" ? "analyser worker thread (human, tfjs WASM)" : comm;
      out.set(Number(tid), { name, ms: ((Number(f[11]) + Number(f[12])) * 1000) / TICKS_PER_S });
    } catch {
      // the thread ended
    }
  }
  return out;
}

/** Per-thread-name CPU of `pid` between two `threadTimes` snapshots, ms, busiest first. */
function threadDelta(before: Map<number, { name: string; ms: number }>, after: Map<number, { name: string; ms: number }>): Record<string, number> {
  const byName = new Map<string, number>();
  for (const [tid, t] of after) byName.set(t.name, (byName.get(t.name) ?? 0) + t.ms - (before.get(tid)?.ms ?? 0));
  return Object.fromEntries([...byName].filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1]));
}

/**
 * Waits until the tree is steady with `k` monitors: over two consecutive 2 s windows every
 * process but the worker itself and the k busiest (the monitor jobs) is quiet (< 5 % of a
 * core), so no job process is still loading the model. Returns the wait and whether it settled.
 */
async function settle(worker: number, k: number, timeoutMs = 120_000): Promise<{ ms: number; settled: boolean }> {
  const started = performance.now();
  let quiet = 0;
  while (performance.now() - started < timeoutMs) {
    const s = new TreeCpuSampler(() => [worker], 250).start();
    await sleep(2_000);
    const w = s.stop();
    const others = Object.entries(w.perPid)
      .filter(([pid]) => Number(pid) !== worker)
      .map(([, v]) => v)
      .sort((a, b) => b - a)
      .slice(k);
    quiet = others.every((v) => v / w.wallMs < 0.05) ? quiet + 1 : 0;
    if (quiet >= 2) return { ms: performance.now() - started, settled: true };
  }
  return { ms: performance.now() - started, settled: false };
}

interface Slice {
  wallMs: number;
  totalMs: number;
  bornMs: number;
  perPid: Record<number, number>;
}

interface Measured {
  monitors: number;
  settleMs: number;
  settled: boolean;
  wallMs: number;
  /** Worker tree CPU over the window, ms. */
  treeMs: number;
  treeShare: number;
  sliceShares: number[];
  /** The k busiest job processes (the monitors) over the window, ms each. */
  monitorProcMs: number[];
  /** Their CPU by thread name over the window, ms (summed over the k processes). */
  monitorThreadsMs: Record<string, number>;
  workerMainMs: number;
  processes: number;
  livekitShare: number;
  benchShare: number;
  loadavg: number[];
  slices: Slice[];
}

/** CPU of the worker tree over WINDOW_MS, in back-to-back SLICE_MS windows; livekit-server and this process alongside. */
async function measure(worker: number, k: number, settled: { ms: number; settled: boolean }): Promise<Measured> {
  const livekit = new TreeCpuSampler(() => childPids(process.pid, "livekit"), 1_000).start();
  const bench0 = process.cpuUsage();
  const jobPids = treeStats(worker).map((s) => s.pid).filter((pid) => pid !== worker);
  const threads0 = new Map(jobPids.map((pid) => [pid, threadTimes(pid)]));
  const t0 = performance.now();
  const slices: Slice[] = [];
  while (performance.now() - t0 < WINDOW_MS - 100) {
    const s = new TreeCpuSampler(() => [worker]).start();
    await sleep(Math.min(SLICE_MS, WINDOW_MS - (performance.now() - t0)));
    const w = s.stop();
    slices.push({ wallMs: w.wallMs, totalMs: w.totalMs, bornMs: w.bornMs, perPid: w.perPid });
  }
  const threads1 = new Map(jobPids.map((pid) => [pid, threadTimes(pid)]));
  const wallMs = sum(slices.map((s) => s.wallMs));
  const lk = livekit.stop();
  const bench = process.cpuUsage(bench0);
  const perPid = new Map<number, number>();
  for (const s of slices) for (const [pid, v] of Object.entries(s.perPid)) perPid.set(Number(pid), (perPid.get(Number(pid)) ?? 0) + v);
  const jobs = [...perPid].filter(([pid]) => pid !== worker).sort((a, b) => b[1] - a[1]);
  const monitorThreadsMs: Record<string, number> = {};
  for (const [pid] of jobs.slice(0, k)) {
    for (const [name, v] of Object.entries(threadDelta(threads0.get(pid) ?? new Map(), threads1.get(pid) ?? new Map()))) {
      monitorThreadsMs[name] = (monitorThreadsMs[name] ?? 0) + v;
    }
  }
  const treeMs = sum(slices.map((s) => s.totalMs));
  return {
    monitors: k,
    settleMs: settled.ms,
    settled: settled.settled,
    wallMs,
    treeMs,
    treeShare: treeMs / wallMs,
    sliceShares: slices.map((s) => s.totalMs / s.wallMs),
    monitorProcMs: jobs.slice(0, k).map(([, v]) => v),
    monitorThreadsMs,
    workerMainMs: perPid.get(worker) ?? 0,
    processes: treeStats(worker).length,
    livekitShare: lk.totalMs / lk.wallMs,
    benchShare: (bench.user + bench.system) / 1000 / (performance.now() - t0),
    loadavg: os.loadavg(),
    slices,
  };
}

interface Swap {
  swap: number;
  swappedAt: number;
  /** The face_mismatch event's timestamp − the first stranger frame sent, ms (NaN: not within 30 s). */
  mismatchMs: number;
  /** When the poll saw it − the first stranger frame sent, ms. */
  mismatchSeenMs: number;
  mismatchData?: Record<string, unknown>;
  /** face_match_restored's timestamp − the first candidate frame sent again, ms. */
  restoredMs: number;
  restoredData?: Record<string, unknown>;
}

async function swaps(kit: RunningKit, m: Monitored): Promise<Swap[]> {
  const out: Swap[] = [];
  for (let i = 1; i <= SWAPS; i++) {
    const before = await events(kit, m.id);
    const mismatches = before.filter((e) => e.type === "face_mismatch").length;
    const restores = before.filter((e) => e.type === "face_match_restored").length;
    const swappedAt = await m.publisher.show("stranger");
    const mis = await waitForNth(kit, m.id, "face_mismatch", mismatches + 1, 30_000);
    const backAt = await m.publisher.show(null);
    const res = await waitForNth(kit, m.id, "face_match_restored", restores + 1, 30_000);
    const swap: Swap = {
      swap: i,
      swappedAt,
      mismatchMs: mis ? Date.parse(mis.event.at) - swappedAt : Number.NaN,
      mismatchSeenMs: mis ? mis.seenAt - swappedAt : Number.NaN,
      ...(mis ? { mismatchData: { ...mis.event.data } } : {}),
      restoredMs: res ? Date.parse(res.event.at) - backAt : Number.NaN,
      ...(res ? { restoredData: { ...res.event.data } } : {}),
    };
    out.push(swap);
    const sims = (swap.mismatchData?.similarities as number[] | undefined) ?? [];
    console.log(
      `swap ${i}: face_mismatch ${ms(swap.mismatchMs)} after the first stranger frame (poll saw it at ${ms(swap.mismatchSeenMs)}; ` +
        `held ${swap.mismatchData?.seconds ?? "?"} s over ${sims.length} comparisons, max similarity ${fmt(Math.max(...sims), 3)}); ` +
        `face_match_restored ${ms(swap.restoredMs)} after the candidate came back; load ${loadavg()}`,
    );
    await sleep(3_000); // a few matching comparisons before the next swap
  }
  return out;
}

async function main(): Promise<void> {
  const benchStarted = performance.now();
  console.log(`Monitor benchmark: ${os.cpus().length} CPU(s) ${os.cpus()[0]?.model ?? ""}, Node ${process.version}; load average before start: ${loadavg()}`);
  // The mesh face and the stranger's footage (ffmpeg), loaded outside every measured window.
  const [face] = await Promise.all([loadMeshFace(), loadRoomScene("stranger")]);

  const kit = await startKit({ isolated: { portBase: PORT_BASE, worker: true } });
  const worker = kit.worker!.child.pid!;
  const interviews: Monitored[] = [];
  const measured: Measured[] = [];
  let detection: Swap[] = [];
  const timeline: Record<string, Event[]> = {};
  try {
    await waitForQuiet(() => [worker], { timeoutMs: 90_000 });
    const show = (m: Measured) =>
      console.log(
        `${m.monitors} monitor(s): worker tree ${pct(m.treeShare, 1)} of a core over ${fmt(m.wallMs / 1000, 1)} s ` +
          `(5 s slices ${m.sliceShares.map((s) => pct(s, 0)).join(" ")}; monitor processes ${m.monitorProcMs.map((v) => pct(v / m.wallMs, 1)).join(", ") || "none"}; ` +
          `${m.processes} processes; settled ${m.settled ? "" : "NOT "}after ${fmt(m.settleMs / 1000, 1)} s); load ${loadavg()}`,
      );
    measured.push(await measure(worker, 0, await settle(worker, 0)));
    show(measured[0]!);
    for (const label of ["A", "B"]) {
      interviews.push(await monitoredInterview(kit, face, label));
      const k = interviews.length;
      measured.push(await measure(worker, k, await settle(worker, k)));
      show(measured.at(-1)!);
    }

    // Detection with one monitored interview, as in the 1-monitor window.
    await endInterview(kit, interviews[1]!);
    await settle(worker, 1, 30_000);
    detection = await swaps(kit, interviews[0]!);
  } finally {
    for (const m of interviews) {
      timeline[m.label] = await events(kit, m.id).catch(() => []);
      await endInterview(kit, m).catch(() => {});
    }
    await kit.stop();
  }

  // ---------------------------------------------------------------- report
  const base = measured[0]!;
  const rows = measured.map((m) => {
    const extra = m.treeShare - base.treeShare;
    const per = m.monitors ? extra / m.monitors : Number.NaN;
    return [
      m.monitors ? `${m.monitors} monitored interview${m.monitors > 1 ? "s" : ""}` : "idle worker (baseline)",
      pct(m.treeShare, 1),
      `${pct(median(m.sliceShares), 1)} (${pct(Math.min(...m.sliceShares), 0)}–${pct(Math.max(...m.sliceShares), 0)})`,
      m.monitors ? pct(extra, 1) : "",
      m.monitors ? `${pct(per, 1)}${per <= GOAL_SHARE ? "" : " ✗"}` : "",
      m.monitors ? pct(median(m.monitorProcMs.map((v) => v / m.wallMs)), 1) : "",
      pct(m.workerMainMs / m.wallMs, 1),
      pct(m.livekitShare, 1),
      pct(m.benchShare, 1),
    ];
  });
  console.log(`\nMonitor cost (CPU in % of one core over a ${WINDOW_MS / 1000} s steady window; goal ≤ ${pct(GOAL_SHARE)} per monitored interview)`);
  console.log(
    table(
      [
        "worker",
        "worker tree CPU",
        "5 s slices median (min–max)",
        "− baseline",
        "per interview",
        "monitor job process (median)",
        "worker main proc",
        "livekit-server",
        "bench proc (publishers+kit)",
      ],
      rows,
    ),
  );

  for (const m of measured.filter((x) => x.monitors)) {
    const byThread = Object.entries(m.monitorThreadsMs).slice(0, 6);
    console.log(
      `${m.monitors} monitor(s), per monitor job process by thread: ${byThread.map(([n, v]) => `${n} ${pct(v / m.wallMs / m.monitors, 1)}`).join(", ")}`,
    );
  }

  const mis = detection.map((d) => d.mismatchMs);
  const seen = detection.map((d) => d.mismatchSeenMs);
  const back = detection.map((d) => d.restoredMs);
  const each = (xs: number[]) => xs.map((x) => fmt(x / 1000, 2)).join(", ");
  console.log(`\nDetection speed (${detection.length} swaps on one monitored interview; mismatch hold ${MISMATCH_HOLD_MS} ms, comparisons about 1/s)`);
  console.log(
    table(
      ["first stranger frame sent →", "median", "each (s)"],
      [
        ["face_mismatch recorded (event time)", fmt(median(mis) / 1000, 2, " s"), each(mis)],
        ["face_mismatch seen by the API poll (150 ms)", fmt(median(seen) / 1000, 2, " s"), each(seen)],
        ["candidate back → face_match_restored recorded", fmt(median(back) / 1000, 2, " s"), each(back)],
      ],
    ),
  );
  const unexpected = Object.entries(timeline).flatMap(([label, es]) =>
    es.filter((e) => ["face_absent", "multiple_faces", "video_degraded", "camera_off", "no_video"].includes(e.type)).map((e) => `${label}: ${e.type} ${JSON.stringify(e.data)}`),
  );
  const swapMismatches = detection.filter((d) => Number.isFinite(d.mismatchMs)).length;
  const spurious = sum(Object.values(timeline).map((es) => es.filter((e) => e.type === "face_mismatch").length)) - swapMismatches;
  if (unexpected.length || spurious > 0) {
    console.log(`\nUnexpected monitor events: ${unexpected.join("; ") || "none"}; face_mismatch not caused by a swap: ${spurious}`);
  }

  const totalS = (performance.now() - benchStarted) / 1000;
  console.log(`\nload average after: ${loadavg()}; total ${fmt(totalS, 0, " s")}`);
  const summary = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version, loadavgAfter: os.loadavg() },
    settings: { windowMs: WINDOW_MS, sliceMs: SLICE_MS, roomCamera: ROOM_CAMERA, mismatchHoldMs: MISMATCH_HOLD_MS, goalShare: GOAL_SHARE, portBase: PORT_BASE },
    cpu: measured.map((m) => ({
      ...m,
      minusBaselineShare: m.treeShare - base.treeShare,
      perInterviewShare: m.monitors ? (m.treeShare - base.treeShare) / m.monitors : null,
    })),
    detection,
    interviews: interviews.map(({ publisher, ...m }) => ({ ...m, publisherFrames: publisher.framesSent, events: timeline[m.label] })),
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
