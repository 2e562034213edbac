import { isIP } from "node:net";
import type { EventType } from "../../shared/interview.js";
import { REDACTED_NAME } from "../../shared/personal-data.js";

/** Events whose whole data is what the candidate's browser said about its machine and network. */
const WHOLLY_PERSONAL: ReadonlySet<EventType> = new Set(["environment_reported", "network_reported"]);

/**
 * Keys whose values identify a person or a machine: addresses, user agents, device labels, names, free text,
 * face-derived numbers (embeddings, antispoof scores), and an identity document's fields (names, dates, number hash).
 */
const PERSONAL_KEY = /^(ip|ips|address|remoteAddress|userAgent|user_agent|label|deviceName|device|devices|email|candidateEmail|name|detail|note|embedding|vector|antispoof|document|surname|givenNames|birthDate|numberHash)$/i;
/** Names kept as a key (other code reads it) with a placeholder value. */
const PLACEHOLDER_KEY = /^candidateName$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const personalString = (v: string) => isIP(v) !== 0 || EMAIL.test(v);

function scrub(value: unknown): unknown {
  if (typeof value === "string") return personalString(value) ? undefined : value;
  if (Array.isArray(value)) return value.map((v) => scrub(v) ?? "[redacted]");
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (PLACEHOLDER_KEY.test(k)) out[k] = REDACTED_NAME;
      else if (PERSONAL_KEY.test(k)) continue;
      else {
        const s = scrub(v);
        if (s !== undefined) out[k] = s;
      }
    }
    return out;
  }
  return value;
}

/**
 * An event's data without personal values: environment and network reports
 * lose their whole content; other events lose IPs, user agents, device
 * labels, names, emails and free-text notes or details, wherever they sit,
 * and keep the rest (verdicts, failures, steps, similarities, ids).
 * Returns `data` itself when nothing personal was found.
 */
export function redactEventData(type: EventType, data: Record<string, unknown>): Record<string, unknown> {
  const out = WHOLLY_PERSONAL.has(type) ? { redacted: true } : (scrub(data) as Record<string, unknown>);
  return JSON.stringify(out) === JSON.stringify(data) ? data : out;
}
