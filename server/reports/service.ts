import type { InterviewEvent } from "../../shared/interview.js";
import { RedactionRecord } from "../../shared/personal-data.js";
import { EnvironmentReport, NetworkReport, type RiskFlag, type RiskLevel, type RiskReport } from "../../shared/signals.js";
import { notFound } from "../errors/index.js";
import type { GeoLookup } from "../geo/index.js";
import { resolveLink } from "../timeline/index.js";
import { buildRiskReport, levelFor, sortFlags, type SignalSettingsInput } from "../signals/index.js";
import type { InterviewRecord, Store } from "../store/index.js";

export interface ReportServiceDeps {
  store: Store;
  geo: GeoLookup;
  settings: SignalSettingsInput;
  now: () => Date;
}

/** The latest event of a type whose data still parses with the wire schema. */
function latest<T>(events: InterviewEvent[], type: InterviewEvent["type"], schema: { safeParse(v: unknown): { success: boolean; data?: T } }) {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.type !== type) continue;
    const parsed = schema.safeParse(e.data);
    if (parsed.success) return { report: parsed.data as T, receivedAt: e.at };
  }
  return null;
}

/** Every event of a type whose data still parses with the wire schema, oldest first. */
function all<T>(events: InterviewEvent[], type: InterviewEvent["type"], schema: { safeParse(v: unknown): { success: boolean; data?: T } }) {
  return events.flatMap((e) => {
    if (e.type !== type) return [];
    const parsed = schema.safeParse(e.data);
    return parsed.success ? [{ report: parsed.data as T, receivedAt: e.at }] : [];
  });
}

/** Builds the risk report: the advisory's red flags, each with its evidence. */
export class ReportService {
  constructor(private readonly deps: ReportServiceDeps) {}

  /** The report of an interview by id (API key). */
  async forInterview(id: string): Promise<RiskReport> {
    const interview = await this.deps.store.getInterview(id);
    if (!interview) throw notFound("Interview");
    return this.build(interview);
  }

  /** The report behind an interviewer link. */
  async forInterviewerLink(token: string): Promise<RiskReport> {
    return this.build(await resolveLink(this.deps.store, "interviewer", token, this.deps.now()));
  }

  /** The report of a stored interview; pass its events when the caller has already read them. */
  async build(interview: InterviewRecord, events?: InterviewEvent[]): Promise<RiskReport> {
    events ??= await this.deps.store.listEvents(interview.id);
    const report = buildRiskReport({
      interviewId: interview.id,
      ...(interview.claimedLocation ? { claimed: interview.claimedLocation } : {}),
      events,
      geo: this.deps.geo,
      environment: latest(events, "environment_reported", EnvironmentReport),
      // Every report, not only the latest: a later report must not erase the evidence of an earlier one.
      environments: all(events, "environment_reported", EnvironmentReport),
      network: latest(events, "network_reported", NetworkReport),
      networks: all(events, "network_reported", NetworkReport),
      settings: this.deps.settings,
      now: this.deps.now(),
    });
    return withRedaction(report, events);
  }
}

const LEVEL_RANK: Record<RiskLevel, number> = { clear: 0, review: 1, high: 2 };

/**
 * After a redaction the evidence behind many flags (IPs, reported zones) is
 * gone: the report keeps the level recorded just before as a floor and lists
 * the flags raised then that the rules no longer find, without evidence.
 */
function withRedaction(report: RiskReport, events: InterviewEvent[]): RiskReport {
  const event = events.find((e) => e.type === "personal_data_redacted");
  const parsed = event && RedactionRecord.safeParse(event.data);
  if (!event || !parsed?.success) return report;
  const current = new Set(report.flags.map((f) => f.id));
  const kept: RiskFlag[] = parsed.data.flags
    .filter((f) => !current.has(f.id))
    .map((f) => ({
      ...f,
      explanation: "Raised before the candidate's personal data was redacted; its evidence was removed with it.",
      evidence: { redactedAt: event.at },
    }));
  const flags = sortFlags([...report.flags, ...kept]);
  const computed = levelFor(flags);
  const level = LEVEL_RANK[parsed.data.riskLevel] > LEVEL_RANK[computed] ? parsed.data.riskLevel : computed;
  return { ...report, level, flags, redactedAt: event.at };
}
