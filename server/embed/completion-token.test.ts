import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createLocalJWKSet, decodeProtectedHeader, errors, jwtVerify, type JSONWebKeySet } from "jose";
import { describe, expect, it } from "vitest";
import { CompletionClaims } from "../../shared/embed.js";
import { CompletionTokens } from "./completion-token.js";
import { SIGNING_KEY_FILE, SigningKeys } from "./signing-keys.js";

const ISSUER = "https://kit.example.com";
const HOST = "https://hr.example.com";
const input = { interviewId: "iv_1", candidateSessionId: "cs_1", riskLevel: "review" as const, audience: HOST };
const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), "kit-keys-"));

/** Verifies as a host's backend does: the kit's JWKS, its issuer, the host's own origin as audience. */
async function verify(token: string, keys: SigningKeys, audience = HOST, currentDate?: Date) {
  const jwks = createLocalJWKSet((await keys.jwks()) as JSONWebKeySet);
  return jwtVerify(token, jwks, { issuer: ISSUER, audience, algorithms: ["ES256"], ...(currentDate ? { currentDate } : {}) });
}

describe("completion tokens", () => {
  it("mints an ES256 JWT with the key's kid and the claims a host needs, which verifies against the JWKS", async () => {
    const keys = SigningKeys.ephemeral();
    const now = new Date("2026-11-26T10:00:00Z");
    const grant = await new CompletionTokens({ keys, issuer: ISSUER, ttlSeconds: 600, now: () => now }).mint(input);
    const header = decodeProtectedHeader(grant.token);
    expect(header).toEqual({ alg: "ES256", kid: (await keys.active()).kid, typ: "JWT" });
    const { payload } = await verify(grant.token, keys, HOST, now);
    const claims = CompletionClaims.parse(payload);
    expect(claims).toMatchObject({
      iss: ISSUER,
      aud: HOST,
      interview_id: "iv_1",
      candidate_session: "cs_1",
      verdict: "passed",
      risk_level: "review",
      iat: now.getTime() / 1000,
      exp: now.getTime() / 1000 + 600,
    });
    expect(grant.expiresAt).toBe("2026-11-26T10:10:00.000Z");
  });

  it("does not verify for another audience: a token for host A is worthless to host B", async () => {
    const keys = SigningKeys.ephemeral();
    const { token } = await new CompletionTokens({ keys, issuer: ISSUER, ttlSeconds: 600, now: () => new Date() }).mint(input);
    await expect(verify(token, keys, "https://other-hr.example.com")).rejects.toBeInstanceOf(errors.JWTClaimValidationFailed);
  });

  it("does not verify once expired", async () => {
    const keys = SigningKeys.ephemeral();
    const minted = new Date("2026-11-26T10:00:00Z");
    const { token } = await new CompletionTokens({ keys, issuer: ISSUER, ttlSeconds: 600, now: () => minted }).mint(input);
    await expect(verify(token, keys, HOST, new Date("2026-11-26T10:09:59Z"))).resolves.toBeTruthy();
    await expect(verify(token, keys, HOST, new Date("2026-11-26T10:10:01Z"))).rejects.toBeInstanceOf(errors.JWTExpired);
  });

  it("does not verify when tampered with: a changed claim, a foreign signature, or alg none", async () => {
    const keys = SigningKeys.ephemeral();
    const tokens = new CompletionTokens({ keys, issuer: ISSUER, ttlSeconds: 600, now: () => new Date() });
    const { token } = await tokens.mint(input);
    const [h, p, s] = token.split(".") as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, "base64url").toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, risk_level: "clear", interview_id: "iv_other" })).toString("base64url");
    await expect(verify(`${h}.${forged}.${s}`, keys)).rejects.toBeInstanceOf(errors.JWSSignatureVerificationFailed);

    // Signed by a key the kit never published, under the kit's kid: no match in the JWKS.
    const stranger = await new CompletionTokens({ keys: SigningKeys.ephemeral(), issuer: ISSUER, ttlSeconds: 600, now: () => new Date() }).mint(input);
    const [, sp, ss] = stranger.token.split(".") as [string, string, string];
    await expect(verify(`${h}.${sp}.${ss}`, keys)).rejects.toBeInstanceOf(errors.JWSSignatureVerificationFailed);

    const none = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url");
    await expect(verify(`${none}.${p}.`, keys)).rejects.toThrow();
  });
});

describe("signing keys", () => {
  it("are generated on first use into DATA_DIR with mode 0600 and kept across restarts", async () => {
    const dir = path.join(tempDir(), "data");
    const first = SigningKeys.inDataDir(dir);
    const kid = (await first.active()).kid;
    const file = path.join(dir, SIGNING_KEY_FILE);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    // A restart (a new instance on the same folder) signs with the same key.
    expect((await SigningKeys.inDataDir(dir).active()).kid).toBe(kid);
    // Only public halves are published.
    const { keys } = await first.jwks();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kid, kty: "EC", crv: "P-256", alg: "ES256", use: "sig" });
    expect(keys[0]).not.toHaveProperty("d");
  });

  it("rotate: the new key signs, tokens of the previous key still verify, the key before that is dropped", async () => {
    const dir = tempDir();
    const keys = SigningKeys.inDataDir(dir);
    const tokens = new CompletionTokens({ keys, issuer: ISSUER, ttlSeconds: 600, now: () => new Date() });
    const old = await tokens.mint(input);
    const oldKid = (await keys.active()).kid;

    // Rotated by another process (`npm run rotate-signing-key`): the running instance picks the change up.
    const rotated = await SigningKeys.inDataDir(dir).rotate();
    expect(rotated.previousKid).toBe(oldKid);
    expect((await keys.active()).kid).toBe(rotated.kid);
    const fresh = await tokens.mint(input);
    expect(decodeProtectedHeader(fresh.token).kid).toBe(rotated.kid);
    expect((await keys.jwks()).keys.map((k) => k.kid)).toEqual([rotated.kid, oldKid]);
    await expect(verify(old.token, keys)).resolves.toBeTruthy();
    await expect(verify(fresh.token, keys)).resolves.toBeTruthy();
    // The retired key's private half is gone from the file.
    const stored = JSON.parse(fs.readFileSync(path.join(dir, SIGNING_KEY_FILE), "utf8"));
    expect(stored.keys[1].privateJwk).toBeUndefined();
    expect(fs.statSync(path.join(dir, SIGNING_KEY_FILE)).mode & 0o777).toBe(0o600);

    await keys.rotate();
    expect((await keys.jwks()).keys.map((k) => k.kid)).not.toContain(oldKid);
    await expect(verify(old.token, keys)).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
    await expect(verify(fresh.token, keys)).resolves.toBeTruthy();
  });

  it("refuses a corrupted key file with a message that names it, rather than signing with a new key", async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, SIGNING_KEY_FILE), "{ not json", { mode: 0o600 });
    await expect(SigningKeys.inDataDir(dir).active()).rejects.toThrow(/signing-keys\.json is not a signing key file/);
  });

  it("ephemeral keys generate one key even when asked concurrently", async () => {
    const keys = SigningKeys.ephemeral();
    const kids = await Promise.all([keys.active(), keys.active(), keys.jwks()]);
    expect(new Set([kids[0].kid, kids[1].kid, kids[2].keys[0]!.kid]).size).toBe(1);
  });
});
