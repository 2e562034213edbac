import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../http/env.js";
import { AppError } from "../errors/index.js";
import { resolveLink } from "../timeline/index.js";
import { hashSecret } from "../security/index.js";
import type { CandidateSessionRecord, InterviewRecord, Store } from "../store/index.js";

/** Header that carries the candidate session key. */
export const SESSION_HEADER = "x-candidate-session";

/** Hono environment of candidate routes: the link's interview, and the session where a route needs one. */
export type CandidateEnv = AppEnv & {
  Variables: AppEnv["Variables"] & { interview: InterviewRecord; session: CandidateSessionRecord | undefined };
};

/**
 * Resolves the candidate link (`:token`) and the session key once per request
 * into context variables, so services take resolved records. A missing or
 * unknown session is left undefined here; `requireSession` refuses it.
 */
export function candidateContext(store: Store, now: () => Date): MiddlewareHandler<CandidateEnv> {
  return async (c, next) => {
    const interview = await resolveLink(store, "candidate", c.req.param("token") ?? "", now());
    c.set("interview", interview);
    const key = c.req.header(SESSION_HEADER);
    c.set("session", key ? await store.findSession(interview.id, hashSecret(key)) : undefined);
    await next();
  };
}

/** The request's session, or `401 session_required`. */
export function requireSession(session: CandidateSessionRecord | undefined): CandidateSessionRecord {
  if (!session) throw new AppError("session_required", "Start a candidate session first: POST /v1/candidate/:token/session");
  return session;
}
