import type { EventType, InterviewStatus } from "../../shared/interview.js";

/** The order statuses move in; an event never moves an interview backwards. */
const RANK: Record<InterviewStatus, number> = {
  created: 0,
  link_opened: 1,
  verifying: 2,
  failed: 3,
  verified: 4,
  in_interview: 5,
  ended: 6,
  expired: 7,
};

const TARGET: Partial<Record<EventType, InterviewStatus>> = {
  link_opened: "link_opened",
  liveness_started: "verifying",
  liveness_passed: "verified",
  // Only the interviewer (or an API call) ends an interview. `room_finished`
  // is LiveKit closing an empty room, after a dropped connection too, so it is
  // recorded on the timeline but leaves the interview open for a rejoin.
  interview_ended: "ended",
};

/**
 * The status an interview moves to when an event is recorded. A candidate
 * joining the room moves it to `in_interview`; a pass after a failed attempt
 * moves it from `failed` to `verified`; `room_finished` changes nothing.
 */
export function statusAfter(
  current: InterviewStatus,
  event: EventType,
  context: { candidate?: boolean; attemptsExhausted?: boolean } = {},
): InterviewStatus {
  let target = TARGET[event];
  if (event === "participant_joined" && context.candidate) target = "in_interview";
  if (event === "liveness_failed" && context.attemptsExhausted) target = "failed";
  if (!target) return current;
  if (current === "ended" || current === "expired") return current;
  // A failed candidate retrying goes back to verifying, not ahead of a pass.
  if (current === "failed" && target === "verifying") return target;
  return RANK[target] > RANK[current] ? target : current;
}

/** What the API reports: an unfinished interview past its expiry reads as `expired`. */
export function effectiveStatus(status: InterviewStatus, expiresAt: string, now: Date): InterviewStatus {
  if (status === "ended" || status === "in_interview") return status;
  return new Date(expiresAt).getTime() <= now.getTime() ? "expired" : status;
}
