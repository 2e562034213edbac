import type { EnvironmentSummary, RiskFlag } from "../../shared/signals.js";
import type { SignalContext } from "./context.js";
import { mostSevere } from "./flags.js";
import { formatOffset, sameOffsets, zoneOffsets } from "./zones.js";

const HOUR_MS = 3600_000;

/**
 * Signs the browser's environment was altered: the page and a Web Worker
 * disagree (spoofing extensions usually patch only the page); the zone name
 * does not have the offsets reported with it; or the clock is off by more
 * than the threshold (by whole hours, it was set by hand for another zone).
 */
export function tamperingRule(ctx: SignalContext): RiskFlag[] {
  const reports = ctx.environments.length ? ctx.environments : ctx.environment ? [ctx.environment] : [];
  // Each report is judged; per kind of flag the most severe (earliest on a tie) stands, whatever came later.
  const byId = new Map<RiskFlag["id"], RiskFlag>();
  for (const env of reports) {
    for (const flag of judgeReport(env, ctx)) {
      const kept = byId.get(flag.id);
      if (!kept || mostSevere([kept, flag]) !== kept) byId.set(flag.id, flag);
    }
  }
  const changed = zoneChange(reports);
  return [...byId.values(), ...(changed ? [changed] : [])];
}

/**
 * One browser keeps its time zone through an interview. Reports that name
 * different zones or offsets mean the zone was changed (or faked) between
 * them; the earlier values are kept as evidence beside the later ones.
 */
function zoneChange(reports: EnvironmentSummary[]): RiskFlag | undefined {
  const distinct = new Map<string, { timeZone: string; offsetJanuary: number; offsetJuly: number; firstReportedAt: string }>();
  for (const env of reports) {
    const z = pick(env.report);
    const key = `${z.timeZone}|${z.offsetJanuary}|${z.offsetJuly}`;
    if (!distinct.has(key)) distinct.set(key, { ...z, firstReportedAt: env.receivedAt });
  }
  if (distinct.size < 2) return undefined;
  const readings = [...distinct.values()];
  const names = readings.map((z) => `${z.timeZone} (${formatOffset(z.offsetJanuary)})`);
  return {
    id: "zone_changed",
    severity: "medium",
    advisoryFlag: "location_mismatch",
    title: `The browser's time zone changed during the interview: ${names.join(" → ")}`,
    explanation:
      `The candidate's browser reported ${names.join(", then ")} within this one interview. A computer does not change ` +
      `its time zone by itself between two page loads; someone changed or faked it, which is how an earlier, revealing ` +
      `zone would be hidden. Every report is kept, and the earlier zone is still judged against the claim.`,
    evidence: { provenance: "reported", reports: reports.length, readings },
  };
}

function judgeReport(env: EnvironmentSummary, ctx: SignalContext): RiskFlag[] {
  const r = env.report;
  const flags: RiskFlag[] = [];

  if (r.worker) {
    const w = r.worker;
    const differs = w.timeZone !== r.timeZone || w.offsetJanuary !== r.offsetJanuary || w.offsetJuly !== r.offsetJuly;
    if (differs) {
      flags.push({
        id: "worker_mismatch",
        severity: "medium",
        advisoryFlag: "location_mismatch",
        title: "The page and a background worker report different time zones",
        explanation:
          `The page reported ${r.timeZone} (${formatOffset(r.offsetJanuary)}) while a background worker in the same ` +
          `browser reported ${w.timeZone} (${formatOffset(w.offsetJanuary)}). A browser on its own gives the same answer ` +
          `in both; extensions that fake the time zone often change only the page.`,
        evidence: { page: pick(r), worker: pick(w) },
      });
    }
  }

  const year = new Date(r.clientTime).getUTCFullYear();
  const expected = zoneOffsets(r.timeZone, year);
  if (!sameOffsets(expected, r)) {
    flags.push({
      id: "zone_offset_mismatch",
      severity: "medium",
      advisoryFlag: "location_mismatch",
      title: `The clock offset does not belong to ${r.timeZone}`,
      explanation:
        `The browser named the zone ${r.timeZone}, which is ${formatOffset(expected.offsetJanuary)} in January and ` +
        `${formatOffset(expected.offsetJuly)} in July, but its clock ran at ${formatOffset(r.offsetJanuary)} and ` +
        `${formatOffset(r.offsetJuly)}. The zone name was probably faked; a very outdated browser is the innocent explanation.`,
      evidence: { reported: pick(r), expectedForZone: { timeZone: r.timeZone, ...expected } },
    });
  }

  const skew = env.skewMs;
  const threshold = ctx.settings.clockSkewSeconds * 1000;
  if (Math.abs(skew) > threshold) {
    const hours = skew / HOUR_MS;
    const wholeHours = Math.abs(hours) >= 0.9 && Math.abs(hours - Math.round(hours)) < 0.1;
    flags.push({
      id: "clock_skew",
      severity: Math.abs(skew) > HOUR_MS ? "medium" : "low",
      advisoryFlag: "location_mismatch",
      title: `The computer's clock is ${describeSkew(skew)}`,
      explanation:
        `The candidate's clock differs from the server's by ${describeSkew(skew)}.` +
        (wholeHours
          ? ` Being off by about ${Math.round(Math.abs(hours))} whole hour(s) usually means the clock was set by hand to another zone's time.`
          : " Computers that sync their time are rarely off by this much."),
      evidence: {
        skewSeconds: Math.round(skew / 1000),
        thresholdSeconds: ctx.settings.clockSkewSeconds,
        clientTime: new Date(r.clientTime).toISOString(),
        receivedAt: env.receivedAt,
        ...(r.serverTime !== undefined ? { serverTimeSeenByPage: new Date(r.serverTime).toISOString() } : {}),
      },
    });
  }
  return flags;
}

function pick(z: { timeZone: string; offsetJanuary: number; offsetJuly: number }) {
  return { timeZone: z.timeZone, offsetJanuary: z.offsetJanuary, offsetJuly: z.offsetJuly };
}

function describeSkew(ms: number): string {
  const abs = Math.abs(ms);
  const dir = ms > 0 ? "ahead" : "behind";
  if (abs >= HOUR_MS) return `${(abs / HOUR_MS).toFixed(1)} hours ${dir}`;
  if (abs >= 60_000) return `${Math.round(abs / 60_000)} minutes ${dir}`;
  return `${Math.round(abs / 1000)} seconds ${dir}`;
}
