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
  /** Every environment report of the interview; rules judge each, so a later report cannot erase an earlier one. */
  environments?: Array<{ report: EnvironmentReport; receivedAt: string }>;
  /** The latest network report and when the server received it. */
  network?: { report: NetworkReport; receivedAt: string } | null;
  /** Every network report of the interview; the smallest round trip over all of them is kept. */
  networks?: Array<{ report: NetworkReport; receivedAt: string }>;
  settings?: SignalSettingsInput;
  now: Date;
}

/** Everything a rule reads, computed once: rules stay pure functions of this. */
export interface SignalContext {
  claimed?: ClaimedLocation;
  events: InterviewEvent[];
  sightings: Sighting[];
  ips: IpObservation[];
  /** The latest environment report. */
  environment: EnvironmentSummary | null;
  /** Every environment report, oldest first (the latest included). */
  environments: EnvironmentSummary[];
  network: NetworkSummary | null;
  settings: SignalSettings;
}

/** Resolves IPs, skew and zone country, and applies the settings' defaults. */
export function buildContext(input: RiskInput): SignalContext {
  const sightings = input.events
    .filter((e) => e.actor === "candidate" && e.ip)
    .map((e) => ({ at: Date.parse(e.at), ip: e.ip!, type: e.type }))
    .sort((a, b) => a.at - b.at);
  const environments = withLatest(input.environments, input.environment).map((e) => summariseEnvironment(e.report, e.receivedAt));
  const networks = withLatest(input.networks, input.network);
  const latestNetwork = networks.at(-1);
  return {
    ...(input.claimed ? { claimed: input.claimed } : {}),
    events: input.events,
    sightings,
    ips: summariseIps(sightings, input.geo),
    environment: environments.at(-1) ?? null,
    environments,
    network: latestNetwork
      ? summariseNetwork(latestNetwork.report, latestNetwork.receivedAt, networks.flatMap((n) => n.report.rttMs))
      : null,
    settings: SignalSettings.parse(input.settings ?? {}),
  };
}

/** Every report, oldest first, with the latest one added when the list lacks it. */
function withLatest<T extends { receivedAt: string }>(all: T[] | undefined, latest: T | null | undefined): T[] {
  const list = [...(all ?? [])];
  const same = (r: T) => r === latest || JSON.stringify(r) === JSON.stringify(latest);
  if (latest && !list.some(same)) list.push(latest);
  return list.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
}

/** Groups sightings by IP, with what the databases say about each. */
function summariseIps(sightings: Sighting[], geo: GeoLookup): IpObservation[] {
  const byIp = new Map<string, IpObservation>();
  // Times as numbers while counting, formatted once per IP at the end: formatting per sighting was most of the cost.
  const span = new Map<string, { first: number; last: number }>();
  for (const s of sightings) {
    const existing = byIp.get(s.ip);
    if (existing) {
      existing.count++;
      const seen = span.get(s.ip)!;
      seen.first = Math.min(seen.first, s.at);
      seen.last = Math.max(seen.last, s.at);
      continue;
    }
    span.set(s.ip, { first: s.at, last: s.at });
    const isPrivate = !isPublicIp(s.ip);
    const info = isPrivate ? {} : geo.lookup(s.ip);
    const reason = hostingReason(info);
    byIp.set(s.ip, {
      ip: s.ip,
      ...info,
      hosting: reason !== undefined,
      ...(reason ? { hostingReason: reason } : {}),
      private: isPrivate,
      // Formatted below, once the span is known.
      firstSeen: "",
      lastSeen: "",
      count: 1,
      source: "measured",
    });
  }
  for (const observation of byIp.values()) {
    const { first, last } = span.get(observation.ip)!;
    observation.firstSeen = new Date(first).toISOString();
    observation.lastSeen = new Date(last).toISOString();
  }
  return [...byIp.values()];
}

/**
 * A stored report as the browser sent it: the timeline adds the session that sent it
 * (`sessionId`), which is the kit's bookkeeping, not part of the report.
 */
function asSent<T extends object>(stored: T): T {
  if (!("sessionId" in stored)) return stored;
  const { sessionId: _sessionId, ...report } = stored;
  return report as T;
}

/** Adds the clock skew (client minus server at receipt) and the zone's country. */
function summariseEnvironment(stored: EnvironmentReport, receivedAt: string): EnvironmentSummary {
  const report = asSent(stored);
  const zoneCountry = zoneCountries(report.timeZone)[0];
  return {
    report,
    source: "reported",
    receivedAt,
    skewMs: report.clientTime - Date.parse(receivedAt),
    ...(zoneCountry ? { zoneCountry } : {}),
  };
}

/**
 * Adds the smallest round trip: over `allRttMs` (every report of the
 * interview) when given, so a later report of long round trips cannot hide an
 * earlier short one. The browser reports these, and the summary says so.
 */
function summariseNetwork(report: NetworkReport, receivedAt: string, allRttMs: number[] = report.rttMs): NetworkSummary {
  return {
    report: asSent(report),
    source: "reported",
    receivedAt,
    ...(allRttMs.length ? { minRttMs: allRttMs.reduce((a, b) => Math.min(a, b)) } : {}),
    rttSource: "reported",
  };
}
