import type { RiskFlag, Severity } from "../../shared/signals.js";
import type { SignalContext, Sighting } from "./context.js";

/**
 * The advisory's "many logins from different IP addresses in a short time":
 * the candidate's link used from two or more addresses within the window.
 * Two addresses of one network (a phone changing cell, IPv4 and IPv6 of one
 * home line) are low; two networks medium; three networks or two countries high.
 */
export function manyIpsRule(ctx: SignalContext): RiskFlag[] {
  const windowMs = ctx.settings.windowHours * 3600_000;
  const busiest = busiestWindow(ctx.sightings, windowMs);
  if (!busiest || busiest.ips.size < 2) return [];

  const observations = ctx.ips.filter((o) => busiest.ips.has(o.ip));
  const networks = new Set(observations.map((o) => (o.asn !== undefined ? `AS${o.asn}` : `ip:${o.ip}`)));
  const countries = new Set(observations.flatMap((o) => (o.country ? [o.country] : [])));
  let severity: Severity = "low";
  if (networks.size >= 2 || busiest.ips.size >= 4) severity = "medium";
  if (networks.size >= 3 || countries.size >= 2) severity = "high";

  const hours = ctx.settings.windowHours;
  const spanMinutes = Math.round((busiest.last - busiest.first) / 60_000);
  return [
    {
      id: "many_ips",
      severity,
      advisoryFlag: "many_ips",
      title: `Link used from ${busiest.ips.size} IP addresses within ${formatSpan(spanMinutes)}`,
      explanation:
        `The candidate's link was used from ${busiest.ips.size} different IP addresses ` +
        `on ${networks.size} network${networks.size === 1 ? "" : "s"}` +
        (countries.size > 1 ? ` in ${countries.size} countries` : "") +
        ` within ${hours} hours. One person on one connection normally uses one or two addresses; ` +
        `several networks in a short time can mean a shared identity or hops through proxies.`,
      evidence: {
        windowHours: hours,
        from: new Date(busiest.first).toISOString(),
        to: new Date(busiest.last).toISOString(),
        distinctIps: busiest.ips.size,
        distinctNetworks: [...networks],
        distinctCountries: [...countries],
        ips: observations.map((o) => ({ ip: o.ip, country: o.country, asn: o.asn, org: o.org, count: o.count })),
      },
    },
  ];
}

interface Window {
  first: number;
  last: number;
  ips: Set<string>;
}

/** The stretch of at most `windowMs` with the most distinct IPs (two pointers over time-ordered sightings). */
export function busiestWindow(sightings: Sighting[], windowMs: number): Window | undefined {
  let best: Window | undefined;
  const counts = new Map<string, number>();
  let start = 0;
  for (let end = 0; end < sightings.length; end++) {
    const current = sightings[end]!;
    counts.set(current.ip, (counts.get(current.ip) ?? 0) + 1);
    while (current.at - sightings[start]!.at > windowMs) {
      const old = sightings[start++]!;
      const left = counts.get(old.ip)! - 1;
      if (left === 0) counts.delete(old.ip);
      else counts.set(old.ip, left);
    }
    if (!best || counts.size > best.ips.size) {
      best = { first: sightings[start]!.at, last: current.at, ips: new Set(counts.keys()) };
    }
  }
  return best;
}

function formatSpan(minutes: number): string {
  if (minutes < 1) return "a minute";
  if (minutes < 120) return `${minutes} minutes`;
  return `${Math.round(minutes / 60)} hours`;
}
