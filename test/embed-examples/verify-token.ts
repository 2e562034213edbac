import { createRemoteJWKSet, jwtVerify } from "jose";

/**
 * On your backend: accepts the widget's `verified` token only if the kit signed it for your origin,
 * for the interview you created for this application, and only once (keep the used ids in your
 * database when you run more than one process).
 */
export function identityCheckVerifier(kitUrl: string, yourOrigin: string) {
  const kitKeys = createRemoteJWKSet(new URL("/.well-known/jwks.json", kitUrl));
  const usedTokenIds = new Map<string, number>(); // jti → exp

  return async function verifyIdentityCheck(token: string, expectedInterviewId: string) {
    const { payload } = await jwtVerify(token, kitKeys, { issuer: kitUrl, audience: yourOrigin, requiredClaims: ["jti", "exp", "interview_id"] });
    if (payload.interview_id !== expectedInterviewId) throw new Error("The token is for another interview");
    const now = Date.now() / 1000;
    for (const [id, exp] of usedTokenIds) if (exp < now) usedTokenIds.delete(id);
    if (usedTokenIds.has(payload.jti!)) throw new Error("The token was already used");
    usedTokenIds.set(payload.jti!, payload.exp!);
    return { interviewId: expectedInterviewId, riskLevel: payload.risk_level as "clear" | "review" | "high" };
  };
}
