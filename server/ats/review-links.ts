import { createLocalJWKSet, jwtVerify, SignJWT } from "jose";
import { COMPLETION_TOKEN_ALG } from "../../shared/embed.js";
import type { SigningKeys } from "../embed/index.js";

/** How long a review link opens the page: Greenhouse asks for the status, and gets a fresh link, until it is complete. */
export const REVIEW_LINK_TTL_SECONDS = 30 * 86_400;

/** The audience of review links: no completion token (or any other JWT of the kit) opens a report. */
const AUDIENCE = "verify-kit:review";

/**
 * Signed, expiring links to one interview's report, for a recruiter arriving from an ATS
 * (Greenhouse's `partner_profile_url`). ES256 with the kit's signing key, like completion
 * tokens; the link names the interview and nothing else, and opens only its report page.
 */
export class ReviewLinks {
  constructor(
    private readonly deps: { keys: SigningKeys; publicUrl: string; ttlSeconds: number; now: () => Date },
  ) {}

  /** A link to the interview's review page, valid `ttlSeconds` from now. */
  async mint(interviewId: string): Promise<string> {
    const { kid, key } = await this.deps.keys.active();
    const iat = Math.floor(this.deps.now().getTime() / 1000);
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: COMPLETION_TOKEN_ALG, kid, typ: "JWT" })
      .setIssuer(this.deps.publicUrl)
      .setAudience(AUDIENCE)
      .setSubject(interviewId)
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.deps.ttlSeconds)
      .sign(key);
    return `${this.deps.publicUrl}/ats/review/${token}`;
  }

  /** The interview a review token names, or undefined when it is forged, expired or not a review token. */
  async verify(token: string): Promise<string | undefined> {
    try {
      const jwks = createLocalJWKSet(await this.deps.keys.jwks());
      const { payload } = await jwtVerify(token, jwks, {
        issuer: this.deps.publicUrl,
        audience: AUDIENCE,
        algorithms: [COMPLETION_TOKEN_ALG],
        currentDate: this.deps.now(),
      });
      return typeof payload.sub === "string" ? payload.sub : undefined;
    } catch {
      return undefined;
    }
  }
}
