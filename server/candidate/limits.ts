import type { MiddlewareHandler } from "hono";
import { rateLimited } from "../errors/index.js";
import { hashSecret } from "../security/index.js";
import type { RateLimiter } from "../security/rate-limit.js";
import type { Store } from "../store/index.js";
import type { CandidateEnv } from "./context.js";

/** The candidate API's limits: requests per client IP and per link, and events per interview. */
export interface CandidateLimits {
  perIp: RateLimiter;
  perLink: RateLimiter;
  /** Status polls (the page asks about once a second) count apart, against a budget `POLL_FACTOR` times larger. */
  pollsPerIp: RateLimiter;
  pollsPerLink: RateLimiter;
  maxEventsPerInterview: number;
}

/** How many more status polls than other requests a minute allows: the page polls at 1/s while a check or the join runs. */
export const POLL_FACTOR = 4;

/** Builds the limits on the store's shared counters (one-minute windows). */
export function candidateLimits(
  store: Store,
  settings: { perIpPerMinute: number; perLinkPerMinute: number; maxEventsPerInterview: number },
): CandidateLimits {
  return {
    perIp: store.createRateLimiter({ name: "candidate_ip", points: settings.perIpPerMinute, durationSeconds: 60 }),
    perLink: store.createRateLimiter({ name: "candidate_link", points: settings.perLinkPerMinute, durationSeconds: 60 }),
    pollsPerIp: store.createRateLimiter({ name: "candidate_poll_ip", points: settings.perIpPerMinute * POLL_FACTOR, durationSeconds: 60 }),
    pollsPerLink: store.createRateLimiter({ name: "candidate_poll_link", points: settings.perLinkPerMinute * POLL_FACTOR, durationSeconds: 60 }),
    maxEventsPerInterview: settings.maxEventsPerInterview,
  };
}

const TOO_MANY = "Too many requests; wait before trying again.";

/**
 * Counts the request against its client IP and its link before anything else
 * runs, so unknown links (token guessing) are limited too. The address and
 * the link are counted by their hashes: raw IPs and tokens are never stored.
 */
export function rateLimit(limits: CandidateLimits, kind: "requests" | "polls" = "requests"): MiddlewareHandler<CandidateEnv> {
  const [perIp, perLink] = kind === "polls" ? [limits.pollsPerIp, limits.pollsPerLink] : [limits.perIp, limits.perLink];
  return async (c, next) => {
    const ip = c.get("clientIp") ?? "unknown";
    // Counted by the address's hash, so the shared counters hold no client IP at rest (erasure scans every table).
    const byIp = await perIp.hit(hashSecret(`ip:${ip}`));
    if (!byIp.allowed) throw rateLimited(`${TOO_MANY} This address has made too many requests.`, byIp.retryAfterSeconds);
    const byLink = await perLink.hit(hashSecret(c.req.param("token") ?? ""));
    if (!byLink.allowed) throw rateLimited(`${TOO_MANY} This link has received too many requests.`, byLink.retryAfterSeconds);
    await next();
  };
}

/**
 * Refuses a request once the link's interview holds `maxEventsPerInterview`
 * events, before anything is stored. Waiting does not help, so no Retry-After.
 */
export function eventCap(store: Store, limits: CandidateLimits): MiddlewareHandler<CandidateEnv> {
  return async (c, next) => {
    const interview = c.get("interview");
    if ((await store.countEvents(interview.id)) >= limits.maxEventsPerInterview) {
      throw rateLimited(
        `This interview has recorded the most events it may hold (${limits.maxEventsPerInterview}); ask the interviewer for help.`,
      );
    }
    await next();
  };
}
