import type { VerificationStart, VerificationStatus, VerificationTicket } from "../../shared/verification.js";
import type { VerdictReport, VerifierJob, VerifierReport } from "../../shared/verifier-job.js";
import { AppError } from "../errors/index.js";
import type { RequestMeta, Timeline } from "../timeline/index.js";
import type { DocumentService } from "../documents/index.js";
import type { IdentityService } from "../identity/index.js";
import { mixedReference } from "../identity/thresholds.js";
import type { VideoRooms } from "../livekit/index.js";
import { hashSecret, newId, newSecret, sameHash } from "../security/index.js";
import type { CandidateSessionRecord, ChallengeOutcome, ChallengeRecord, InterviewRecord, Store } from "../store/index.js";
import { candidateIdentity } from "./identity.js";
import { DELAY_CHOICES_MS, generateFollowSchedule, LONGEST_PATH_MS, type Schedule, secureRandom, seededRandom } from "./schedule.js";

/** Time limits of one verification, in ms. */
export const VERIFICATION_LIMITS = {
  /** A verifier that has not reported this long after the challenge was issued is lost. */
  verifierJoinMs: 30_000,
  /** A verifier silent for this long mid-check is lost. */
  verifierSilenceMs: 8_000,
  /** Face fit, first video and slack; the steps add their own pauses and deadlines. */
  baseMs: 45_000,
  perStepMs: 8_000,
} as const;

export interface VerificationServiceDeps {
  store: Store;
  timeline: Timeline;
  rooms: VideoRooms;
  maxAttempts: number;
  /** Accept a schedule seed: test configurations only. */
  allowSeeds: boolean;
  /** Base URL the verifier workers report to. */
  internalUrl: string;
  /** Keeps each pass's reference face and compares it across interviews. */
  identity: IdentityService;
  /** Records the identity document the verifier reads after a pass. */
  documents: DocumentService;
  now: () => Date;
}

/**
 * Server-verified liveness: issues a verification (room, verifier job, hidden
 * schedule), tracks the verifier's liveness, and records the verdict the
 * verifier reports. Nothing the candidate's page sends can pass it.
 */
export class VerificationService {
  constructor(private readonly deps: VerificationServiceDeps) {}

  /** Counts the attempt, starts a verification room with a verifier, and returns the candidate's publish token. */
  async start(interview: InterviewRecord, session: CandidateSessionRecord, input: VerificationStart, meta: RequestMeta): Promise<VerificationTicket> {
    const { store, rooms, now, maxAttempts } = this.deps;
    if (input.seed !== undefined && !this.deps.allowSeeds) {
      throw new AppError("seed_not_allowed", "A schedule seed is accepted only by a test configuration", "seed");
    }
    const schedule = generateFollowSchedule(input.seed !== undefined ? seededRandom(input.seed) : secureRandom);
    const issuedAt = now();
    const id = newId("ch");
    const reportToken = newSecret();
    const record: ChallengeRecord = {
      id,
      interviewId: interview.id,
      sessionId: session.id,
      room: `verify-${id}`,
      callbackHash: hashSecret(reportToken),
      steps: schedule.steps,
      delaysMs: schedule.delaysMs,
      issuedAt: issuedAt.toISOString(),
      expiresAt: new Date(issuedAt.getTime() + maxDurationMs(schedule)).toISOString(),
      state: "pending",
      phase: "waiting_verifier",
      progressAt: null,
      failure: null,
      refunded: false,
      finishedAt: null,
      verdict: null,
    };
    const result = await store.issueChallenge(record, maxAttempts, issuedAt.toISOString());
    if (!result.issued) {
      throw result.reason === "attempts_exhausted"
        ? new AppError("attempts_exhausted", "No verification attempts are left on this link. The interviewer has been told.")
        : new AppError("challenge_open", "A verification is already running for this session; finish it or wait for it to end");
    }
    const identity = candidateIdentity(session.id);
    const job: VerifierJob = {
      kind: "verification",
      challengeId: id,
      room: record.room,
      candidateIdentity: identity,
      steps: schedule.steps,
      delaysMs: schedule.delaysMs,
      ...(schedule.path ? { path: schedule.path } : {}),
      reportUrl: `${this.deps.internalUrl}/internal/verifier/challenges/${id}`,
      reportToken,
      ...(interview.documentMode && interview.documentMode !== "off" ? { document: interview.documentMode } : {}),
    };
    try {
      await rooms.startVerification(record.room, JSON.stringify(job));
    } catch (err) {
      // LiveKit's error text can name internal addresses: it goes to the kit's log, never to the caller.
      console.error(`verification ${id}: dispatching the verifier failed:`, (err as Error).message);
      await this.finish(interview, record, lost(now(), "the verifier could not be dispatched"), meta);
      throw new AppError("verifier_unavailable", "The verifier could not be started; this attempt is not counted. Try again shortly.");
    }
    await this.deps.timeline.record(interview, {
      type: "liveness_started",
      actor: "candidate",
      ...meta,
      data: {
        challengeId: id,
        attempt: result.attemptsUsed,
        steps: schedule.steps,
        delaysMs: schedule.delaysMs,
        ...(schedule.path ? { path: schedule.path.waypoints } : {}),
      },
    });
    return {
      challengeId: id,
      serverUrl: rooms.publicUrl,
      token: await rooms.verificationToken(record.room, identity),
      room: record.room,
      identity,
      totalSteps: schedule.steps.length,
      expiresAt: record.expiresAt,
      attemptsLeft: Math.max(0, maxAttempts - result.attemptsUsed),
      ...(job.document ? { document: job.document } : {}),
    };
  }

  /** The recorded outcome of a session's verification; a verifier gone silent ends it as a free retry. */
  async status(interview: InterviewRecord, session: CandidateSessionRecord, challengeId: string): Promise<VerificationStatus> {
    let challenge = await this.deps.store.getChallenge(challengeId);
    if (!challenge || challenge.sessionId !== session.id) {
      throw new AppError("challenge_unknown", "No such verification for this session", "challengeId");
    }
    if (challenge.state === "pending") {
      const ended = this.endedWithoutVerdict(challenge);
      if (ended) {
        const at = this.deps.now();
        await this.finish(interview, challenge, ended.refund ? lost(at, ended.reason) : overran(at, ended.reason), { ip: null, userAgent: null });
        challenge = (await this.deps.store.getChallenge(challengeId))!;
      }
    }
    return this.toStatus(challenge, await this.attemptsLeft(interview.id));
  }

  /** Authenticates a verifier job's report: the bearer secret was only ever in the job's dispatch metadata. */
  async authenticate(challengeId: string, bearer: string | undefined): Promise<ChallengeRecord> {
    const challenge = await this.deps.store.getChallenge(challengeId);
    if (!challenge || !bearer || !challenge.callbackHash || !sameHash(hashSecret(bearer), challenge.callbackHash)) {
      throw new AppError("unauthorized", "Unknown verification or wrong verifier credentials");
    }
    return challenge;
  }

  /** Records a report from the verifier: progress keeps the check alive, a verdict ends it, a document follows a pass. */
  async report(challenge: ChallengeRecord, report: VerifierReport): Promise<{ recorded: boolean }> {
    if (report.type === "document") {
      const interview = await this.deps.store.getInterview(challenge.interviewId);
      if (!interview) throw new AppError("not_found", "Interview not found");
      return this.deps.documents.record(interview, challenge, report);
    }
    if (challenge.state !== "pending") {
      throw new AppError("challenge_finished", "This verification has already ended");
    }
    if (report.type === "progress") {
      await this.deps.store.recordProgress(challenge.id, "running", this.deps.now().toISOString());
      return { recorded: true };
    }
    const interview = await this.deps.store.getInterview(challenge.interviewId);
    if (!interview) throw new AppError("not_found", "Interview not found");
    const recorded = await this.finish(interview, challenge, verdictOutcome(this.deps.now(), report), { ip: null, userAgent: null }, report);
    if (!recorded) throw new AppError("challenge_finished", "This verification has already ended");
    return { recorded };
  }

  /**
   * Why a pending check is over without a verdict, and whether that is the kit's fault (refunded).
   * A check past its deadline whose verifier is still reporting was held up by the candidate (a
   * stall at every phase): it counts as an attempt, so stalling cannot turn a failure into a refund.
   */
  private endedWithoutVerdict(c: ChallengeRecord): { reason: string; refund: boolean } | undefined {
    const now = this.deps.now().getTime();
    const silentFor = c.progressAt ? now - Date.parse(c.progressAt) : undefined;
    if (now > Date.parse(c.expiresAt)) {
      return silentFor !== undefined && silentFor <= VERIFICATION_LIMITS.verifierSilenceMs
        ? { reason: "the check ran past its deadline while the verifier was still judging", refund: false }
        : { reason: "the verifier did not reach a verdict in time", refund: true };
    }
    if (silentFor === undefined && now - Date.parse(c.issuedAt) > VERIFICATION_LIMITS.verifierJoinMs) return { reason: "no verifier joined", refund: true };
    if (silentFor !== undefined && silentFor > VERIFICATION_LIMITS.verifierSilenceMs) return { reason: "the verifier stopped reporting", refund: true };
    return undefined;
  }

  /** Ends a pending challenge once, stores the verifier's frames, and records the outcome on the timeline. */
  private async finish(
    interview: InterviewRecord,
    challenge: ChallengeRecord,
    outcome: ChallengeOutcome,
    meta: RequestMeta,
    report?: VerdictReport,
  ): Promise<boolean> {
    const { store, timeline } = this.deps;
    if (!(await store.finishChallenge(challenge.id, outcome))) return false;
    if (report?.snapshots.length) {
      await store.saveSnapshots(
        report.snapshots.map((s) => ({
          interviewId: interview.id,
          challengeId: challenge.id,
          step: s.step,
          t: s.t,
          jpeg: Buffer.from(s.jpeg, "base64"),
          createdAt: outcome.finishedAt,
        })),
      );
    }
    const passed = outcome.state === "passed";
    if (passed) await store.markSessionVerified(challenge.sessionId, outcome.finishedAt);
    const attemptsLeft = await this.attemptsLeft(interview.id);
    await timeline.record(
      interview,
      {
        type: passed ? "liveness_passed" : "liveness_failed",
        actor: "verifier",
        ...meta,
        data: {
          challengeId: challenge.id,
          steps: challenge.steps,
          delaysMs: challenge.delaysMs,
          ...(outcome.failure ? { failure: outcome.failure } : {}),
          reasons: (outcome.verdict.reasons as string[] | undefined) ?? [],
          refunded: outcome.refunded,
          attemptsLeft,
          ...(report ? { observed: report.steps, analysedFps: report.analysedFps, framesAnalysed: report.framesAnalysed } : {}),
        },
      },
      { attemptsExhausted: !passed && attemptsLeft === 0 },
    );
    if (passed) await this.keepReference(interview, challenge.id, report?.reference);
    return true;
  }

  /**
   * Stores a pass's reference face and compares it; a pass without one is recorded as
   * `no_reference_face` (a review flag: the monitor has no face of this pass to compare), never
   * silently. A reference the store or the index cannot take counts as none: the pass stands.
   */
  private async keepReference(interview: InterviewRecord, challengeId: string, reference: VerdictReport["reference"]): Promise<void> {
    let cause: "not_reported" | "not_stored" = "not_reported";
    if (reference) {
      try {
        await this.deps.identity.recordReference(interview, challengeId, reference);
        return;
      } catch (err) {
        console.error(`verification ${challengeId}: storing the reference face failed:`, (err as Error).message);
        cause = "not_stored";
      }
    }
    await this.deps.timeline.record(interview, { type: "no_reference_face", actor: cause === "not_reported" ? "verifier" : "system", data: { challengeId, cause } });
  }

  private async attemptsLeft(interviewId: string): Promise<number> {
    return Math.max(0, this.deps.maxAttempts - (await this.deps.store.countAttempts(interviewId)));
  }

  /**
   * The candidate's view of a check: the outcome and its failure name, never the measurements
   * (angles, lags, onsets), which would tune a replay attempt by attempt. They stay in the
   * interviewer's timeline.
   */
  private toStatus(c: ChallengeRecord, attemptsLeft: number): VerificationStatus {
    const reasons: string[] = [];
    if (c.state === "pending") return { state: "pending", phase: c.phase };
    if (c.state === "passed") return { state: "passed", reasons, attemptsLeft };
    return {
      state: "failed",
      failure: (c.failure ?? "VerifierUnavailable") as Extract<VerificationStatus, { state: "failed" }>["failure"],
      reasons,
      attemptsLeft,
      refunded: c.refunded,
    };
  }
}

/**
 * The longest a verification may run: fit, every pause, every step's deadline. It takes the
 * longest pause and the longest path the schedule could have drawn, not the drawn ones, so the
 * ticket's `expiresAt` says nothing about when the prompts will come.
 */
export function maxDurationMs(schedule: Schedule): number {
  const pauses = schedule.steps.length * Math.max(...DELAY_CHOICES_MS);
  const path = schedule.path ? LONGEST_PATH_MS : 0;
  return VERIFICATION_LIMITS.baseMs + pauses + schedule.steps.length * VERIFICATION_LIMITS.perStepMs + path;
}

const lost = (at: Date, reason: string): ChallengeOutcome => ({
  state: "failed",
  failure: "VerifierUnavailable",
  refunded: true,
  finishedAt: at.toISOString(),
  verdict: { passed: false, failure: "VerifierUnavailable", reasons: [reason] },
});

/** A check the candidate held past its deadline: a counted `TooSlow`, not a refund. */
const overran = (at: Date, reason: string): ChallengeOutcome => ({
  state: "failed",
  failure: "TooSlow",
  refunded: false,
  finishedAt: at.toISOString(),
  verdict: { passed: false, failure: "TooSlow", reasons: [reason] },
});

/**
 * What the kit keeps of a verdict. The reference face's embedding and antispoof scores are biometric
 * data: they live only in the face template (kept under TEMPLATE_RETENTION_DAYS, erased by
 * redaction), never in the challenge row, the export or anything derived from it.
 *
 * A pass whose reference face is of more than one person (its frames disagree, review 2 finding 11)
 * is a `MultipleFaces` failure here too, whatever verifier sent it: such a mean would match both.
 */
function verdictOutcome(at: Date, report: VerdictReport): ChallengeOutcome {
  const { snapshots: _snapshots, type: _type, reference, ...rest } = report;
  const mixed = report.passed && reference ? mixedReference(reference) : undefined;
  const passed = report.passed && !mixed;
  const kept = reference
    ? { frames: reference.frames, consistency: reference.consistency, ...(reference.agreement !== undefined ? { agreement: reference.agreement } : {}) }
    : undefined;
  const verdict = {
    ...rest,
    ...(mixed ? { passed: false, failure: "MultipleFaces", reasons: [...rest.reasons, mixed] } : {}),
    ...(kept ? { reference: kept } : {}),
  };
  const failure = passed ? null : mixed ? "MultipleFaces" : (report.failure ?? "NoFace");
  return {
    state: passed ? "passed" : "failed",
    failure,
    refunded: failure === "VerifierUnavailable",
    finishedAt: at.toISOString(),
    verdict,
  };
}
