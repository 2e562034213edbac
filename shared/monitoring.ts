import { z } from "zod";
import { PromptStep } from "./verification.js";

/**
 * The moves a re-check may ask for: the discrete ones the candidate page and the monitor's judge
 * handle. Not `follow`, the verification's continuous path, which needs the target's data stream.
 */
export const RECHALLENGE_STEPS = ["turn_left", "turn_right", "move_closer"] as const satisfies readonly PromptStep[];

/**
 * Answer to `POST /v1/interviewer/:token/rechallenge`: the kit's monitor in
 * the interview room prompts the candidate after a pause it chose and judges
 * the move on the video it decodes; the result arrives as a
 * `rechallenge_result` event.
 */
export const Rechallenge = z.object({
  rechallengeId: z.string(),
  step: PromptStep,
  expiresAt: z.iso.datetime(),
});
export type Rechallenge = z.infer<typeof Rechallenge>;

/** Identities the kit gives interviewers in the interview room. */
export const INTERVIEWER_IDENTITY_PREFIX = "interviewer_";

/** Identities of the kit's hidden monitor jobs in interview rooms. */
export const MONITOR_IDENTITY_PREFIX = "monitor-";

/** Answer to `POST /v1/interviewer/:token/end`. */
export const InterviewEnded = z.object({ status: z.literal("ended") });
export type InterviewEnded = z.infer<typeof InterviewEnded>;
