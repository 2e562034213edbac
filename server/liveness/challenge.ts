import type { LivenessChallenge } from "../../shared/candidate.js";
import { newId, newSecret } from "../security/index.js";
import type { ChallengeRecord } from "../store/index.js";
import { generateSteps, type RandomInt } from "./steps.js";

/** Time each step may take, from the end of the step before it. */
export const STEP_DEADLINE_MS = 8_000;
/** Time for the face fit before the first step. */
export const FIT_DEADLINE_MS = 20_000;
/** Steady one-face frames the face fit needs. */
export const MIN_FIT_FRAMES = 5;

/** Issues a fresh single-use challenge bound to one candidate session. */
export function issueChallenge(interviewId: string, sessionId: string, now: Date, random: RandomInt): ChallengeRecord {
  const steps = generateSteps(random);
  const total = FIT_DEADLINE_MS + steps.length * STEP_DEADLINE_MS;
  return {
    id: newId("ch"),
    interviewId,
    sessionId,
    nonce: newSecret(16),
    steps,
    deadlines: steps.map(() => STEP_DEADLINE_MS),
    issuedAt: now.toISOString(),
    // Slack past the last deadline for the upload itself.
    expiresAt: new Date(now.getTime() + total + 10_000).toISOString(),
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
    minFrames: MIN_FIT_FRAMES,
    expiresAt: record.expiresAt,
  };
}
