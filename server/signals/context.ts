import type { EventType, InterviewEvent } from "../../shared/interview.js";
import type { ClaimedLocation } from "../../shared/location.js";
import type {
  EnvironmentReport,
  EnvironmentSummary,
  IpObservation,
  NetworkReport,
  NetworkSummary,
} from "../../shared/signals.js";
import { type GeoLookup, hostingReason, isPublicIp } from "../geo/index.js";
import { SignalSettings, type SignalSettingsInput } from "./settings.js";
import { zoneCountries } from "./zones.js";

/** One candidate request with an IP: a link open, a camera report, a liveness step. */
export interface Sighting {
  at: number;
  ip: string;
  type: EventType;
}

/** What the risk report is built from. */
export interface RiskInput {
  interviewId: string;
  claimed?: ClaimedLocation;
  /** The interview's events; candidate events with an IP are the link opens and later requests. */
  events: InterviewEvent[];
  geo: GeoLookup;
  /** The latest environment report and when the server received it. */
  environment?: { report: EnvironmentReport; receivedAt: string } | null;
  /** The latest network report and when the server received it. */
  network?: { report: NetworkReport; receivedAt: string } | null;
  settings?: SignalSettingsInput;
  now: Date;
}

/** Everything a rule reads, computed once: rules stay pure functions of this. */
export interface SignalContext {
  claimed?: ClaimedLocation;
  events: InterviewEvent[];
  sightings: Sighting[];
  ips: IpObservation[];
  environment: EnvironmentSummary | null;
  network: NetworkSummary | null;
  settings: SignalSettings;
}

/** Resolves IPs, skew and zone country, and applies the settings' defaults. */
export function buildContext(input: RiskInput): SignalContext {
  const sightings = input.events
    .filter((e) => e.actor === "candidate" && e.ip)
    .map((e) => ({ at: Date.parse(e.at), ip: e.ip!, type: e.type }))
    .sort((a, b) => a.at - b.at);
  return {
    ...(input.claimed ? { claimed: input.claimed } : {}),
    events: input.events,
    sightings,
    ips: summariseIps(sightings, input.geo),
    environment: input.environment ? summariseEnvironment(input.environment.report, input.environment.receivedAt) : null,
    network: input.network ? summariseNetwork(input.network.report, input.network.receivedAt) : null,
    settings: SignalSettings.parse(input.settings ?? {}),
  };
}

/** Groups sightings by IP, with what the databases say about each. */
export function summariseIps(sightings: Sighting[], geo: GeoLookup): IpObservation[] {
  const byIp = new Map<string, IpObservation>();
  for (const s of sightings) {
    const seen = new Date(s.at).toISOString();
    const existing = byIp.get(s.ip);
    if (existing) {
      existing.count++;
      if (seen < existing.firstSeen) existing.firstSeen = seen;
      if (seen > existing.lastSeen) existing.lastSeen = seen;
      continue;
    }
    const isPrivate = !isPublicIp(s.ip);
    const info = isPrivate ? {} : geo.lookup(s.ip);
    const reason = hostingReason(info);
    byIp.set(s.ip, {
      ip: s.ip,
      ...info,
      hosting: reason !== undefined,
      ...(reason ? { hostingReason: reason } : {}),
      private: isPrivate,
      firstSeen: seen,
      lastSeen: seen,
      count: 1,
    });
  }
  return [...byIp.values()];
}

/** Adds the clock skew (client minus server at receipt) and the zone's country. */
export function summariseEnvironment(report: EnvironmentReport, receivedAt: string): EnvironmentSummary {
  const zoneCountry = zoneCountries(report.timeZone)[0];
  return {
    report,
    receivedAt,
    skewMs: report.clientTime - Date.parse(receivedAt),
    ...(zoneCountry ? { zoneCountry } : {}),
  };
}

/** Adds the smallest round trip measured. */
export function summariseNetwork(report: NetworkReport, receivedAt: string): NetworkSummary {
  return {
    report,
    receivedAt,
    ...(report.rttMs.length ? { minRttMs: Math.min(...report.rttMs) } : {}),
  };
}
