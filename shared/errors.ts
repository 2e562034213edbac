import { z } from "zod";

/**
 * Every error the API can answer with has one of these codes. Clients switch on
 * the code; the message is for humans and may change.
 */
export const ErrorCode = z.enum([
  "bad_request",
  "invalid_json",
  "validation_failed",
  "unauthorized",
  "not_found",
  "link_expired",
  "verification_required",
  "challenge_unknown",
  "challenge_open",
  "challenge_finished",
  "seed_not_allowed",
  "payload_too_large",
  "session_required",
  "sessions_exhausted",
  "attempts_exhausted",
  "verifier_unavailable",
  "rate_limited",
  "already_redacted",
  "internal",
  "api_key_not_revocable",
  "idempotency_key_invalid",
  "idempotency_mismatch",
  "idempotency_in_progress",
  "webhook_url_forbidden",
  "insufficient_scope",
  "no_reference_face",
  "unknown_test",
  /** A document report for a check that has no document step (not passed, the setting is off, already recorded, or too late). */
  "document_not_expected",
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** The JSON body of every error response. */
export const ErrorBody = z.object({
  error: z.object({
    code: ErrorCode,
    message: z.string(),
    field: z.string().optional(),
  }),
  requestId: z.string(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;
