import type { LivenessChallenge } from "../../shared/candidate.js";
import { newId, newSecret } from "../security/index.js";
import type { ChallengeRecord } from "../store/index.js";

/** How long the candidate has to hold their face in view. */
export const FACE_PRESENT_DEADLINE_MS = 20_000;
/** Consecutive one-face frames the evidence must show. */
export const MIN_FACE_FRAMES = 10;

/** Issues a fresh single-use challenge bound to one candidate session. */
export function issueChallenge(interviewId: string, sessionId: string, now: Date): ChallengeRecord {
  return {
    id: newId("ch"),
    interviewId,
    sessionId,
    nonce: newSecret(16),
    steps: ["face_present"],
    deadlines: [FACE_PRESENT_DEADLINE_MS],
    issuedAt: now.toISOString(),
    // A little slack past the last deadline for the upload itself.
    expiresAt: new Date(now.getTime() + FACE_PRESENT_DEADLINE_MS + 10_000).toISOString(),
    usedAt: null,
    verdict: null,
  };
}

/** The challenge as the candidate's browser sees it. */
export function toWire(record: ChallengeRecord): LivenessChallenge {
  return {
    challengeId: record.id,
    nonce: record.nonce,
    steps: record.steps as LivenessChallenge["steps"],
    deadlines: record.deadlines,
    minFrames: MIN_FACE_FRAMES,
    expiresAt: record.expiresAt,
  };
}
