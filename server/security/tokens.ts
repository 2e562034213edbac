import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** A URL-safe secret with 256 bits of randomness, for links and session keys. */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

/** A short random identifier (96 bits) for records that are not secrets. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString("base64url")}`;
}

/** SHA-256 of a secret, hex. Secrets are only ever stored as this hash. */
export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/** Constant-time comparison of two hex hashes of equal length. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, "hex");
  const y = Buffer.from(b, "hex");
  return x.length === y.length && timingSafeEqual(x, y);
}

/** True when a link token has the shape `newSecret` produces; anything else is rejected before lookup. */
export function looksLikeSecret(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}
