import { createRemoteJWKSet, jwtVerify } from "jose";

const kitKeys = createRemoteJWKSet(new URL("https://kit.example.com/.well-known/jwks.json"));

/** On your backend: accept the widget's `verified` token only if the kit signed it for your origin. */
export async function verifyIdentityCheck(token: string) {
  const { payload } = await jwtVerify(token, kitKeys, { issuer: "https://kit.example.com", audience: "https://hr.example.com" });
  return { interviewId: payload.interview_id as string, riskLevel: payload.risk_level as "clear" | "review" | "high" };
}
