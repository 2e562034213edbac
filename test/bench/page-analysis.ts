/**
 * The candidate-page benchmark's figures for one run: what the page's probe,
 * the reactive player and the Chromium trace say, reduced to named metrics
 * and transfer sizes. Used by run.ts.
 */
import type { PlayerState } from "../helpers/reactive-player.js";
import type { PageProbe, PageResource } from "./page-probe.js";
import { median, quantile, sum, unionLength } from "./stats.js";
import { mainThreadTasks } from "./trace.js";

/** The reactive player's canvas camera runs at 30 frames a second. */
export const CAMERA_FPS = 30;

/** What a page resource is, for the transfer table. */
export type Kind = "js/css" | "wasm" | "model" | "other";
export const KINDS: Kind[] = ["js/css", "wasm", "model", "other"];

/** A resource's kind, from its URL's path. */
export function kindOf(r: PageResource): Kind {
  let p = r.name;
  try {
    p = new URL(r.name).pathname;
  } catch {}
  if (p.endsWith(".wasm")) return "wasm";
  if (p.endsWith(".tflite") || p.startsWith("/models/")) return "model";
  if (/\.(m?js|css)$/.test(p)) return "js/css";
  return "other";
}

/** Requests and bytes of one kind of resource. */
export interface Transfer {
  requests: number;
  transfer: number;
  encoded: number;
  decoded: number;
}

/** One benchmark run: its outcome, metrics, transfer sizes and what the page saw. */
export interface RunResult {
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

/** Reduces one run's probe, player log and trace to the benchmark's metrics. */
export function analyse(
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

