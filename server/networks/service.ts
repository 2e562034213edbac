import type { InterviewEvent } from "../../shared/interview.js";
import { type GeoLookup, hostingReason, isPublicIp } from "../geo/index.js";
import type { InterviewRecord, NetworkNeighbour, Store } from "../store/index.js";
import type { Timeline } from "../timeline/index.js";
import { networkPrefix } from "./prefix.js";

export interface NetworkReuseDeps {
  store: Store;
  timeline: Timeline;
  geo: GeoLookup;
  /** How far back other interviews are compared (NETWORK_REUSE_DAYS). */
  windowDays: number;
  now: () => Date;
}

/** At most this many other interviews are named in one check. */
const MAX_MATCHES = 50;

type Match = Extract<InterviewEvent, { type: "network_checked" }>["data"]["matches"][number];

/** The candidate an interview names: by email when there is one, else by name (case and spacing aside). */
export const identityKey = (c: { candidateName: string; candidateEmail?: string }) =>
  c.candidateEmail ? `email:${c.candidateEmail.trim().toLowerCase()}` : `name:${c.candidateName.trim().toLowerCase().replace(/\s+/g, " ")}`;

/**
 * Laptop farms: one facilitator's network hosts the laptops of workers hired under different names.
 * Each address a candidate uses is kept (with its /24 or /48) and looked up, by index, among the
 * other interviews of the window. Another candidate identity on the same address, or on the same
 * prefix of a residential or business network, is recorded as `network_checked`; the report turns
 * it into `network_reused`. Hosting and VPN networks are left out: they are flagged already
 * (`proxy_or_hosting_ip`) and shared by strangers.
 */
export class NetworkReuseService {
  constructor(private readonly deps: NetworkReuseDeps) {}

  /** Records where the candidate was seen and, when other identities were seen there too, what matched. Never throws. */
  async check(interview: InterviewRecord, ip: string | null): Promise<void> {
    try {
      await this.checkOrThrow(interview, ip);
    } catch (err) {
      console.error(`network reuse check of interview ${interview.id} failed:`, (err as Error).message);
    }
  }

  private async checkOrThrow(interview: InterviewRecord, ip: string | null): Promise<void> {
    const { store, timeline, geo, now } = this.deps;
    if (!ip || !isPublicIp(ip)) return;
    const prefix = networkPrefix(ip);
    if (!prefix || hostingReason(geo.lookup(ip))) return;
    const at = now();
    await store.recordIpSighting({ interviewId: interview.id, ip, prefix, at: at.toISOString() });
    const since = new Date(at.getTime() - this.deps.windowDays * 86_400_000).toISOString();
    const own = identityKey({ candidateName: interview.candidateName, ...(interview.candidateEmail ? { candidateEmail: interview.candidateEmail } : {}) });
    const others = (await store.sharedNetworks(interview.id, [ip], [prefix], since, MAX_MATCHES * 4)).filter((n) => identityKey(n) !== own);
    const matches = newestPerInterview(others, ip).slice(0, MAX_MATCHES);
    if (!matches.length) return;
    // Only a change is recorded: each later request from the same place would repeat the same finding.
    const previous = (await store.listEvents(interview.id)).filter((e) => e.type === "network_checked" && !e.legacy).at(-1);
    const seen = (m: Match[]) => m.map((x) => `${x.interviewId}:${x.sameAddress}`).sort().join(",");
    if (previous && previous.type === "network_checked" && previous.data.ip === ip && seen(previous.data.matches) === seen(matches)) return;
    await timeline.record(interview, { type: "network_checked", actor: "system", data: { ip, prefix, matches } });
  }
}

/** One entry per other interview: its sighting on the same address if any, else its newest on the prefix. */
function newestPerInterview(neighbours: NetworkNeighbour[], ip: string): Match[] {
  const best = new Map<string, Match>();
  for (const n of neighbours) {
    const sameAddress = n.ip === ip;
    const current = best.get(n.interviewId);
    if (current && (current.sameAddress || !sameAddress)) continue;
    best.set(n.interviewId, {
      interviewId: n.interviewId,
      candidateName: n.candidateName,
      ...(n.candidateEmail ? { candidateEmail: n.candidateEmail } : {}),
      ip: n.ip,
      at: n.at,
      sameAddress,
    });
  }
  return [...best.values()];
}
