/** The verifier benchmark's tables: concurrency, the follow response, time to verdict. Used by verifier.ts. */
import os from "node:os";
import { fmt, median, pct, quantile, sum, table } from "./stats.js";
import type { Round, Verification } from "./verifier-run.js";

/** Milliseconds, rounded. */
export const ms = (v: number) => fmt(v, 0, " ms");
/** The 90th percentile. */
export const p90 = (xs: number[]) => quantile(xs, 0.9);
/** The 1/5/15-minute load averages, for the log. */
export const loadavg = () => os.loadavg().map((l) => l.toFixed(2)).join(" / ");

/** Throughput and CPU by how many verifications ran at once. */
export function concurrencyTable(rounds: Round[]): string {
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

/** How the head followed the target, as the verifier fitted it and as the publisher received it. */
export function followTable(vs: Verification[]): string {
  const fs = vs.map((v) => v.follow);
  const row = (label: string, xs: number[], show: (v: number) => string = ms) => {
    const ok = xs.filter(Number.isFinite);
    return [label, `${ok.length}`, show(median(ok)), show(p90(ok)), show(Math.min(...ok)), show(Math.max(...ok))];
  };
  const r = (v: number) => fmt(v, 2);
  return table(
    ["follow step (per verification)", "n", "median", "p90", "min", "max"],
    [
      row("(a) fitted lag behind the target (verifier)", fs.map((f) => f.lagMs)),
      row("(b) (a) − player reaction − its low pass", fs.map((f) => f.unexplainedMs)),
      row("  gap between targets received", fs.map((f) => f.targetGapMs)),
      row("targets received by the publisher", fs.map((f) => f.targetsReceived), (v) => fmt(v, 0)),
      row("frames with one face judged (path + tail)", fs.map((f) => f.frames), (v) => fmt(v, 0)),
      row("yaw r", fs.map((f) => f.yawR), r),
      row("yaw gain (analyser ° per ° asked)", fs.map((f) => f.yawGain), r),
      row("pitch r", fs.map((f) => f.pitchR), r),
      row("pitch gain", fs.map((f) => f.pitchGain), r),
      row("outline residual (share of eye distance)", fs.map((f) => f.planarResidual), (v) => pct(v, 1)),
    ],
  );
}

/** Time to verdict at N = 1, phase by phase. */
export function verdictTable(vs: Verification[]): string {
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
      row("  pause (delaysMs: still, before the prompt)", b("pause")),
      row("  follow (prompt → step_done)", b("follow")),
      row("    of which the path (last waypoint)", b("followPath")),
      row("    of which the tail (path end → judged)", b("followTail")),
      row("  step_done → verdict stored (reference face, report)", b("verdictReport")),
    ],
  );
}

