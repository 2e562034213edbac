import type { EventType, InterviewEvent } from "../../shared/interview.js";
import type { RiskFlag } from "../../shared/signals.js";
import type { SignalContext } from "./context.js";

/** The candidate's own reports: any one of them from a session counts as that session reporting. */
const SIGNAL_REPORTS: ReadonlySet<EventType> = new Set(["environment_reported", "network_reported", "camera_granted", "camera_refused", "camera_unavailable"]);

/**
 * Whether `sessionId` should now be recorded as `signals_missing`: it has sent none of the reports
 * (environment, network, camera) and is not recorded yet. Reports stored before they carried a
 * session (no `sessionId`) count for any session.
 */
export function silentSession(events: InterviewEvent[], sessionId: string): boolean {
  const sessionOf = (e: InterviewEvent) => (e.data as { sessionId?: unknown }).sessionId;
  const reported = events.some((e) => SIGNAL_REPORTS.has(e.type) && (sessionOf(e) === undefined || sessionOf(e) === sessionId));
  const recorded = events.some((e) => e.type === "signals_missing" && sessionOf(e) === sessionId);
  return !reported && !recorded;
}

/**
 * Silence is not a clean record (review 2, finding 15): the time-zone, clock and round-trip rules
 * judge the browser's own reports, so a client that sends none would score cleaner than an honest
 * browser. The join records `signals_missing` for a session that sent no environment, network or
 * camera report; this raises it as a review flag (medium), which outranks the one low flag an honest
 * machine often has.
 */
export function signalsMissingRule(ctx: SignalContext): RiskFlag[] {
  const silent = ctx.events.filter((e) => e.type === "signals_missing");
  if (!silent.length) return [];
  const sessions = [...new Set(silent.map((e) => (e.data as { sessionId?: unknown }).sessionId).filter((s): s is string => typeof s === "string"))];
  return [
    {
      id: "signals_missing",
      severity: "medium",
      advisoryFlag: "location_mismatch",
      title: "Joined without the browser's reports",
      explanation:
        `${sessions.length || silent.length} candidate session(s) joined the interview without sending any of the reports the kit's page always sends ` +
        "(time zone and languages, camera, network path). Without them the time-zone, clock and round-trip checks cannot run. " +
        "The kit's own page never skips them; a script, or a page the kit does not serve, does.",
      evidence: { sessions, firstAt: silent[0]!.at },
    },
  ];
}
