import {
  type PersonalDataExport,
  REDACTED_NAME,
  type RedactionRecord,
  type RedactionResult,
} from "../../shared/personal-data.js";
import { AppError, notFound } from "../errors/index.js";
import type { IdentityService } from "../identity/index.js";
import type { InterviewService } from "../interviews/index.js";
import type { ReportService } from "../reports/index.js";
import type { Store } from "../store/index.js";
import type { Timeline } from "../timeline/index.js";
import { redactEventData } from "./redact.js";

export interface PersonalDataServiceDeps {
  store: Store;
  timeline: Timeline;
  interviews: InterviewService;
  reports: ReportService;
  identity: IdentityService;
  now: () => Date;
}

/** "ip_country_mismatch" → "Ip country mismatch": a title that names no evidence. */
const genericTitle = (id: string) => id.charAt(0).toUpperCase() + id.slice(1).replaceAll("_", " ");

/** Interviews redacted per store query by the retention purge. */
const PURGE_BATCH = 100;

/** The candidate's personal data: export it, redact it on request, and redact it past retention. */
export class PersonalDataService {
  constructor(private readonly deps: PersonalDataServiceDeps) {}

  /**
   * Removes the interview's personal data for good, keeping the event
   * skeleton, verdicts and the risk level it had just before. A second call
   * answers 409 `already_redacted`.
   */
  async redact(id: string, reason: RedactionRecord["reason"] = "api"): Promise<RedactionResult> {
    const { store, reports, timeline, now } = this.deps;
    const interview = await store.getInterview(id);
    if (!interview) throw notFound("Interview");
    // The report before redaction: its level and flags (without their evidence) are kept.
    const before = await reports.build(interview);
    const at = now().toISOString();
    const result = await store.redactPersonalData(id, {
      placeholderName: REDACTED_NAME,
      redactData: redactEventData,
      event: (removed) => ({
        type: "personal_data_redacted",
        actor: "system",
        at,
        data: {
          reason,
          riskLevel: before.level,
          // Titles can name the evidence (a time zone, a country): a generic one from the id is kept instead.
          flags: before.flags.map(({ id: flagId, severity, advisoryFlag }) => ({ id: flagId, severity, advisoryFlag, title: genericTitle(flagId) })),
          removed,
        } satisfies RedactionRecord,
      }),
      // Its webhook (interview.personal_data_redacted) is queued in the redaction's own transaction.
      ...(timeline.outbox ? { outbox: timeline.outbox } : {}),
    });
    if (!result) {
      if (!(await store.getInterview(id))) throw notFound("Interview");
      throw new AppError("already_redacted", "This interview's personal data has already been redacted");
    }
    if (result.removed.templates > 0) this.deps.identity.forget();
    return { id, redactedAt: result.event.at, removed: result.removed };
  }

  /** Redacts every interview created more than `days` ago; returns how many were redacted. */
  async purgeOlderThan(days: number): Promise<number> {
    const before = new Date(this.deps.now().getTime() - days * 86_400_000).toISOString();
    let count = 0;
    for (;;) {
      const ids = await this.deps.store.listUnredactedBefore(before, PURGE_BATCH);
      for (const id of ids) {
        try {
          await this.redact(id, "retention");
          count++;
        } catch (err) {
          // Redacted meanwhile by another process or an API call: nothing left to do.
          if (!(err instanceof AppError && err.code === "already_redacted")) throw err;
        }
      }
      if (ids.length < PURGE_BATCH) return count;
    }
  }

  /** Everything held about the interview's candidate, in one document. */
  async export(id: string): Promise<PersonalDataExport> {
    const { store, interviews, reports, now } = this.deps;
    const record = await store.getInterview(id);
    if (!record) throw notFound("Interview");
    const { events, ...interview } = await interviews.withEvents(record);
    const [report, snapshots, templates, sessions, challenges, rechallenges] = await Promise.all([
      reports.build(record, events),
      store.listSnapshots(id),
      store.monitoring.templatesOf(id),
      store.listSessions(id),
      store.listChallenges(id),
      store.monitoring.listRechallenges(id),
    ]);
    const redaction = events.find((e) => e.type === "personal_data_redacted");
    return {
      exportedAt: now().toISOString(),
      interview,
      events,
      report,
      snapshots: snapshots.map((s) => ({
        id: s.id!,
        challengeId: s.challengeId,
        step: s.step,
        t: s.t,
        createdAt: s.createdAt,
        jpegBase64: s.jpeg.toString("base64"),
      })),
      templates: templates.map((t) => ({
        id: t.id!,
        challengeId: t.challengeId,
        candidateName: t.candidateName,
        ...(t.candidateEmail ? { candidateEmail: t.candidateEmail } : {}),
        dimensions: t.vector.length,
        frames: t.frames,
        consistency: t.consistency,
        createdAt: t.createdAt,
      })),
      sessions: sessions.map((s) => ({ id: s.id, createdAt: s.createdAt, ip: s.ip, userAgent: s.userAgent, verifiedAt: s.verifiedAt })),
      verifications: {
        challenges: challenges.map((c) => ({
          id: c.id,
          sessionId: c.sessionId,
          steps: c.steps,
          issuedAt: c.issuedAt,
          expiresAt: c.expiresAt,
          state: c.state,
          failure: c.failure,
          refunded: c.refunded,
          finishedAt: c.finishedAt,
          verdict: c.verdict,
        })),
        rechallenges: rechallenges.map((r) => ({
          id: r.id,
          step: r.step,
          state: r.state,
          issuedAt: r.issuedAt,
          expiresAt: r.expiresAt,
          sentAt: r.sentAt,
        })),
      },
      ...(redaction ? { redactedAt: redaction.at } : {}),
    };
  }
}
