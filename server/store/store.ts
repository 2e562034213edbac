import type { EventType, InterviewEvent, InterviewStatus } from "../../shared/interview.js";
import type { ClaimedLocation } from "../../shared/location.js";

export interface InterviewRecord {
  id: string;
  status: InterviewStatus;
  candidateName: string;
  candidateEmail?: string;
  claimedLocation?: ClaimedLocation;
  room: string;
  candidateTokenHash: string;
  interviewerTokenHash: string;
  createdAt: string;
  expiresAt: string;
}

export interface NewEvent {
  interviewId: string;
  type: EventType;
  actor: InterviewEvent["actor"];
  at?: string;
  ip?: string | null;
  userAgent?: string | null;
  data?: Record<string, unknown>;
}

export interface CandidateSessionRecord {
  id: string;
  interviewId: string;
  keyHash: string;
  createdAt: string;
  ip: string | null;
  userAgent: string | null;
  verifiedAt: string | null;
  attempts: number;
}

export interface ChallengeRecord {
  id: string;
  interviewId: string;
  sessionId: string;
  nonce: string;
  steps: string[];
  deadlines: number[];
  issuedAt: string;
  expiresAt: string;
  usedAt: string | null;
  verdict: Record<string, unknown> | null;
}

export interface SnapshotRecord {
  id?: number;
  interviewId: string;
  challengeId: string;
  step: number;
  t: number;
  jpeg: Buffer;
  createdAt: string;
}

export type LinkKind = "candidate" | "interviewer";

/**
 * Persistence for the kit. Every backend (SQLite embedded, Postgres at scale)
 * implements this and passes the same contract suite.
 */
export interface Store {
  createInterview(record: InterviewRecord): Promise<void>;
  getInterview(id: string): Promise<InterviewRecord | undefined>;
  findInterviewByLink(kind: LinkKind, tokenHash: string): Promise<InterviewRecord | undefined>;
  findInterviewByRoom(room: string): Promise<InterviewRecord | undefined>;
  /** Newest first. */
  listInterviews(limit: number, offset: number): Promise<InterviewRecord[]>;
  setInterviewStatus(id: string, status: InterviewStatus): Promise<void>;

  addEvent(event: NewEvent): Promise<InterviewEvent>;
  listEvents(interviewId: string): Promise<InterviewEvent[]>;

  createSession(session: CandidateSessionRecord): Promise<void>;
  findSession(interviewId: string, keyHash: string): Promise<CandidateSessionRecord | undefined>;
  markSessionVerified(sessionId: string, at: string): Promise<void>;
  /** Counts one more liveness attempt and returns the new total. */
  countAttempt(sessionId: string): Promise<number>;

  createChallenge(challenge: ChallengeRecord): Promise<void>;
  getChallenge(id: string): Promise<ChallengeRecord | undefined>;
  /** Marks a challenge used; false when it was already used, so a nonce works once even under races. */
  consumeChallenge(id: string, at: string): Promise<boolean>;
  saveVerdict(id: string, verdict: Record<string, unknown>): Promise<void>;

  saveSnapshots(snapshots: SnapshotRecord[]): Promise<void>;
  listSnapshots(interviewId: string): Promise<SnapshotRecord[]>;
  getSnapshot(interviewId: string, id: number): Promise<SnapshotRecord | undefined>;
  /** Deletes snapshots created before `before`; returns how many. */
  purgeSnapshots(before: string): Promise<number>;

  close(): Promise<void>;
}
