import { z } from "zod";

/** An earlier interview of the same candidate (same email), compared with this one's reference face. */
export const RoundComparison = z.object({
  interviewId: z.string(),
  /** 1 for the candidate's first interview with a stored reference, and so on. */
  round: z.number().int().positive(),
  similarity: z.number(),
  samePerson: z.boolean(),
});
export type RoundComparison = z.infer<typeof RoundComparison>;

/** Another candidate (a different name or email) whose stored face matches this one. */
export const ReusedFace = z.object({
  interviewId: z.string(),
  candidateName: z.string(),
  candidateEmail: z.string().optional(),
  similarity: z.number(),
});
export type ReusedFace = z.infer<typeof ReusedFace>;

/** Data of the `identity_checked` event: a pass stored a reference face and compared it with every other one. */
export const IdentityChecked = z.object({
  templateId: z.number().int(),
  challengeId: z.string(),
  frames: z.number().int(),
  consistency: z.number(),
  /** Human's antispoof "real" score per reference frame: recorded, never a gate. */
  antispoof: z.array(z.number()),
  threshold: z.number(),
  /** Same email, earlier interviews, oldest first. */
  rounds: z.array(RoundComparison),
  /** Matches under another name or email, most similar first. */
  reused: z.array(ReusedFace),
  /** Templates searched. */
  searched: z.number().int().nonnegative(),
  /**
   * Earlier passes of this same interview, oldest first: a second pass by a different person (a
   * stand-in taking a later attempt) scores below the threshold here. Absent on older events.
   */
  earlierPasses: z.array(z.object({ challengeId: z.string(), similarity: z.number(), samePerson: z.boolean() })).optional(),
});
export type IdentityChecked = z.infer<typeof IdentityChecked>;
