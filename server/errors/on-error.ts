import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ErrorBody } from "../../shared/errors.js";
import { AppError } from "./errors.js";

/**
 * The one place errors become HTTP responses: `{ error: { code, message }, requestId }`.
 * Unknown errors are logged and answered with a generic 500, so internals never leak.
 */
export function onError(err: Error, c: Context): Response {
  const requestId = (c.get("requestId" as never) as string | undefined) ?? "unknown";
  let status = 500;
  let body: ErrorBody;
  if (err instanceof AppError) {
    status = err.status;
    body = { error: { code: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) }, requestId };
    if (err.retryAfterSeconds !== undefined) c.header("Retry-After", String(err.retryAfterSeconds));
  } else if (err instanceof HTTPException && err.status === 413) {
    status = 413;
    body = { error: { code: "payload_too_large", message: "The request body is too large" }, requestId };
  } else if (err instanceof HTTPException && err.status < 500) {
    status = err.status;
    body = { error: { code: "bad_request", message: err.message || "Bad request" }, requestId };
  } else {
    console.error(`[${requestId}]`, err);
    body = { error: { code: "internal", message: "Internal server error" }, requestId };
  }
  return c.json(body, status as ContentfulStatusCode);
}
