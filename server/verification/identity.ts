/** Prefix of every candidate identity in LiveKit rooms; the rest is the candidate session id. */
export const CANDIDATE_IDENTITY_PREFIX = "candidate-";

/** The LiveKit identity of a candidate session, the same in the verification and interview rooms. */
export const candidateIdentity = (sessionId: string) => `${CANDIDATE_IDENTITY_PREFIX}${sessionId}`;
