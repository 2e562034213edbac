import { AppError, notFound } from "../errors/index.js";
import { hashSecret, looksLikeSecret } from "../security/index.js";
import type { InterviewRecord, LinkKind, Store } from "../store/index.js";

/**
 * Resolves a link token to its interview: `404 not_found` for an unknown link,
 * `410 link_expired` once it has expired or the interview has ended.
 */
export async function resolveLink(store: Store, kind: LinkKind, token: string, now: Date): Promise<InterviewRecord> {
  const interview = looksLikeSecret(token) ? await store.findInterviewByLink(kind, hashSecret(token)) : undefined;
  if (!interview) throw notFound("Link");
  const expiresAt = kind === "interviewer" ? interview.interviewerExpiresAt : interview.expiresAt;
  if (new Date(expiresAt).getTime() <= now.getTime()) {
    throw new AppError("link_expired", "This link has expired. Ask the interviewer for a new one.");
  }
  if (interview.status === "ended") throw new AppError("link_expired", "This interview has ended.");
  return interview;
}
