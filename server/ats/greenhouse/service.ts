import { type GreenhouseSendTest, type GreenhouseTest, type GreenhouseTestStatus } from "../../../shared/ats.js";
import type { InterviewEvent } from "../../../shared/interview.js";
import { AppError, notFound } from "../../errors/index.js";
import type { InterviewService } from "../../interviews/index.js";
import type { ReportService } from "../../reports/index.js";
import type { EventNotice, InterviewRecord, Store } from "../../store/index.js";
import type { RequestMeta, Timeline } from "../../timeline/index.js";
import { checkWebhookTarget, parseWebhookUrl } from "../../webhooks-out/url-guard.js";
import type { Sender } from "../../webhooks-out/send.js";
import type { ReviewLinks } from "../review-links.js";
import { ATS_PROFILES, atsOutcome } from "../status.js";

export interface GreenhouseServiceDeps {
  store: Store;
  timeline: Timeline;
  interviews: InterviewService;
  reports: ReportService;
  links: ReviewLinks;
  /** The guarded HTTP client the webhooks use (checked addresses only, a deadline on the whole answer). */
  send: Sender;
  /** Private and loopback `url`s allowed (WEBHOOK_ALLOW_PRIVATE_URLS, for local testing only). */
  allowPrivateUrls: boolean;
  timeoutMs: number;
  /** Waits before the completion notice's retries, ms. */
  retryDelaysMs?: readonly number[];
}

type SentTest = Extract<InterviewEvent, { type: "ats_test_sent" }>;
/** A Greenhouse test instance: its interview, the interview's events, and the event that made it one. */
interface SentTestOf {
  interview: InterviewRecord;
  events: InterviewEvent[];
  sent: SentTest;
}

/** Interview statuses after which an ATS test may be complete: the moments worth telling Greenhouse about. */
const SETTLING = new Set(["verified", "failed", "ended", "expired"]);

/**
 * Greenhouse's assessment partner, on the kit's own services: a sent test is an interview (its id
 * is the `partner_interview_id`), its status is read from the interview's timeline and risk
 * report, and once complete the kit sends Greenhouse the body-less PATCH that makes it ask at once.
 */
export class GreenhouseService {
  /** Interviews whose notice this process is sending: the events of one moment (a pass, its identity check) arrive together. */
  private readonly notifying = new Set<string>();

  constructor(private readonly deps: GreenhouseServiceDeps) {}

  listTests(): GreenhouseTest[] {
    return ATS_PROFILES.map((p) => ({ partner_test_id: p.id, partner_test_name: p.name }));
  }

  /** Creates the interview for the candidate; refuses an unknown test or an unsafe `url` before storing anything. */
  async sendTest(input: GreenhouseSendTest, meta: RequestMeta): Promise<{ partner_interview_id: string }> {
    const profile = ATS_PROFILES.find((p) => p.id === input.partner_test_id);
    if (!profile) throw new AppError("unknown_test", `No test "${input.partner_test_id}"; GET list_tests names the tests`, "partner_test_id");
    const url = parseWebhookUrl(input.url);
    await checkWebhookTarget(url, { allowPrivate: this.deps.allowPrivateUrls });
    const { first_name, last_name, email } = input.candidate;
    const created = await this.deps.interviews.create({ candidate: { name: `${first_name} ${last_name}`.slice(0, 200), email } }, meta);
    const interview = (await this.deps.store.getInterview(created.id))!;
    const data = { provider: "greenhouse" as const, testId: profile.id, callbackUrl: url.toString() };
    await this.deps.timeline.record(interview, { type: "ats_test_sent", actor: "system", ...meta, data });
    return { partner_interview_id: created.id };
  }

  /** The test's status, score and result labels, with a signed link to the interview's review page. */
  async testStatus(partnerInterviewId: string): Promise<GreenhouseTestStatus> {
    const test = await this.sentTest(partnerInterviewId);
    const outcome = await this.outcomeOf(test);
    return {
      partner_status: outcome.status,
      // Always given: before completion the page lets the recruiter issue the candidate's link.
      partner_profile_url: await this.deps.links.mint(test.interview.id),
      ...(outcome.score !== undefined ? { partner_score: outcome.score } : {}),
      metadata: outcome.metadata,
    };
  }

  /** The test's status and score, from the interview's events and risk report as already read. */
  private async outcomeOf({ interview, events, sent }: SentTestOf) {
    const report = await this.deps.reports.build(interview, events);
    return atsOutcome({
      profile: sent.data.testId,
      status: interview.status,
      verified: events.some((e) => e.type === "liveness_passed"),
      level: report.level,
      flags: report.flags.map((f) => f.id),
    });
  }

  /** The interview and the `ats_test_sent` event that made it a Greenhouse test; 404 for any other id. */
  async sentTest(partnerInterviewId: string): Promise<SentTestOf> {
    const interview = await this.deps.store.getInterview(partnerInterviewId);
    const events = interview ? await this.deps.store.listEvents(interview.id) : [];
    const sent = events.find((e): e is SentTest => e.type === "ats_test_sent" && !e.legacy);
    if (!interview || !sent) throw notFound("Test instance");
    return { interview, events, sent };
  }

  /**
   * Called for every recorded event: when an interview Greenhouse sent settles as complete, sends
   * the PATCH once (retried a few times), and records the answer as `ats_notified`.
   */
  async onEvent(notice: EventNotice): Promise<void> {
    if (!SETTLING.has(notice.status) || notice.type === "ats_notified" || this.notifying.has(notice.interviewId)) return;
    this.notifying.add(notice.interviewId);
    try {
      const found = await this.sentTest(notice.interviewId).catch(() => undefined);
      if (!found || found.events.some((e) => e.type === "ats_notified")) return;
      if ((await this.outcomeOf(found)).status !== "complete") return;
      const data = await this.patch(new URL(found.sent.data.callbackUrl));
      await this.deps.timeline.record(found.interview, { type: "ats_notified", actor: "system", data: { provider: "greenhouse", ...data } });
    } finally {
      this.notifying.delete(notice.interviewId);
    }
  }

  private async patch(url: URL): Promise<{ status?: number; error?: string }> {
    let last: { status?: number; error?: string } = {};
    for (const delay of [0, ...(this.deps.retryDelaysMs ?? [1_000, 5_000, 25_000])]) {
      if (delay) await new Promise((r) => setTimeout(r, delay));
      try {
        // Checked again at sending: the name may resolve elsewhere now (DNS rebinding).
        const addresses = await checkWebhookTarget(url, { allowPrivate: this.deps.allowPrivateUrls });
        const { status } = await this.deps.send({ url, addresses, headers: {}, body: "", timeoutMs: this.deps.timeoutMs, method: "PATCH" });
        last = { status };
        if (status < 500 && status !== 429) return last;
      } catch (err) {
        last = { error: (err as Error).message.slice(0, 300) };
        if (err instanceof AppError) return last;
      }
    }
    return last;
  }
}
