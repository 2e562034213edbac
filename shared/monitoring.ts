import { z } from "zod";
import { PromptStep } from "./verification.js";

/**
 * What a re-check asks for: the verification's own challenge, a target to follow along a path the
 * monitor draws per re-check and sends point by point (`target` messages), judged by the same judge.
 * A library of recorded moves could answer a discrete move; it cannot follow a path it has never seen.
 */
export const RECHALLENGE_STEPS = ["follow"] as const satisfies readonly PromptStep[];

/**
 * Answer to `POST /v1/interviewer/:token/rechallenge`: the kit's monitor in
 * the interview room prompts the candidate after a pause it chose, moves the
 * target, and judges the following on the video it decodes; the result arrives
 * as a `rechallenge_result` event.
 */
export const Rechallenge = z.object({
  rechallengeId: z.string(),
  step: PromptStep,
  expiresAt: z.iso.datetime(),
});
export type Rechallenge = z.infer<typeof Rechallenge>;

/**
 * Body of `POST /v1/interviewer/:token/reference`: the interviewer accepts the face of a later pass
 * in this interview (named by its check) as the one the monitor compares with, in place of the first.
 */
export const AcceptReference = z.strictObject({ challengeId: z.string().min(1).max(100) });
export type AcceptReference = z.infer<typeof AcceptReference>;

/** Answer to `POST /v1/interviewer/:token/reference`, and the data of its `reference_accepted` event. */
export const ReferenceAccepted = z.strictObject({
  /** The check whose face is now the reference. */
  challengeId: z.string(),
  /** The check whose face was the reference until now. */
  previousChallengeId: z.string(),
});
export type ReferenceAccepted = z.infer<typeof ReferenceAccepted>;

/** Identities the kit gives interviewers in the interview room. */
export const INTERVIEWER_IDENTITY_PREFIX = "interviewer_";

/** Identities of the kit's hidden monitor jobs in interview rooms. */
export const MONITOR_IDENTITY_PREFIX = "monitor-";

/** Answer to `POST /v1/interviewer/:token/end`. */
export const InterviewEnded = z.object({ status: z.literal("ended") });
export type InterviewEnded = z.infer<typeof InterviewEnded>;
