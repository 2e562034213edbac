import type { InterviewEvent } from "../../shared/interview.js";
import { RedactionRecord } from "../../shared/personal-data.js";
import type { RiskFlag, RiskLevel, RiskReport } from "../../shared/signals.js";
import { notFound } from "../errors/index.js";
import type { GeoLookup } from "../geo/index.js";
import { resolveLink } from "../timeline/index.js";
import { buildRiskReport, levelFor, sortFlags, type SignalSettingsInput } from "../signals/index.js";
import type { InterviewRecord, Store } from "../store/index.js";
import { hideOtherCandidates } from "../personal/other-candidates.js";

export interface ReportServiceDeps {
  store: Store;
  geo: GeoLookup;
  settings: SignalSettingsInput;
  now: () => Date;
}

/** Every environment report whose data matches the wire schema (not `legacy`), oldest first. */
const environments = (events: InterviewEvent[]) =>
  events.flatMap((e) => (e.type === "environment_reported" && !e.legacy ? [{ report: e.data, receivedAt: e.at }] : []));

/** Every network report whose data matches the wire schema (not `legacy`), oldest first. */
const networks = (events: InterviewEvent[]) =>
  events.flatMap((e) => (e.type === "network_reported" && !e.legacy ? [{ report: e.data, receivedAt: e.at }] : []));

/** Builds the risk report: the advisory's red flags, each with its evidence. */
export class ReportService {
  constructor(private readonly deps: ReportServiceDeps) {}

  /** The report of an interview by id (API key); other candidates are named only when `namesOfOthers` (the `personal_data` scope). */
  async forInterview(id: string, options: { namesOfOthers: boolean }): Promise<RiskReport> {
    const interview = await this.deps.store.getInterview(id);
    if (!interview) throw notFound("Interview");
    const events = await this.deps.store.listEvents(interview.id);
    return this.build(interview, options.namesOfOthers ? events : hideOtherCandidates(events));
  }

  /** The report behind an interviewer link, which never names other candidates. */
  async forInterviewerLink(token: string): Promise<RiskReport> {
    const interview = await resolveLink(this.deps.store, "interviewer", token, this.deps.now());
    return this.build(interview, hideOtherCandidates(await this.deps.store.listEvents(interview.id)));
  }

  /** The report of a stored interview; pass its events when the caller has already read them. */
  async build(interview: InterviewRecord, events?: InterviewEvent[]): Promise<RiskReport> {
    return this.fromEvents(interview, events ?? (await this.deps.store.listEvents(interview.id)));
  }

  /** The risk level from events already read; synchronous, so the Timeline stores it with each event. */
  levelOf(interview: InterviewRecord, events: InterviewEvent[]): RiskLevel {
    return this.fromEvents(interview, events).level;
  }

  private fromEvents(interview: InterviewRecord, events: InterviewEvent[]): RiskReport {
    const report = buildRiskReport({
      interviewId: interview.id,
      ...(interview.claimedLocation ? { claimed: interview.claimedLocation } : {}),
      events,
      geo: this.deps.geo,
      environment: environments(events).at(-1) ?? null,
      // Every report, not only the latest: a later report must not erase the evidence of an earlier one.
      environments: environments(events),
      network: networks(events).at(-1) ?? null,
      networks: networks(events),
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
