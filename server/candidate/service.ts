import type {
  CameraReport,
  CandidateSession,
  CandidateView,
  JoinGrant,
  LivenessChallenge,
  LivenessEvidence,
  LivenessStart,
  LivenessVerdict,
} from "../../shared/candidate.js";
import { AppError } from "../errors/index.js";
import { resolveLink, type RequestMeta, type Timeline } from "../interviews/index.js";
import type { VideoRooms } from "../livekit/index.js";
import {
  issueChallenge,
  MIN_FIT_FRAMES,
  secureRandom,
  seededRandom,
  toWire,
  verifyEvidence,
  type Verdict,
} from "../liveness/index.js";
import { hashSecret, newId, newSecret } from "../security/index.js";
import type { CandidateSessionRecord, InterviewRecord, Store } from "../store/index.js";

export interface CandidateServiceDeps {
  store: Store;
  timeline: Timeline;
  rooms: VideoRooms;
  maxAttempts: number;
  /** Accept a seed for the step order: test configurations only. */
  allowSeeds: boolean;
  /** Accept Chromium's file-backed fake camera: test configurations only. */
  allowFakeCamera: boolean;
  now: () => Date;
}

/**
 * The candidate's path: open the link, start a session, report the camera,
 * pass the liveness challenge, join. The join is refused until the server has
 * recorded a pass for that session.
 */
export class CandidateService {
  constructor(private readonly deps: CandidateServiceDeps) {}

  private link(token: string): Promise<InterviewRecord> {
    return resolveLink(this.deps.store, "candidate", token, this.deps.now());
  }

  private findSession(interview: InterviewRecord, sessionKey: string | undefined) {
    return sessionKey ? this.deps.store.findSession(interview.id, hashSecret(sessionKey)) : Promise.resolve(undefined);
  }

  private async session(interview: InterviewRecord, sessionKey: string | undefined): Promise<CandidateSessionRecord> {
    const session = await this.findSession(interview, sessionKey);
    if (!session) {
      throw new AppError("session_required", "Start a candidate session first: POST /v1/candidate/:token/session");
    }
    return session;
  }

  /** Records an open of the link (IP, user agent, time) and returns what the page shows. */
  async open(token: string, meta: RequestMeta): Promise<CandidateView> {
    const interview = await this.link(token);
    await this.deps.timeline.record(interview, { type: "link_opened", actor: "candidate", ...meta });
    return {
      interviewId: interview.id,
      candidateName: interview.candidateName,
      status: interview.status,
      expiresAt: interview.expiresAt,
      verified: false,
      attemptsLeft: this.deps.maxAttempts,
      allowFakeCamera: this.deps.allowFakeCamera,
    };
  }

  /** Starts a candidate session after consent; its key authorises the later calls. */
  async startSession(token: string, meta: RequestMeta): Promise<CandidateSession> {
    const interview = await this.link(token);
    const sessionKey = newSecret();
    await this.deps.store.createSession({
      id: newId("cs"),
      interviewId: interview.id,
      keyHash: hashSecret(sessionKey),
      createdAt: this.deps.now().toISOString(),
      ip: meta.ip,
      userAgent: meta.userAgent,
      verifiedAt: null,
      attempts: 0,
    });
    return { sessionKey, verified: false };
  }

  /** Whether a session has passed, so a reloaded page can skip straight to joining. */
  async sessionStatus(token: string, sessionKey: string | undefined): Promise<CandidateSession> {
    const interview = await this.link(token);
    const session = await this.session(interview, sessionKey);
    return { sessionKey: "", verified: session.verifiedAt !== null };
  }

  /** Records the camera outcome; a refusal is the advisory's first red flag. */
  async reportCamera(token: string, sessionKey: string | undefined, report: CameraReport, meta: RequestMeta) {
    const interview = await this.link(token);
    const session = await this.session(interview, sessionKey);
    const type =
      report.status === "granted"
        ? "camera_granted"
        : report.failure === "PermissionDenied"
          ? "camera_refused"
          : "camera_unavailable";
    const { status: _status, ...data } = report;
    await this.deps.timeline.record(interview, { type, actor: "candidate", ...meta, data: { ...data, sessionId: session.id } });
    if (report.status === "granted" && report.suspicions?.length) {
      await this.deps.timeline.record(interview, {
        type: "virtual_camera_suspected",
        actor: "candidate",
        ...meta,
        data: { suspicions: report.suspicions, sessionId: session.id },
      });
    }
    return { recorded: type };
  }

  /** Records the browser's time zone, language and connection, or its WebRTC network path. */
  async reportSignals(
    token: string,
    sessionKey: string | undefined,
    type: "environment_reported" | "network_reported",
    report: Record<string, unknown>,
    meta: RequestMeta,
  ): Promise<void> {
    const interview = await this.link(token);
    await this.session(interview, sessionKey);
    await this.deps.timeline.record(interview, { type, actor: "candidate", ...meta, data: report });
  }

  /** Issues a single-use liveness challenge, if the session has attempts left. */
  async startLiveness(
    token: string,
    sessionKey: string | undefined,
    input: LivenessStart,
    meta: RequestMeta,
  ): Promise<LivenessChallenge> {
    const interview = await this.link(token);
    const session = await this.session(interview, sessionKey);
    if (input.seed !== undefined && !this.deps.allowSeeds) {
      throw new AppError("seed_not_allowed", "A step-order seed is accepted only by a test configuration", "seed");
    }
    if (session.attempts >= this.deps.maxAttempts) {
      throw new AppError("attempts_exhausted", "No verification attempts are left. The interviewer has been told.");
    }
    const random = input.seed !== undefined ? seededRandom(input.seed) : secureRandom;
    const challenge = issueChallenge(interview.id, session.id, this.deps.now(), random);
    await this.deps.store.createChallenge(challenge);
    await this.deps.timeline.record(interview, {
      type: "liveness_started",
      actor: "candidate",
      ...meta,
      data: { challengeId: challenge.id, steps: challenge.steps, attempt: session.attempts + 1 },
    });
    return toWire(challenge);
  }

  /** Checks evidence against its challenge, stores the verdict, and marks the session verified on a pass. */
  async submitEvidence(
    token: string,
    sessionKey: string | undefined,
    challengeId: string,
    evidence: LivenessEvidence,
    meta: RequestMeta,
  ): Promise<LivenessVerdict> {
    const interview = await this.link(token);
    const session = await this.session(interview, sessionKey);
    const challenge = await this.deps.store.getChallenge(challengeId);
    if (!challenge || challenge.sessionId !== session.id) {
      throw new AppError("challenge_unknown", "No such challenge for this session", "challengeId");
    }
    const now = this.deps.now();
    if (!(await this.deps.store.consumeChallenge(challenge.id, now.toISOString()))) {
      throw new AppError("challenge_used", "This challenge was already answered; start a new one");
    }
    const attempts = await this.deps.store.countAttempt(session.id);
    const attemptsLeft = Math.max(0, this.deps.maxAttempts - attempts);
    let verdict: Verdict;
    let rejection: AppError | undefined;
    if (now.getTime() > new Date(challenge.expiresAt).getTime()) {
      verdict = { passed: false, failure: "Timeout", reasons: ["the evidence arrived after the challenge expired"] };
    } else {
      const elapsed = now.getTime() - new Date(challenge.issuedAt).getTime();
      try {
        verdict = verifyEvidence(challenge, evidence, elapsed, MIN_FIT_FRAMES);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        // Forged evidence still uses up the attempt and is shown to the interviewer.
        rejection = err;
        verdict = { passed: false, reasons: [`rejected (${err.code}): ${err.message}`] };
      }
    }
    await this.deps.store.saveVerdict(challenge.id, { ...verdict, at: now.toISOString() });
    if (!rejection) {
      await this.deps.store.saveSnapshots(
        evidence.snapshots.map((snap) => ({
          interviewId: interview.id,
          challengeId: challenge.id,
          step: snap.step,
          t: snap.t,
          jpeg: Buffer.from(snap.jpeg, "base64"),
          createdAt: now.toISOString(),
        })),
      );
    }
    if (verdict.passed) await this.deps.store.markSessionVerified(session.id, now.toISOString());
    await this.deps.timeline.record(
      interview,
      {
        type: verdict.passed ? "liveness_passed" : "liveness_failed",
        actor: "candidate",
        ...meta,
        data: { challengeId: challenge.id, attempt: attempts, steps: challenge.steps, ...verdict, ...(rejection ? { rejected: rejection.code } : {}) },
      },
      { attemptsExhausted: !verdict.passed && attemptsLeft === 0 },
    );
    if (rejection) throw rejection;
    return { ...verdict, attemptsLeft };
  }

  /** Issues the LiveKit token, only to a session with a recorded pass. */
  async join(token: string, sessionKey: string | undefined, meta: RequestMeta): Promise<JoinGrant> {
    const interview = await this.link(token);
    // Without a session or without a pass the answer is the same: the gate is closed.
    const session = await this.findSession(interview, sessionKey);
    if (!session?.verifiedAt) {
      throw new AppError(
        "verification_required",
        "Verification has not been passed for this session; complete the camera and liveness check first",
      );
    }
    const identity = `candidate-${session.id}`;
    await this.deps.rooms.ensureRoom(interview.room, { interviewId: interview.id });
    const lkToken = await this.deps.rooms.candidateToken(interview.room, identity, interview.candidateName);
    await this.deps.timeline.record(interview, { type: "token_issued", actor: "candidate", ...meta, data: { identity } });
    return { serverUrl: this.deps.rooms.publicUrl, token: lkToken, room: interview.room, identity };
  }
}
