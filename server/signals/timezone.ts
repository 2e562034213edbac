import type { ClaimedLocation } from "../../shared/location.js";
import type { RiskFlag, Severity, ZoneReading } from "../../shared/signals.js";
import type { SignalContext } from "./context.js";
import { countryName, isAdvisoryPattern, mostSevere } from "./flags.js";
import { countryZones, formatOffset, sameOffsets, sameZone, zoneCountries, zoneOffsets } from "./zones.js";

/**
 * The browser's time zone against the claimed location. The advisory's
 * pattern (a Korean or Japanese claim, a Chinese or Russian zone) is high.
 * Another country's zone is medium when the clock offset differs too, and low
 * when the offset is the same (Asia/Tokyo for a claimed Seoul reads the same
 * hour). A zone with no country (UTC, often a privacy mode) is judged by offset.
 */
export function timezoneRule(ctx: SignalContext): RiskFlag[] {
  const claimed = ctx.claimed;
  if (!claimed) return [];
  // Every report is judged: a later report (a zone switched back to the claim) never erases an earlier one.
  const reports = ctx.environments.length ? ctx.environments : ctx.environment ? [ctx.environment] : [];
  const perReport = reports.map((env) => {
    const { worker, clientTime } = env.report;
    const year = new Date(clientTime).getUTCFullYear();
    const page = judge(env.report, "page", claimed, year);
    // A spoofing extension usually patches only the page; the worker then shows the real zone.
    const other = worker && worker.timeZone !== env.report.timeZone ? judge(worker, "worker", claimed, year) : undefined;
    return [page, other]
      .filter((f): f is RiskFlag => f !== undefined)
      .map((f) => ({ ...f, evidence: { ...f.evidence, provenance: "reported", receivedAt: env.receivedAt } }));
  });
  const worst = mostSevere(perReport.flat());
  if (!worst) return [];
  const reportsFlagged = perReport.filter((f) => f.length > 0).length;
  return [{ ...worst, evidence: { ...worst.evidence, reportsJudged: reports.length, reportsFlagged } }];
}

function judge(reading: ZoneReading, source: "page" | "worker", claimed: ClaimedLocation, year: number): RiskFlag | undefined {
  const zone = reading.timeZone;
  const countries = zoneCountries(zone);
  const zoneCountry = countries[0];

  const expectedZones = claimed.timezone ? [claimed.timezone] : countryZones(claimed.country);
  const zoneMatches = claimed.timezone ? sameZone(zone, claimed.timezone) : countries.includes(claimed.country);
  if (zoneMatches) return undefined;

  const offsets = { offsetJanuary: reading.offsetJanuary, offsetJuly: reading.offsetJuly };
  const offsetMatches = expectedZones.some((z) => sameOffsets(zoneOffsets(z, year), offsets));
  const inClaimedCountry = countries.includes(claimed.country);

  let severity: Severity;
  if (isAdvisoryPattern(claimed.country, zoneCountry)) severity = "high";
  else if (offsetMatches || inClaimedCountry) severity = "low";
  else severity = "medium";

  const claimText = claimed.timezone ? `the claimed zone ${claimed.timezone}` : `${countryName(claimed.country)}`;
  const where = zoneCountry ? `, which is used in ${countryName(zoneCountry)}` : ", which belongs to no country";
  const subject = source === "page" ? "The candidate's browser is" : "A background worker in the candidate's browser is";
  let explanation =
    `${subject} set to the time zone ${zone}${where} (${formatOffset(reading.offsetJanuary)} in January), ` +
    `but the candidate says they are in ${claimText}.`;
  if (severity === "high") {
    explanation += ` This is the pattern the advisory describes: a claimed ${countryName(claimed.country)} location with a computer set up in ${countryName(zoneCountry)}.`;
  } else if (!zoneCountry) {
    explanation += " Some privacy settings and remote desktops report UTC; ask the candidate about it.";
  } else if (offsetMatches) {
    explanation += " The clock reads the same hour as the claimed location, so this may be a harmless setting.";
  }

  return {
    id: "timezone_mismatch",
    severity,
    advisoryFlag: "location_mismatch",
    title: `Browser time zone ${zone} does not match ${claimed.timezone ?? countryName(claimed.country)}`,
    explanation,
    evidence: {
      source,
      reportedZone: zone,
      zoneCountries: countries,
      reportedOffsets: { january: formatOffset(reading.offsetJanuary), july: formatOffset(reading.offsetJuly) },
      claimedCountry: claimed.country,
      ...(claimed.timezone ? { claimedZone: claimed.timezone } : {}),
      claimedZones: expectedZones.slice(0, 12),
      sameOffsetAsClaim: offsetMatches,
    },
  };
}
