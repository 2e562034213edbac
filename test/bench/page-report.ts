/** The candidate-page benchmark's tables: one run, the summary over runs, transfer sizes, encodings. Used by run.ts. */
import type { PageResource } from "./page-probe.js";
import { CAMERA_FPS, type Kind, KINDS, kindOf, type RunResult, type Transfer } from "./page-analysis.js";
import { fmt, kib, median, pct, table } from "./stats.js";

/** The metrics shown, in order: key in RunResult.metrics, label, formatter. */
export const ROWS: Array<[key: string, label: string, show: (v: number) => string]> = [
  ["detectMedianMs", "guidance detect per frame, median", (v) => fmt(v, 1, " ms")],
  ["detectP95Ms", "guidance detect per frame, p95", (v) => fmt(v, 1, " ms")],
  ["firstDetectMs", "first detect call (warm-up)", (v) => fmt(v, 0, " ms")],
  ["framesAnalysed", "frames analysed by the page (guidance)", (v) => fmt(v, 0)],
  ["challengeS", "guidance span (first→last detect)", (v) => fmt(v, 1, " s")],
  ["analysedFps", "guidance frames analysed per second", (v) => fmt(v, 1, " fps")],
  ["analysedShareOfCamera", `  ÷ camera ${CAMERA_FPS} fps`, (v) => pct(v)],
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
  ["firstPromptToFirstTargetMs", "prompt shown → first target shown", (v) => fmt(v, 0, " ms")],
  ["targetsReceived", "target moves received by the mesh player", (v) => fmt(v, 0)],
  ["targetSpanS", "  first → last target", (v) => fmt(v, 1, " s")],
  ["targetGapMedianMs", "  gap between targets, median", (v) => fmt(v, 0, " ms")],
  ["playerReactionMs", "player reaction (first target → first frame toward it)", (v) => fmt(v, 0, " ms")],
  ["faceFramesRendered", "face frames rendered by the mesh player", (v) => fmt(v, 0)],
  ["renderMsPerFrame", "  render time per face frame (page main thread)", (v) => fmt(v, 1, " ms")],
  ["lastDetectionToVerifiedS", "guidance done → verified (joining)", (v) => fmt(v, 1, " s")],
  ["grantedToVerifiedS", "camera granted → verified (joining)", (v) => fmt(v, 1, " s")],
  ["verifiedToAdmittedMs", "verified → admitted (join)", (v) => fmt(v, 0, " ms")],
  ["lastDetectionToAdmissionMs", "last detection → admitted (verify + join)", (v) => fmt(v, 0, " ms")],
  ["consentToAdmissionS", "consent → admitted (in_interview)", (v) => fmt(v, 1, " s")],
  ["transferTotalBytes", "page transfer, compressed", (v) => kib(v)],
  ["decodedTotalBytes", "page transfer, decoded", (v) => kib(v)],
];

/** One run's metrics. */
export function runTable(r: RunResult): string {
  return table(
    ["metric", `run ${r.run}`],
    [["outcome", r.outcome], ...ROWS.map(([key, label, show]) => [label, show(r.metrics[key]!)])],
  );
}

/** Every run side by side, with the median. */
export function summaryTable(results: RunResult[]): string {
  const header = ["metric", ...results.map((r) => `run ${r.run}`), "median"];
  const rows = [
    ["outcome", ...results.map((r) => r.outcome), `${results.filter((r) => r.outcome === "in_interview").length}/${results.length} admitted`],
    ...ROWS.map(([key, label, show]) => [label, ...results.map((r) => show(r.metrics[key]!)), show(median(results.map((r) => r.metrics[key]!)))]),
  ];
  return table(header, rows);
}

/** Transfer sizes by kind, median of runs. */
export function transferTable(results: RunResult[]): string {
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

/** The encodings negotiated per kind of resource, one line each. */
export function summariseEncodings(r: RunResult): string[] {
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

