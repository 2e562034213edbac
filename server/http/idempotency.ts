import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_REPLAYED_HEADER, IdempotencyKey } from "../../shared/api-keys.js";
import type { ApiKeyEnv } from "../api-keys/index.js";
import { AppError } from "../errors/index.js";
import type { IdempotencyStore } from "../store/index.js";

/** How long an idempotency key and its response are kept. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600_000;
/** A claim with no response after this long is taken to be from a request that died, and may be claimed again. */
export const IDEMPOTENCY_STALE_MS = 5 * 60_000;
/** Expired keys are purged on a request at most this often. */
const PURGE_EVERY_MS = 10 * 60_000;

/**
 * SHA-256 of what makes two requests "the same": method, path, API key and the
 * body as sent. The key enters by id and by its sealing key, so a configured
 * key replaced under the same `cfg_<n>` id never matches (nor unseals) the old one's responses.
 */
function requestHash(method: string, path: string, apiKeyId: string, sealingKey: Buffer, body: string): string {
  return createHash("sha256")
    .update(JSON.stringify([method, path, apiKeyId, sealingKey.toString("hex"), body]), "utf8")
    .digest("hex");
}

/** AES-256-GCM: `iv (12) | tag (16) | ciphertext`, base64. */
function seal(key: Buffer, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), data]).toString("base64");
}

function unseal(key: Buffer, sealed: string): string {
  const raw = Buffer.from(sealed, "base64");
  const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
}

/**
 * Makes a creating POST safe to retry. With an `Idempotency-Key` header the
 * request first claims `(API key, idempotency key)` in the store, in one
 * atomic insert, and only the claimant runs the handler; its response (below
 * 500) is stored and replayed, with `Idempotent-Replayed: true`, to later
 * requests with the same key and body for 24 hours. The same key with another
 * body is `422 idempotency_mismatch`; while the first is still running,
 * `409 idempotency_in_progress`. A 5xx or thrown error drops the claim so the
 * client may retry. Without the header the request runs as usual.
 * Runs after `requireApiKey`, whose key id scopes the idempotency keys.
 * Stored bodies are sealed with a key derived from the caller's API key
 * secret, which the store never holds: the responses carry secrets (a new
 * API key, link tokens) that are otherwise kept only as hashes.
 */
export function idempotency(store: IdempotencyStore, now: () => Date = () => new Date()): MiddlewareHandler<ApiKeyEnv> {
  let lastPurge = -Infinity;
  return async (c, next) => {
    const key = c.req.header(IDEMPOTENCY_KEY_HEADER);
    if (key === undefined) return next();
    if (!IdempotencyKey.safeParse(key).success) {
      throw new AppError(
        "idempotency_key_invalid",
        `${IDEMPOTENCY_KEY_HEADER} must be 1–255 printable ASCII characters`,
        IDEMPOTENCY_KEY_HEADER,
      );
    }
    const { id: apiKeyId, sealingKey } = c.var.apiKey;
    // Hono keeps the body it read, so the handler can still parse it.
    const hash = requestHash(c.req.method, c.req.path, apiKeyId, sealingKey, await c.req.text());
    const at = now();
    const expiredBefore = new Date(at.getTime() - IDEMPOTENCY_TTL_MS).toISOString();
    if (at.getTime() - lastPurge >= PURGE_EVERY_MS) {
      lastPurge = at.getTime();
      await store.purgeIdempotencyKeys(expiredBefore);
    }
    const claim = await store.claimIdempotencyKey(
      { apiKeyId, key, requestHash: hash, createdAt: at.toISOString() },
      expiredBefore,
      new Date(at.getTime() - IDEMPOTENCY_STALE_MS).toISOString(),
    );
    if (!claim.claimed) {
      const { existing } = claim;
      if (existing.requestHash !== hash) {
        throw new AppError(
          "idempotency_mismatch",
          `This ${IDEMPOTENCY_KEY_HEADER} was used with a different request; use a new key for a new request`,
          IDEMPOTENCY_KEY_HEADER,
        );
      }
      if (!existing.response) {
        throw new AppError(
          "idempotency_in_progress",
          `A request with this ${IDEMPOTENCY_KEY_HEADER} is still being processed; retry shortly`,
          IDEMPOTENCY_KEY_HEADER,
          1,
        );
      }
      const { status, contentType, body } = existing.response;
      return c.body(unseal(sealingKey, body), status as ContentfulStatusCode, {
        ...(contentType ? { "Content-Type": contentType } : {}),
        [IDEMPOTENT_REPLAYED_HEADER]: "true",
      });
    }
    try {
      await next();
    } catch (err) {
      await store.releaseIdempotencyKey(apiKeyId, key);
      throw err;
    }
    // Errors thrown by the handler arrive here already turned into responses by the app's onError.
    const res = c.res;
    if (res.status >= 500) {
      await store.releaseIdempotencyKey(apiKeyId, key);
      return;
    }
    await store.completeIdempotencyKey(apiKeyId, key, {
      status: res.status,
      contentType: res.headers.get("content-type"),
      body: seal(sealingKey, await res.clone().text()),
    });
  };
}
