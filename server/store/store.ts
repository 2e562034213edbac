import type { DocumentMode } from "../../shared/documents.js";
import type { EventInput } from "../../shared/events.js";
import type { EventType, InterviewEvent, InterviewStatus } from "../../shared/interview.js";
import type { ClaimedLocation } from "../../shared/location.js";
import type { RiskLevel } from "../../shared/signals.js";
import type { RateLimitRule, RateLimiter } from "../security/rate-limit.js";
import type { MonitoringStore } from "./monitoring-store.js";
import type { ApiKeyStore, IdempotencyStore } from "./api-key-store.js";

export type * from "./monitoring-store.js";
export type * from "./api-key-store.js";
import type { OutboxMapper, WebhookStore } from "./webhook-store.js";

export type * from "./webhook-store.js";

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
  /** When the candidate link (and the interview) expires. */
  expiresAt: string;
  /** When the interviewer link expires; set again when the link is rotated. */
  interviewerExpiresAt: string;
  /** Whether the candidate is asked for an identity document after the pass; absent on interviews made before the setting (none asked). */
  documentMode?: DocumentMode;
  /**
   * The risk level as of the interview's latest event, stored with that event so lists never
   * recompute it; null (or absent) until an event has been recorded with a level.
   */
  riskLevel?: RiskLevel | null;
}



/** An event to append: `data` is the data of its `type` (`EVENT_DATA` in shared/events.ts), checked when the writer compiles. */
export type NewEvent<K extends EventType = EventType> = EventInput<K> & {
  interviewId: string;
  /** When it happened, from the caller's clock (the Timeline's injected one), so pinned test clocks hold. */
  at: string;
  /** The interview's risk level once this event is added; stored with it, atomically. */
  riskLevel?: RiskLevel;
};

export interface CandidateSessionRecord {
  id: string;
  interviewId: string;
  keyHash: string;
  createdAt: string;
  ip: string | null;
  userAgent: string | null;
  verifiedAt: string | null;
}

/** Where a verification stands: pending until the verifier (or the kit, for a lost verifier) decides. */
export type ChallengeState = "pending" | "passed" | "failed" | "expired";

/** One server-verified liveness run: a verification room, a verifier job and its verdict. */
export interface ChallengeRecord {
  id: string;
  interviewId: string;
  sessionId: string;
  /** The verification room the candidate publishes into. */
  room: string;
  /** SHA-256 of the secret the verifier job authenticates its reports with. */
  callbackHash: string;
  /** The prompted moves, in order. Never sent to the candidate ahead of time. */
  steps: string[];
  /** The pause before each prompt, in ms, counted from the end of the step before it. */
  delaysMs: number[];
  issuedAt: string;
  expiresAt: string;
  state: ChallengeState;
  phase: "waiting_verifier" | "running";
  /** Last report from the verifier: a job that stops reporting is treated as lost. */
  progressAt: string | null;
  failure: string | null;
  /** A refunded attempt (the verifier was lost) does not count against the link. */
  refunded: boolean;
  finishedAt: string | null;
  verdict: Record<string, unknown> | null;
}

/** The outcome of asking for a new challenge. */
export type IssueResult =
  | { issued: true; attemptsUsed: number }
  | { issued: false; reason: "attempts_exhausted" | "challenge_open" };

/** How a challenge ends; applied only if it is still pending. */
export interface ChallengeOutcome {
  state: "passed" | "failed" | "expired";
  failure: string | null;
  refunded: boolean;
  finishedAt: string;
  verdict: Record<string, unknown>;
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

/** A place in the interview list: the creation time and id of the last row seen. */
export interface ListPosition {
  createdAt: string;
  id: string;
}

export type LinkKind = "candidate" | "interviewer";

/** How to redact one interview's personal data; applied by the store in one transaction. */
export interface RedactionPlan {
  /** Replaces the candidate's name (the email is removed). */
  placeholderName: string;
  /** The event data with personal values taken out; returns the same object when there is nothing to take out. */
  redactData: (type: InterviewEvent["type"], data: Record<string, unknown>) => Record<string, unknown>;
  /** The `personal_data_redacted` event appended in the same transaction, given what was removed. */
  event: (removed: RedactionCounts) => Omit<NewEvent, "interviewId">;
  /** Maps that event to its outgoing webhook messages, queued in the same transaction (as `addEvent` does). */
  outbox?: OutboxMapper;
}

export interface RedactionCounts {
  snapshots: number;
  templates: number;
  /** Events of the interview whose IP, user agent or data changed. */
  events: number;
  /** Challenge verdicts that still held a reference embedding or antispoof scores (stored by earlier versions). */
  verdicts: number;
}

/** One address a candidate was seen at. */
export interface IpSighting {
  interviewId: string;
  ip: string;
  /** The address's /24 (IPv4) or /48 (IPv6) network. */
  prefix: string;
  at: string;
}

/** One read identity document, by the keyed hash of its number. */
export interface DocumentSighting {
  interviewId: string;
  numberHash: string;
  at: string;
}

/** One session's reported machine, by the keyed hash of its characteristics. */
export interface DeviceSighting {
  interviewId: string;
  fingerprint: string;
  at: string;
}

/** Another interview that showed the same document (or used the same reported device). */
export interface DocumentNeighbour {
  interviewId: string;
  candidateName: string;
  candidateEmail?: string;
  at: string;
}

/** Another interview seen on the same address or network. */
export interface NetworkNeighbour {
  interviewId: string;
  candidateName: string;
  candidateEmail?: string;
  ip: string;
  prefix: string;
  at: string;
}

/**
 * What every kit process on the database is told about a recorded event: what the live stream
 * shows, small enough for one Postgres NOTIFY (the event's data stays in the store).
 */
export interface EventNotice {
  interviewId: string;
  eventId: number;
  type: EventType;
  at: string;
  /** The interview's status once the event was recorded. */
  status: InterviewStatus;
}

export type EventNoticeListener = (notice: EventNotice) => void;

/**
 * Persistence for the kit. Two backends, SQLite (`SqliteStore`, one process) and Postgres
 * (`PgStore`, any number of kit processes on one database), pass the same contract suite
 * (`test/store-contract/`): everything promised here holds on both.
 */
export interface Store {
  createInterview(record: InterviewRecord): Promise<void>;
  /**
   * Stores the interview and its first event (with the deliveries `outbox` gives it) in one
   * transaction: after a crash both are there or neither is.
   */
  createInterviewWithEvent(record: InterviewRecord, event: NewEvent, outbox?: OutboxMapper): Promise<InterviewEvent>;
  getInterview(id: string): Promise<InterviewRecord | undefined>;
  findInterviewByLink(kind: LinkKind, tokenHash: string): Promise<InterviewRecord | undefined>;
  findInterviewByRoom(room: string): Promise<InterviewRecord | undefined>;
  /** Newest first (by creation time, then id); with `after`, only those that come after that one in this order. */
  listInterviews(limit: number, offset: number, after?: ListPosition): Promise<InterviewRecord[]>;
  /** Replaces the interviewer link's hash and expiry: the old link stops resolving at once. */
  rotateInterviewerLink(id: string, tokenHash: string, expiresAt: string): Promise<void>;
  /** Records a session's device fingerprint for the interview (once per fingerprint). */
  recordDeviceSighting(sighting: DeviceSighting): Promise<void>;
  /** Other interviews whose sessions reported the device with this fingerprint since `since`, newest first. */
  sameDevice(interviewId: string, fingerprint: string, since: string, limit: number): Promise<DocumentNeighbour[]>;
  /** Deletes device fingerprints older than `before` (the NETWORK_REUSE_DAYS window); returns how many. */
  purgeDeviceSightings(before: string): Promise<number>;
  /** Deletes document-number hashes older than `before` (DOCUMENT_REUSE_DAYS); returns how many. */
  purgeDocumentSightings(before: string): Promise<number>;
  /** Records a read document's number hash for the interview (once per document). */
  recordDocumentSighting(sighting: DocumentSighting): Promise<void>;
  /** Other interviews that showed the document with this number hash, newest first, with the candidates they name. */
  sameDocument(interviewId: string, numberHash: string, limit: number): Promise<DocumentNeighbour[]>;
  /** Deletes address sightings older than `before` (the NETWORK_REUSE_DAYS window); returns how many. */
  purgeIpSightings(before: string): Promise<number>;
  /** Records that the interview's candidate was seen at `ip` (with its network prefix); the first sighting per address is kept. */
  recordIpSighting(sighting: IpSighting): Promise<void>;
  /**
   * Other interviews whose candidates were seen at one of `ips` or within one of `prefixes` since
   * `since`, newest first, with the candidates they name: the laptop-farm lookup, by index.
   */
  sharedNetworks(interviewId: string, ips: string[], prefixes: string[], since: string, limit: number): Promise<NetworkNeighbour[]>;
  /** Replaces the candidate link's hash while nobody has opened the link (status `created`); false otherwise. */
  replaceUnopenedCandidateLink(id: string, tokenHash: string): Promise<boolean>;

  /**
   * Stores the event. With `outbox`, the deliveries its messages cause are written in the
   * same transaction, with `nextStatus` the interview's new status, and with the event's
   * `riskLevel` the interview's stored level: either the event and all of these commit, or
   * nothing does. The mapper is told of a `riskChange` when a level was stored before and differs.
   */
  addEvent(event: NewEvent, outbox?: OutboxMapper, nextStatus?: InterviewStatus): Promise<InterviewEvent>;
  /**
   * The interview's events in order; with `afterId`, only those stored after that event. Events
   * of one interview commit in id order, so a reader that remembers the last id misses none.
   */
  listEvents(interviewId: string, afterId?: number): Promise<InterviewEvent[]>;
  /** How many events an interview has, for the per-interview cap. */
  countEvents(interviewId: string): Promise<number>;

  /** Creates a session unless the link already has `maxSessions`; false when it has. */
  createSession(session: CandidateSessionRecord, maxSessions: number): Promise<boolean>;
  findSession(interviewId: string, keyHash: string): Promise<CandidateSessionRecord | undefined>;
  markSessionVerified(sessionId: string, at: string): Promise<void>;

  /**
   * Atomically: refuses when the link has used `maxAttempts` (refunded ones do
   * not count) or the session already has a pending, unexpired challenge;
   * otherwise stores the challenge, so the attempt is counted when issued.
   */
  issueChallenge(challenge: ChallengeRecord, maxAttempts: number, now: string): Promise<IssueResult>;
  getChallenge(id: string): Promise<ChallengeRecord | undefined>;
  /** Attempts counted against a link (every challenge issued, less refunds). */
  countAttempts(interviewId: string): Promise<number>;
  /** Records that the verifier is alive and in `phase`; ignored once the challenge has ended. */
  recordProgress(id: string, phase: ChallengeRecord["phase"], at: string): Promise<void>;
  /** Ends a pending challenge; false when it had already ended, so only the first outcome counts. */
  finishChallenge(id: string, outcome: ChallengeOutcome): Promise<boolean>;

  /** Reference templates, interview monitors and re-challenges. */
  readonly monitoring: MonitoringStore;

  /** API keys made through the API. */
  readonly apiKeys: ApiKeyStore;
  /** Idempotency keys of the API's creating POSTs. */
  readonly idempotency: IdempotencyStore;
  /** Outgoing webhook endpoints, the delivery outbox and its attempts. */
  readonly webhooks: WebhookStore;

  /** Stores the snapshots; returns their ids in the same order. */
  saveSnapshots(snapshots: SnapshotRecord[]): Promise<number[]>;
  listSnapshots(interviewId: string): Promise<SnapshotRecord[]>;
  getSnapshot(interviewId: string, id: number): Promise<SnapshotRecord | undefined>;
  /** Deletes snapshots created before `before`; returns how many. */
  purgeSnapshots(before: string): Promise<number>;

  /** The link's candidate sessions, oldest first. */
  listSessions(interviewId: string): Promise<CandidateSessionRecord[]>;
  /** The interview's liveness challenges, oldest first. */
  listChallenges(interviewId: string): Promise<ChallengeRecord[]>;
  /**
   * Atomically removes the interview's personal data (snapshots, face templates, IPs and user agents of
   * events and sessions, personal values in event data, the candidate's name and email; also the
   * candidate's name and email where other interviews' `identity_checked` events list this one) and
   * appends the plan's event. Undefined, changing nothing, when the interview is unknown or already redacted.
   */
  redactPersonalData(interviewId: string, plan: RedactionPlan): Promise<{ removed: RedactionCounts; event: InterviewEvent } | undefined>;
  /** Ids of interviews created before `before` whose personal data is not redacted yet, oldest first. */
  listUnredactedBefore(before: string, limit: number): Promise<string[]>;

  /**
   * A rate limiter whose counters live in this store, so every kit process
   * on the same database counts together. Each backend supplies its own.
   */
  createRateLimiter(rule: RateLimitRule): RateLimiter;

  /**
   * Calls `listener` with an `EventNotice` for every event stored from now on (`addEvent`,
   * `createInterviewWithEvent`, `redactPersonalData`) by any kit process on this database (this one
   * included; SQLite, a one-process backend, reaches this process only). A notice is sent when, and
   * only when, its event commits; one process's listeners hear them in commit order. A process that
   * loses its connection misses what commits meanwhile: readers re-read. Returns the function that stops it.
   */
  subscribeEvents(listener: EventNoticeListener): () => void;

  /**
   * Runs the background job `job` unless any kit process on this database started it less than
   * `minIntervalMs` before `now`; true when this call ran it. The slot is taken before `fn`
   * runs, so two processes never run it together; a run that fails waits for the next slot.
   */
  runExclusive(job: string, minIntervalMs: number, now: string, fn: () => Promise<void>): Promise<boolean>;

  /** Stops listening and closes the database connections. */
  close(): Promise<void>;
}
