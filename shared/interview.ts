import { DocumentMode } from "./documents.js";
import { z } from "zod";
import { CONTROL_OR_FORMAT, DisplayName } from "./text.js";

export { CONTROL_OR_FORMAT, DisplayName };
import { EventType } from "./event-type.js";
import { InterviewEvent } from "./events.js";
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

/** Body of `POST /v1/interviews`. */
export const CreateInterviewInput = z.strictObject({
  candidate: z.strictObject({
    name: DisplayName(200),
    email: z.email().max(320).optional(),
  }),
  claimedLocation: ClaimedLocation.optional(),
  expiresInHours: z.number().positive().max(24 * 30).optional(),
  /** Ask for an identity document after the liveness pass: off, optional or required; the kit's DOCUMENT_STEP_DEFAULT when absent. */
  document: DocumentMode.optional(),
});
export type CreateInterviewInput = z.input<typeof CreateInterviewInput>;
export type CreateInterview = z.output<typeof CreateInterviewInput>;

/** Moved to their own modules (`event-type.ts`, `events.ts`); still exported from here. */
export { EventType, InterviewEvent };

export const Interview = z.object({
  id: z.string(),
  status: InterviewStatus,
  candidate: z.object({ name: z.string(), email: z.string().optional() }),
  claimedLocation: ClaimedLocation.optional(),
  /** Whether the candidate is asked for an identity document after the pass. */
  document: DocumentMode,
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

export const InterviewList = z.object({
  interviews: z.array(InterviewSummary),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type InterviewList = z.infer<typeof InterviewList>;

/** Query of `GET /v1/interviews`. */
export const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** The previous page's `nextCursor`: the page after it, at the same cost however deep. */
  cursor: z.string().max(200).optional(),
  /** Rows to skip; slower the deeper it goes. Prefer `cursor`. */
  offset: z.coerce.number().int().min(0).default(0),
});
export type ListQuery = z.infer<typeof ListQuery>;

/** A server-sent event on `GET /v1/interviews/stream`: something happened on an interview. */
export const StreamEvent = z.object({ interviewId: z.string(), type: EventType, status: InterviewStatus, at: z.iso.datetime() });
export type StreamEvent = z.infer<typeof StreamEvent>;

/** A liveness snapshot's metadata; the JPEG is at `GET /v1/interviews/:id/snapshots/:snapshotId`. */
export const SnapshotInfo = z.object({ id: z.number().int(), challengeId: z.string(), step: z.number().int(), t: z.number(), createdAt: z.iso.datetime() });
export type SnapshotInfo = z.infer<typeof SnapshotInfo>;

/** Answer to `GET /v1/interviews/:id/snapshots`. */
export const SnapshotList = z.object({ snapshots: z.array(SnapshotInfo) });
export type SnapshotList = z.infer<typeof SnapshotList>;
