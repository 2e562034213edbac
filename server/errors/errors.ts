import type { ErrorCode } from "../../shared/errors.js";

/** The HTTP status each error code is answered with; the OpenAPI document lists the codes per status from it. */
export const ERROR_STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  invalid_json: 400,
  validation_failed: 400,
  unauthorized: 401,
  not_found: 404,
  link_expired: 410,
  verification_required: 403,
  challenge_unknown: 404,
  challenge_open: 409,
  challenge_finished: 409,
  seed_not_allowed: 400,
  payload_too_large: 413,
  session_required: 401,
  sessions_exhausted: 429,
  attempts_exhausted: 429,
  verifier_unavailable: 503,
  rate_limited: 429,
  already_redacted: 409,
  internal: 500,
  api_key_not_revocable: 409,
  idempotency_key_invalid: 400,
  idempotency_mismatch: 422,
  idempotency_in_progress: 409,
  webhook_url_forbidden: 422,
  insufficient_scope: 403,
  no_reference_face: 409,
  unknown_test: 404,
  document_not_expected: 409,
};

/** An error with a fixed code that `app.onError` turns into a JSON response. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    /** Seconds a client should wait before trying again; sent as `Retry-After`. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "AppError";
    this.status = ERROR_STATUS[code];
  }
}

export const notFound = (what: string) => new AppError("not_found", `${what} not found`);
export const unauthorized = (message = "A valid API key is required: Authorization: Bearer <key>") =>
  new AppError("unauthorized", message);

/** `429 rate_limited`: too many requests; `Retry-After` says when to try again, when waiting helps. */
export const rateLimited = (message: string, retryAfterSeconds?: number) =>
  new AppError("rate_limited", message, undefined, retryAfterSeconds);
