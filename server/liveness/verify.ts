import type { LivenessEvidence } from "../../shared/candidate.js";
import type { ChallengeRecord } from "../store/index.js";
import { checkBehaviour, type Verdict } from "./behaviour.js";
import { checkStructure } from "./structure.js";

export type { Verdict };

/**
 * Re-checks a candidate's liveness evidence against the challenge the server
 * issued. Throws a coded AppError for forged or malformed evidence; returns a
 * verdict for honest evidence. Pure: the caller supplies the elapsed time.
 */
export function verifyEvidence(
  challenge: ChallengeRecord,
  evidence: LivenessEvidence,
  elapsedMs: number,
  minFitFrames: number,
): Verdict {
  checkStructure(challenge, evidence, elapsedMs);
  return checkBehaviour(challenge, evidence, minFitFrames);
}
