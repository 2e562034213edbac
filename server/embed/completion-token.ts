import { randomBytes } from "node:crypto";
import { SignJWT } from "jose";
import { COMPLETION_TOKEN_ALG, type CompletionClaims, type CompletionGrant } from "../../shared/embed.js";
import type { RiskLevel } from "../../shared/signals.js";
import type { SigningKeys } from "./signing-keys.js";

export interface CompletionTokenDeps {
  keys: SigningKeys;
  /** The kit's public origin, written as `iss`. */
  issuer: string;
  /** Lifetime of a token (COMPLETION_TOKEN_TTL_SECONDS). */
  ttlSeconds: number;
  now: () => Date;
}

/** What a token asserts; the caller has already established that the session passed. */
export interface CompletionInput {
  interviewId: string;
  candidateSessionId: string;
  riskLevel: RiskLevel;
  /** The embedding page's origin, already checked against EMBED_ALLOWED_ORIGINS. */
  audience: string;
}

/**
 * Mints completion tokens: short-lived ES256 JWTs with the signing key's `kid`
 * in the header, which a host's backend verifies against the kit's JWKS.
 */
export class CompletionTokens {
  constructor(private readonly deps: CompletionTokenDeps) {}

  /** Signs a pass for one audience. */
  async mint(input: CompletionInput): Promise<CompletionGrant> {
    const { kid, key } = await this.deps.keys.active();
    const iat = Math.floor(this.deps.now().getTime() / 1000);
    const exp = iat + this.deps.ttlSeconds;
    const claims: Omit<CompletionClaims, "iss" | "aud" | "iat" | "exp" | "jti"> = {
      interview_id: input.interviewId,
      candidate_session: input.candidateSessionId,
      verdict: "passed",
      risk_level: input.riskLevel,
    };
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: COMPLETION_TOKEN_ALG, kid, typ: "JWT" })
      .setIssuer(this.deps.issuer)
      .setAudience(input.audience)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .setJti(randomBytes(16).toString("base64url"))
      .sign(key);
    return { token, expiresAt: new Date(exp * 1000).toISOString() };
  }
}
