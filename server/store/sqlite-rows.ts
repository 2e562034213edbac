import type { DocumentMode } from "../../shared/documents.js";
import type { RiskLevel } from "../../shared/signals.js";
import { readEvent } from "../../shared/events.js";
import type { InterviewEvent, InterviewStatus } from "../../shared/interview.js";
import type { CandidateSessionRecord, ChallengeRecord, ChallengeState, DocumentNeighbour, InterviewRecord, NetworkNeighbour, SnapshotRecord } from "./store.js";

/** Row shapes of the SQLite tables and their mapping to the Store's records. */
export interface InterviewRow {
  id: string;
  status: string;
  candidate_name: string;
  candidate_email: string | null;
  claimed_location: string | null;
  room: string;
  candidate_token_hash: string;
  interviewer_token_hash: string;
  created_at: string;
  expires_at: string;
  interviewer_expires_at: string | null;
  risk_level: string | null;
  document_mode?: string | null;
}

export interface EventRow {
  id: number;
  type: string;
  at: string;
  actor: string;
  ip: string | null;
  user_agent: string | null;
  data: string;
}

export interface SessionRow {
  id: string;
  interview_id: string;
  key_hash: string;
  created_at: string;
  ip: string | null;
  user_agent: string | null;
  verified_at: string | null;
  attempts: number;
}

export interface ChallengeRow {
  id: string;
  interview_id: string;
  session_id: string;
  steps: string;
  deadlines: string;
  issued_at: string;
  expires_at: string;
  used_at: string | null;
  verdict: string | null;
  room: string | null;
  callback_hash: string | null;
  state: string;
  phase: string;
  progress_at: string | null;
  failure: string | null;
  refunded: number;
}

export const toInterview = (r: InterviewRow): InterviewRecord => ({
  id: r.id,
  status: r.status as InterviewStatus,
  candidateName: r.candidate_name,
  ...(r.candidate_email ? { candidateEmail: r.candidate_email } : {}),
  ...(r.claimed_location ? { claimedLocation: JSON.parse(r.claimed_location) } : {}),
  room: r.room,
  candidateTokenHash: r.candidate_token_hash,
  interviewerTokenHash: r.interviewer_token_hash,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  interviewerExpiresAt: r.interviewer_expires_at ?? r.expires_at,
  ...(r.risk_level ? { riskLevel: r.risk_level as RiskLevel } : {}),
  ...(r.document_mode ? { documentMode: r.document_mode as DocumentMode } : {}),
});

/** A stored event; a row whose data no longer matches its type's schema is kept as `legacy` (see `InterviewEvent`). */
export const toEvent = (r: EventRow): InterviewEvent =>
  readEvent({
    id: r.id,
    type: r.type as InterviewEvent["type"],
    at: r.at,
    actor: r.actor as InterviewEvent["actor"],
    ip: r.ip,
    userAgent: r.user_agent,
    data: JSON.parse(r.data) as Record<string, unknown>,
  });

export const toChallenge = (r: ChallengeRow): ChallengeRecord => ({
  id: r.id,
  interviewId: r.interview_id,
  sessionId: r.session_id,
  room: r.room ?? "",
  callbackHash: r.callback_hash ?? "",
  steps: JSON.parse(r.steps),
  delaysMs: JSON.parse(r.deadlines),
  issuedAt: r.issued_at,
  expiresAt: r.expires_at,
  state: r.state as ChallengeState,
  phase: r.phase as ChallengeRecord["phase"],
  progressAt: r.progress_at,
  failure: r.failure,
  refunded: r.refunded === 1,
  finishedAt: r.used_at,
  verdict: r.verdict ? JSON.parse(r.verdict) : null,
});

export interface SnapshotRow {
  id: number;
  interview_id: string;
  challenge_id: string;
  step: number;
  t: number;
  jpeg: Buffer;
  created_at: string;
}

export const toSnapshot = (r: SnapshotRow): SnapshotRecord => ({
  id: r.id,
  interviewId: r.interview_id,
  challengeId: r.challenge_id,
  step: r.step,
  t: r.t,
  jpeg: r.jpeg,
  createdAt: r.created_at,
});


export const toSession = (r: SessionRow): CandidateSessionRecord => ({
  id: r.id,
  interviewId: r.interview_id,
  keyHash: r.key_hash,
  createdAt: r.created_at,
  ip: r.ip,
  userAgent: r.user_agent,
  verifiedAt: r.verified_at,
});

/** A row of the same-document lookup (`document_sightings` joined with the interview). */
export interface DocumentNeighbourRow {
  interview_id: string;
  at: string;
  candidate_name: string;
  candidate_email: string | null;
}

export const toDocumentNeighbour = (r: DocumentNeighbourRow): DocumentNeighbour => ({
  interviewId: r.interview_id,
  candidateName: r.candidate_name,
  ...(r.candidate_email ? { candidateEmail: r.candidate_email } : {}),
  at: r.at,
});

/** A row of the laptop-farm lookup (`ip_sightings` joined with the interview). */
export interface NeighbourRow {
  interview_id: string;
  ip: string;
  prefix: string;
  at: string;
  candidate_name: string;
  candidate_email: string | null;
}

export const toNeighbour = (r: NeighbourRow): NetworkNeighbour => ({
  interviewId: r.interview_id,
  candidateName: r.candidate_name,
  ...(r.candidate_email ? { candidateEmail: r.candidate_email } : {}),
  ip: r.ip,
  prefix: r.prefix,
  at: r.at,
});
