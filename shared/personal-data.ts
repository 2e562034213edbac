import { z } from "zod";
import { InterviewEvent, InterviewWithEvents, SnapshotInfo } from "./interview.js";
import { RiskReport } from "./signals.js";

export { REDACTED_NAME, RedactedFlag, RedactionRecord } from "./redaction.js";

/** Answer to `DELETE /v1/interviews/:id/personal-data`. */
export const RedactionResult = z.object({
  id: z.string(),
  redactedAt: z.iso.datetime(),
  removed: z.object({
    snapshots: z.number().int().nonnegative(),
    templates: z.number().int().nonnegative(),
    /** Events of the interview whose IP, user agent or personal data values were cleared. */
    events: z.number().int().nonnegative(),
    /** Challenge verdicts from which a reference embedding or antispoof scores were removed (stored by earlier versions). */
    verdicts: z.number().int().nonnegative(),
  }),
});
export type RedactionResult = z.infer<typeof RedactionResult>;

/** A snapshot with its JPEG, base64. */
export const ExportedSnapshot = SnapshotInfo.extend({ jpegBase64: z.string() });

/** A stored reference face: its metadata only, not the embedding vector (see docs/personal-data.md). */
export const ExportedTemplate = z.object({
  id: z.number().int(),
  challengeId: z.string(),
  candidateName: z.string(),
  candidateEmail: z.string().optional(),
  /** Length of the embedding held; the numbers themselves are not exported. */
  dimensions: z.number().int(),
  frames: z.number().int(),
  consistency: z.number(),
  createdAt: z.iso.datetime(),
});

export const ExportedSession = z.object({
  id: z.string(),
  createdAt: z.iso.datetime(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  verifiedAt: z.string().nullable(),
});

export const ExportedChallenge = z.object({
  id: z.string(),
  sessionId: z.string(),
  steps: z.array(z.string()),
  issuedAt: z.string(),
  expiresAt: z.string(),
  state: z.string(),
  failure: z.string().nullable(),
  refunded: z.boolean(),
  finishedAt: z.string().nullable(),
  verdict: z.record(z.string(), z.unknown()).nullable(),
});

export const ExportedRechallenge = z.object({
  id: z.string(),
  step: z.string(),
  state: z.string(),
  issuedAt: z.string(),
  expiresAt: z.string(),
  sentAt: z.string().nullable(),
});

/** Answer to `GET /v1/interviews/:id/export`: everything the kit holds about the candidate of one interview. */
export const PersonalDataExport = z.object({
  exportedAt: z.iso.datetime(),
  interview: InterviewWithEvents.omit({ events: true }),
  events: z.array(InterviewEvent),
  report: RiskReport,
  snapshots: z.array(ExportedSnapshot),
  templates: z.array(ExportedTemplate),
  sessions: z.array(ExportedSession),
  verifications: z.object({ challenges: z.array(ExportedChallenge), rechallenges: z.array(ExportedRechallenge) }),
  /** Set when the interview's personal data has been redacted. */
  redactedAt: z.iso.datetime().optional(),
});
export type PersonalDataExport = z.infer<typeof PersonalDataExport>;
