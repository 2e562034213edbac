import type { EventType, InterviewEvent } from "../../shared/interview.js";
import type { EnvironmentReport } from "../../shared/signals.js";
import { zoneOffsets } from "./zones.js";

/** Helpers for the signal tests: events and reports shaped as the server stores them. */

export const T0 = Date.parse("2026-03-02T09:00:00.000Z");
export const minutes = (n: number) => n * 60_000;

let nextId = 1;

/** A candidate event at `T0 + offsetMs` from `ip`. */
export function candidateEvent(ip: string | null, offsetMs = 0, type: EventType = "link_opened"): InterviewEvent {
  return {
    id: nextId++,
    type,
    at: new Date(T0 + offsetMs).toISOString(),
    actor: "candidate",
    ip,
    userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/139.0",
    data: {},
  };
}

/** An environment report from a browser really set to `zone`, its clock exact at T0. */
export function environmentIn(zone: string, overrides: Partial<EnvironmentReport> = {}): EnvironmentReport {
  const offsets = zoneOffsets(zone, new Date(T0).getUTCFullYear());
  return {
    timeZone: zone,
    ...offsets,
    worker: { timeZone: zone, ...offsets },
    languages: ["en-US", "en"],
    locale: "en-US",
    clientTime: T0,
    ...overrides,
  };
}

/** The receive time to pair with an environment report made at T0. */
export const RECEIVED_AT = new Date(T0).toISOString();
