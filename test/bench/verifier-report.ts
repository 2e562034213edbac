/** The verifier benchmark's tables: concurrency, prompt latency, time to verdict. Used by verifier.ts. */
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

/** Prompt → onset per step, and where the time went. */
export function latencyTable(vs: Verification[]): string {
  const ls = vs.flatMap((v) => v.latencies);
  const row = (label: string, xs: number[]) => [label, `${xs.length}`, ms(median(xs)), ms(p90(xs)), ms(Math.min(...xs)), ms(Math.max(...xs))];
  return table(
    ["prompt → onset (per step)", "n", "median", "p90", "min", "max"],
    [
      row("(a) verifier onsetAt − promptAt", ls.map((l) => l.onsetMs)),
      row("publisher reaction (prompt rx → first clip frame)", ls.map((l) => l.reactionMs)),
      row("(b) (a) − publisher reaction", ls.map((l) => l.unexplainedMs)),
      row("  prompt decided → publisher rx (est., upper-bound anchor)", ls.map((l) => l.deliveryMs)),
      row("  first clip frame sent → onset frame rx (est.)", ls.map((l) => l.sentToOnsetMs)),
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
      row("  pauses (Σ delaysMs)", b("pauses")),
      row("  moves (Σ prompt → held)", b("moves")),
      row("  returns (Σ held → facing steady)", b("returns")),
      row("  last frame → verdict stored", b("verdictReport")),
    ],
  );
}

