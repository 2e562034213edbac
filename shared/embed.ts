import { z } from "zod";
import { RiskLevel } from "./signals.js";

/**
 * The embedded widget's server contract: the completion token a verified
 * candidate session's frame asks for, and the claims that token carries. The
 * host page's backend verifies it against `/.well-known/jwks.json`.
 */

/** An http(s) origin as the browser writes it (`https://hr.example.com`, `http://127.0.0.1:8080`): no path, no slash. */
export const WebOrigin = z
  .string()
  .max(200)
  .regex(/^https?:\/\/(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/, { message: "must be an origin like https://hr.example.com" });
export type WebOrigin = z.infer<typeof WebOrigin>;

/** Body of `POST /v1/embed/candidate/:token/completion`: the embedding page's origin, the token's audience. */
export const CompletionRequest = z.strictObject({ audience: WebOrigin });
export type CompletionRequest = z.infer<typeof CompletionRequest>;

/** Answer to a completion request: the signed token and when it stops being valid. */
export const CompletionGrant = z.object({
  token: z.string(),
  expiresAt: z.iso.datetime(),
});
export type CompletionGrant = z.infer<typeof CompletionGrant>;

/** Signing algorithm of completion tokens (ECDSA P-256, SHA-256). */
export const COMPLETION_TOKEN_ALG = "ES256";

/** The claims of a completion token, as a host's backend sees them after verifying the signature. */
export const CompletionClaims = z.object({
  /** The kit's public origin (`PUBLIC_URL`). */
  iss: z.string(),
  /** The embedding page's origin: a token minted for one host does not verify for another. */
  aud: WebOrigin,
  iat: z.number().int(),
  exp: z.number().int(),
  /** Unique per token, for a host that wants to accept each token once. */
  jti: z.string(),
  /** The interview, as `POST /v1/interviews` returned it. */
  interview_id: z.string(),
  /** The candidate session whose pass the verifier reported. */
  candidate_session: z.string(),
  /** Only passes are ever signed. */
  verdict: z.literal("passed"),
  /** The interview's risk level when the token was minted; the report may change later. */
  risk_level: RiskLevel,
});
export type CompletionClaims = z.infer<typeof CompletionClaims>;

/**
 * Name of the `<meta>` the kit adds to a candidate or interviewer page requested
 * with an allowed `embed_origin`: the one origin that may frame that response,
 * and so the only one the page posts its events to.
 */
export const EMBED_ORIGIN_META = "verify-kit-embed-origin";
