import type { ChallengeRecord, InterviewRecord, NewEvent, RechallengeRecord } from "../../server/store/index.js";

/** Records the contract tests store, with fixed times so both backends get the same input. */
export const NOW = "2026-01-01T00:01:00.000Z";
/** Second `s` of a fixed day. */
export const T = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();

export const interview = (id: string, createdAt = T(0)): InterviewRecord => ({
  id,
  status: "created",
  candidateName: "Ada Lovelace",
  candidateEmail: "ada@example.com",
  claimedLocation: { country: "GB" },
  room: `room-${id}`,
  candidateTokenHash: `c-${id}`,
  interviewerTokenHash: `i-${id}`,
  createdAt,
  expiresAt: "2099-01-01T00:00:00.000Z",
  interviewerExpiresAt: "2098-01-01T00:00:00.000Z",
});

export const session = (id: string, interviewId = "a") => ({
  id,
  interviewId,
  keyHash: `k-${id}`,
  createdAt: T(0),
  ip: "198.51.100.7",
  userAgent: "UA/1",
  verifiedAt: null,
});

export const challenge = (id: string, sessionId: string, expiresAt = "2026-01-01T00:10:00.000Z", interviewId = "a"): ChallengeRecord => ({
  id,
  interviewId,
  sessionId,
  room: `verify-${id}`,
  callbackHash: "h",
  steps: ["turn_left", "smile"],
  delaysMs: [800, 1200],
  issuedAt: T(0),
  expiresAt,
  state: "pending",
  phase: "waiting_verifier",
  progressAt: null,
  failure: null,
  refunded: false,
  finishedAt: null,
  verdict: null,
});

export const outcome = (state: "passed" | "failed", refunded = false) => ({
  state,
  failure: state === "failed" ? "NoFace" : null,
  refunded,
  finishedAt: NOW,
  verdict: { reasons: ["r"], score: 0.5 },
});

export const rechallenge = (id: string, expiresAt = T(30), interviewId = "a"): RechallengeRecord => ({
  id,
  interviewId,
  step: "turn_left",
  delayMs: 900,
  state: "pending",
  issuedAt: T(0),
  expiresAt,
  sentAt: null,
});

/** A `link_opened` event on interview `a` (or another) at `at`, from a browser. */
export const opened = (at = T(1), interviewId = "a"): NewEvent => ({
  interviewId,
  type: "link_opened",
  actor: "candidate",
  at,
  ip: "198.51.100.7",
  userAgent: "UA/1",
});

/** `n` copies of `fn()` started together; their results in start order. */
export const together = <R>(n: number, fn: (i: number) => Promise<R>) => Promise.all(Array.from({ length: n }, (_, i) => fn(i)));
