/**
 * The candidate-page benchmark's figures for one run: what the page's probe,
 * the mesh-face player and the Chromium trace say, reduced to named metrics
 * and transfer sizes. Used by run.ts.
 */
import { MESH_PLAYER_DEFAULTS, type MeshPlayerState } from "../helpers/mesh-player.js";
import { PLAYER_ROUTE } from "../helpers/reactive-player.js";
import type { PageProbe, PageResource } from "./page-probe.js";
import { median, quantile, sum, unionLength } from "./stats.js";
import { mainThreadTasks } from "./trace.js";

/** The mesh player's canvas camera draws this many frames a second. */
export const CAMERA_FPS = MESH_PLAYER_DEFAULTS.fps;

/** What a page resource is, for the transfer table. */
export type Kind = "js/css" | "wasm" | "model" | "other";
export const KINDS: Kind[] = ["js/css", "wasm", "model", "other"];

/** A resource's kind, from its URL's path. */
export function kindOf(r: PageResource): Kind {
  let p = r.name;
  try {
    p = new URL(r.name).pathname;
  } catch {
    // not a URL: kept as it is
  }
  if (p.endsWith(".wasm")) return "wasm";
  if (p.endsWith(".tflite") || p.startsWith("/models/")) return "model";
  if (/\.(m?js|css)$/.test(p)) return "js/css";
  return "other";
}

/** A request the test camera made for itself (routed by the player to files on this machine). */
function isPlayerAsset(r: PageResource): boolean {
  try {
    return new URL(r.name).pathname.startsWith(PLAYER_ROUTE);
  } catch {
    return false;
  }
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
  /** The prompted steps (the follow challenge: one "follow"), in the order the page showed them. */
  prompts: string[];
}

/** Reduces one run's probe, player log and trace to the benchmark's metrics. */
export function analyse(
  run: number,
  outcome: string,
  p: PageProbe,
  player: MeshPlayerState | undefined,
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
  m.analysedShareOfCamera = m.analysedFps / CAMERA_FPS;
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
  // Gaps between analysed frames: at the camera's 15 fps every gap is ~67 ms.
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
      // While the verifier judges: the page publishes its camera and shows the prompt and the moving target.
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

  // 7. The server-side verification, as the page lived it: guidance, connecting, the prompt and the target, verdict (joining), admission.
  const verified = stateAt("joining") ?? Number.NaN;
  m.guidanceMs = winEnd - (stateAt("face_check") ?? Number.NaN);
  m.grantedToVerifiedS = (verified - (granted ?? Number.NaN)) / 1000;
  m.lastDetectionToVerifiedS = (verified - winEnd) / 1000;
  m.verifiedToAdmittedMs = admitted - verified;
  const pageTime = (epochMs: number | undefined) => (epochMs === undefined ? Number.NaN : epochMs - p.timeOrigin);
  m.grantedToFirstPromptMs = pageTime(player?.prompts[0]?.at) - (granted ?? Number.NaN);
  m.lastDetectionToFirstPromptMs = pageTime(player?.prompts[0]?.at) - winEnd;
  m.promptsShown = player?.prompts.length ?? Number.NaN;
  // The follow target as the page announced it (`verify-kit:target`), and the player's head after it.
  const targets = player?.targets ?? [];
  const moves = targets.filter((t) => !t.hidden);
  m.targetsReceived = moves.length;
  m.targetSpanS = moves.length > 1 ? (moves.at(-1)!.at - moves[0]!.at) / 1000 : Number.NaN;
  m.targetGapMedianMs = median(moves.slice(1).map((t, i) => t.at - moves[i]!.at));
  m.firstPromptToFirstTargetMs = (moves[0]?.at ?? Number.NaN) - (player?.prompts[0]?.at ?? Number.NaN);
  m.faceFramesRendered = player?.faceFrames ?? Number.NaN;
  m.renderMsPerFrame = player && player.faceFrames ? player.renderMs / player.faceFrames : Number.NaN;
  // First target received → first face frame heading for it (the configured reaction plus up to one frame); only
  // when the player's log still holds the frames before it (it keeps the latest few hundred).
  const rendered = player?.rendered ?? [];
  const firstTarget = targets[0];
  const toward = firstTarget && rendered[0] && rendered[0].target === -1 ? rendered.find((r) => r.target >= firstTarget.seq) : undefined;
  m.playerReactionMs = toward && firstTarget ? toward.at - firstTarget.at : Number.NaN;

  // 5. Transfer sizes, compressed and decoded: the page's own, without the test camera's assets (the mesh
  // player fetches its face data, about 1.2 MiB, from the routed PLAYER_ROUTE; no candidate loads those).
  const resources = p.resources.filter((r) => !isPlayerAsset(r)).map((r) => ({ ...r, kind: kindOf(r) }));
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

