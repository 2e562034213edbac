import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Job metadata the kit signs before it dispatches a verifier or monitor job, and the worker checks
 * before it accepts one. The key derives from the LiveKit API secret, which the kit and its workers
 * already share and no participant holds: a dispatch created by anyone else (a participant with
 * admin rights on the room, say) names report URLs and secrets the worker will not act on.
 */

const KEY_LABEL = "verify-kit job metadata v1";
const keyFor = (apiSecret: string) => createHmac("sha256", apiSecret).update(KEY_LABEL).digest();
const macOf = (apiSecret: string, json: string) => createHmac("sha256", keyFor(apiSecret)).update(json, "utf8").digest("hex");

/** `job` as dispatch metadata: its JSON with `sig`, an HMAC of that JSON, appended. */
export function signJobMetadata(job: object, apiSecret: string): string {
  const json = JSON.stringify(job);
  return JSON.stringify({ ...job, sig: macOf(apiSecret, json) });
}

/**
 * The job in `metadata` when its `sig` matches, else undefined. The signed JSON is rebuilt from the
 * parsed object without `sig`: JSON.parse keeps key order and numbers round-trip, so a metadata
 * string the kit wrote rebuilds byte for byte, and any other change breaks the MAC.
 */
export function verifiedJobMetadata(metadata: string, apiSecret: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(metadata);
  } catch {
    return undefined;
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return undefined;
  const { sig, ...job } = parsed as Record<string, unknown>;
  if (typeof sig !== "string" || !/^[0-9a-f]{64}$/.test(sig)) return undefined;
  const expected = Buffer.from(macOf(apiSecret, JSON.stringify(job)), "hex");
  return timingSafeEqual(expected, Buffer.from(sig, "hex")) ? job : undefined;
}

/** True when `url` is on `origin` (scheme, host and port), the only place a job may report to. */
export function reportsTo(url: string, origin: string): boolean {
  try {
    return new URL(url).origin === new URL(origin).origin;
  } catch {
    return false;
  }
}
