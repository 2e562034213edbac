import { z } from "zod";
import { DisplayName } from "./interview.js";

/**
 * What a key may do (docs/api-keys.md). `interviews:read` lists and reads interviews, reports,
 * snapshots and streams; `interviews:write` creates interviews, records observations and rotates
 * interviewer links; `personal_data` exports and erases a candidate's data and sees other
 * candidates named in identity checks; `webhooks` manages webhook endpoints and reads deliveries;
 * `keys:admin` makes, lists and revokes API keys; `ats` is the credential an applicant-tracking
 * system calls the kit's assessment-partner endpoints with (`/ats/greenhouse/*`, HTTP Basic).
 */
export const ApiScope = z.enum(["interviews:read", "interviews:write", "personal_data", "webhooks", "keys:admin", "ats"]);
export type ApiScope = z.infer<typeof ApiScope>;
/** Every scope: what configured keys (API_KEYS, the generated key) have. */
export const ALL_SCOPES: readonly ApiScope[] = ApiScope.options;
/** What a key made without `scopes` gets: an integration that runs interviews, nothing more. */
export const DEFAULT_SCOPES: readonly ApiScope[] = ["interviews:read", "interviews:write"];

/**
 * `POST /v1/api-keys`: a name people recognise the key by (the system or person using it), and its
 * scopes (default `interviews:read`, `interviews:write`); never more than the creating key has.
 */
export const CreateApiKeyInput = z.object({ name: DisplayName(100), scopes: z.array(ApiScope).min(1).max(6).optional() });
export type CreateApiKeyInput = z.infer<typeof CreateApiKeyInput>;

/** Where a key comes from: made through the API (revocable), or `API_KEYS`/the generated key (not). */
export const ApiKeySource = z.enum(["api", "configuration"]);
export type ApiKeySource = z.infer<typeof ApiKeySource>;

/** A key as listed: never its secret, only the first characters to tell keys apart. */
export const ApiKeySummary = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revoked: z.boolean(),
  source: ApiKeySource,
  scopes: z.array(ApiScope),
  /** The key that made this one (null for configured keys and keys made before this was recorded). */
  createdBy: z.string().nullable(),
});
export type ApiKeySummary = z.infer<typeof ApiKeySummary>;

/** `POST /v1/api-keys` → 201: the only response that ever carries the secret. */
export const CreatedApiKey = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  secret: z.string(),
  createdAt: z.string(),
  scopes: z.array(ApiScope),
});
export type CreatedApiKey = z.infer<typeof CreatedApiKey>;

/** `GET /v1/api-keys`. */
export const ApiKeyList = z.object({ keys: z.array(ApiKeySummary) });
export type ApiKeyList = z.infer<typeof ApiKeyList>;

/** `DELETE /v1/api-keys/:id` → 200. */
export const RevokedApiKey = z.object({ id: z.string(), revoked: z.literal(true) });
export type RevokedApiKey = z.infer<typeof RevokedApiKey>;

/** The request header that makes a creating POST safe to retry. */
export const IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";
/** Set on a response replayed from an earlier request with the same idempotency key. */
export const IDEMPOTENT_REPLAYED_HEADER = "Idempotent-Replayed";
/** 1–255 printable ASCII characters. */
export const IdempotencyKey = z.string().regex(/^[\x20-\x7e]{1,255}$/, { message: "must be 1–255 printable ASCII characters" });
