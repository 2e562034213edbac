import { z } from "zod";
import { ClaimedLocation } from "./location.js";

export const InterviewStatus = z.enum([
  "created",
  "link_opened",
  "verifying",
  "verified",
  "failed",
  "in_interview",
  "ended",
  "expired",
]);
export type InterviewStatus = z.infer<typeof InterviewStatus>;

/** Unicode control (`Cc`: NUL, BEL…) and format (`Cf`: bidi overrides, zero-width joiners…) characters. */
export const CONTROL_OR_FORMAT = /[\p{Cc}\p{Cf}]/u;

/**
 * A name shown to people: trimmed, not empty, and free of control and
 * invisible format characters, which could reorder or hide what an
 * interviewer reads.
 */
export const DisplayName = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !CONTROL_OR_FORMAT.test(s), { message: "must not contain control or invisible formatting characters" });

/** Body of `POST /v1/interviews`. */
export const CreateInterviewInput = z.strictObject({
  candidate: z.strictObject({
    name: DisplayName(200),
    email: z.email().max(320).optional(),
  }),
  claimedLocation: ClaimedLocation.optional(),
  expiresInHours: z.number().positive().max(24 * 30).optional(),
});
export type CreateInterviewInput = z.input<typeof CreateInterviewInput>;
export type CreateInterview = z.output<typeof CreateInterviewInput>;

export const EventType = z.enum([
  "interview_created",
  "link_opened",
  "interviewer_link_opened",
  "camera_granted",
  "camera_refused",
  "camera_unavailable",
  "virtual_camera_suspected",
  "liveness_started",
  "liveness_passed",
  "liveness_failed",
  "token_issued",
  /** A newer candidate identity took the interview's one candidate place; the earlier one was removed. */
  "candidate_replaced",
  /** The kit removed a participant from the room: the interview had ended, or its candidate token was superseded. */
  "participant_removed",
  /** The interviewer link was rotated through the API: the old link no longer resolves. */
  "interviewer_link_rotated",
  "participant_joined",
  "participant_left",
  "track_published",
  "track_unpublished",
  "room_finished",
  "face_present",
  "face_absent",
  "multiple_faces",
  "camera_off",
  "camera_on",
  "video_degraded",
  "rechallenge_sent",
  "rechallenge_result",
  /** The server-side monitor joined the interview room. */
  "monitor_started",
  /** The candidate joined the interview room and published no camera in time. */
  "no_video",
  /** The monitor saw a face other than the verified reference for several seconds. */
  "face_mismatch",
  "face_match_restored",
  /** A pass stored a reference face; data compares it with the candidate's earlier rounds and every other candidate. */
  "identity_checked",
  "interview_ended",
  "environment_reported",
  "network_reported",
  /** The interviewer ticked items of the advisory's checklist (payment requests, refused video...). */
  "interviewer_observed",
  /** The candidate's personal data was removed (API call or retention); data keeps the risk level from before. */
  "personal_data_redacted",
]);
export type EventType = z.infer<typeof EventType>;

export const InterviewEvent = z.object({
  id: z.number().int(),
  type: EventType,
  at: z.iso.datetime(),
  actor: z.enum(["candidate", "interviewer", "system", "livekit", "verifier", "monitor"]),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
});
export type InterviewEvent = z.infer<typeof InterviewEvent>;

export const Interview = z.object({
  id: z.string(),
  status: InterviewStatus,
  candidate: z.object({ name: z.string(), email: z.string().optional() }),
  claimedLocation: ClaimedLocation.optional(),
  room: z.string(),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
});
export type Interview = z.infer<typeof Interview>;

/** Answer to `POST /v1/interviews`. The URLs carry secrets and are shown once. */
export const CreatedInterview = z.object({
  id: z.string(),
  status: InterviewStatus,
  candidateUrl: z.url(),
  interviewerUrl: z.url(),
  /** When the candidate link (and the interview) expires. */
  expiresAt: z.iso.datetime(),
  /** When the interviewer link expires; shorter than the candidate link by default (INTERVIEWER_LINK_TTL_HOURS). */
  interviewerExpiresAt: z.iso.datetime(),
});
export type CreatedInterview = z.infer<typeof CreatedInterview>;

/** Answer to `POST /v1/interviews/:id/interviewer-link`: a new interviewer link, shown once; the old one is void. */
export const RotatedInterviewerLink = z.object({
  id: z.string(),
  interviewerUrl: z.url(),
  interviewerExpiresAt: z.iso.datetime(),
});
export type RotatedInterviewerLink = z.infer<typeof RotatedInterviewerLink>;

export const InterviewWithEvents = Interview.extend({ events: z.array(InterviewEvent) });
export type InterviewWithEvents = z.infer<typeof InterviewWithEvents>;

/** One row of `GET /v1/interviews`. */
export const InterviewSummary = Interview.extend({
  riskLevel: z.enum(["clear", "review", "high"]),
});
export type InterviewSummary = z.infer<typeof InterviewSummary>;

export const InterviewList = z.object({ interviews: z.array(InterviewSummary) });
export type InterviewList = z.infer<typeof InterviewList>;

/** Query of `GET /v1/interviews`. */
export const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

/** A server-sent event on `GET /v1/interviews/stream`: something happened on an interview. */
export const StreamEvent = z.object({ interviewId: z.string(), type: EventType, status: InterviewStatus, at: z.iso.datetime() });
export type StreamEvent = z.infer<typeof StreamEvent>;

/** A liveness snapshot's metadata; the JPEG is at `GET /v1/interviews/:id/snapshots/:snapshotId`. */
export const SnapshotInfo = z.object({ id: z.number().int(), challengeId: z.string(), step: z.number().int(), t: z.number(), createdAt: z.iso.datetime() });
export type SnapshotInfo = z.infer<typeof SnapshotInfo>;
