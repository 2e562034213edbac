import { z } from "zod";

/**
 * What the interviewer's browser observes on the candidate's received video
 * during the interview. The candidate's client has no say in these.
 */
export const Observation = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("face_present"), afterSeconds: z.number().nonnegative().max(86_400).optional() }),
  z.strictObject({ type: z.literal("face_absent"), seconds: z.number().nonnegative().max(86_400) }),
  z.strictObject({ type: z.literal("multiple_faces"), count: z.number().int().min(2).max(20) }),
  z.strictObject({ type: z.literal("camera_off"), reason: z.enum(["muted", "unpublished"]) }),
  z.strictObject({
    type: z.literal("camera_on"),
    offSeconds: z.number().nonnegative().max(86_400),
    totalOffSeconds: z.number().nonnegative().max(86_400),
  }),
  z.strictObject({
    type: z.literal("video_degraded"),
    fps: z.number().nonnegative().max(240),
    baselineFps: z.number().nonnegative().max(240),
    width: z.number().int().nonnegative().max(10_000),
    height: z.number().int().nonnegative().max(10_000),
  }),
  z.strictObject({
    type: z.literal("rechallenge_result"),
    rechallengeId: z.string().max(64),
    passed: z.boolean(),
    detail: z.string().max(300),
  }),
]);
export type Observation = z.infer<typeof Observation>;

/** Answer to `POST /v1/interviewer/:token/rechallenge`: one step for the candidate to perform now. */
export const Rechallenge = z.object({
  rechallengeId: z.string(),
  step: z.enum(["turn_left", "turn_right", "move_closer"]),
  expiresAt: z.iso.datetime(),
});
export type Rechallenge = z.infer<typeof Rechallenge>;

/** The LiveKit data message that carries a re-challenge to the candidate. */
export const RechallengeMessage = z.object({
  kind: z.literal("rechallenge"),
  rechallengeId: z.string(),
  step: Rechallenge.shape.step,
});
export type RechallengeMessage = z.infer<typeof RechallengeMessage>;

/** The LiveKit data-message topic for re-challenges. */
export const RECHALLENGE_TOPIC = "verify-kit.rechallenge";

/** Identities the kit gives interviewers in the interview room; the candidate page acts only on their messages. */
export const INTERVIEWER_IDENTITY_PREFIX = "interviewer_";
