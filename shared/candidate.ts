import { z } from "zod";

/** Named camera failures; each has its own message in the strings table. */
export const CameraFailure = z.enum([
  "PermissionDenied",
  "NoCamera",
  "DeviceInUse",
  "VirtualCameraOnly",
  "LowFrameRate",
  "ModelLoadTimeout",
  "Unsupported",
]);
export type CameraFailure = z.infer<typeof CameraFailure>;

/** Named liveness failures, shown to the candidate and stored with the verdict. */
export const LivenessFailure = z.enum([
  "NoFace",
  "MultipleFaces",
  "NotHuman",
  "TooFewFrames",
  "Timeout",
  "ImpossibleTiming",
  "NonceMismatch",
]);
export type LivenessFailure = z.infer<typeof LivenessFailure>;

/** What the candidate page can learn about its interview before joining. */
export const CandidateView = z.object({
  interviewId: z.string(),
  candidateName: z.string(),
  status: z.string(),
  expiresAt: z.iso.datetime(),
  verified: z.boolean(),
  attemptsLeft: z.number().int().nonnegative(),
});
export type CandidateView = z.infer<typeof CandidateView>;

/** Answer to `POST /v1/candidate/:token/session`. The session key goes in `X-Candidate-Session`. */
export const CandidateSession = z.object({
  sessionKey: z.string(),
  verified: z.boolean(),
});
export type CandidateSession = z.infer<typeof CandidateSession>;

/** Body of `POST /v1/candidate/:token/camera`: the outcome of asking for the camera. */
export const CameraReport = z.discriminatedUnion("status", [
  z.strictObject({
    status: z.literal("granted"),
    label: z.string().max(300).optional(),
    width: z.number().int().nonnegative().max(10000).optional(),
    height: z.number().int().nonnegative().max(10000).optional(),
  }),
  z.strictObject({
    status: z.literal("failed"),
    failure: CameraFailure,
    detail: z.string().max(500).optional(),
  }),
]);
export type CameraReport = z.infer<typeof CameraReport>;

export const ChallengeStep = z.enum(["face_present"]);
export type ChallengeStep = z.infer<typeof ChallengeStep>;

/** Answer to `POST /v1/candidate/:token/liveness`: a single-use, server-issued challenge. */
export const LivenessChallenge = z.object({
  challengeId: z.string(),
  nonce: z.string(),
  steps: z.array(ChallengeStep).min(1),
  /** Milliseconds the client has for each step, counted from the challenge issue. */
  deadlines: z.array(z.number().int().positive()),
  minFrames: z.number().int().positive(),
  expiresAt: z.iso.datetime(),
});
export type LivenessChallenge = z.infer<typeof LivenessChallenge>;

const Point = z.tuple([z.number().finite(), z.number().finite()]);

/** One analysed camera frame. Coordinates are normalised to the frame (0..1). */
export const FrameTrace = z.strictObject({
  t: z.number().finite().nonnegative(),
  faces: z.number().int().nonnegative().max(20),
  score: z.number().min(0).max(1).optional(),
  box: z
    .strictObject({ x: z.number().finite(), y: z.number().finite(), w: z.number().finite(), h: z.number().finite() })
    .optional(),
  keypoints: z.array(Point).max(6).optional(),
});
export type FrameTrace = z.infer<typeof FrameTrace>;

/** Body of `POST /v1/candidate/:token/liveness/:challengeId`. */
export const LivenessEvidence = z.strictObject({
  nonce: z.string().max(200),
  steps: z
    .array(z.strictObject({ step: ChallengeStep, frames: z.array(FrameTrace).max(2000) }))
    .min(1)
    .max(10),
});
export type LivenessEvidence = z.infer<typeof LivenessEvidence>;

export const LivenessVerdict = z.object({
  passed: z.boolean(),
  reasons: z.array(z.string()),
  failure: LivenessFailure.optional(),
  attemptsLeft: z.number().int().nonnegative(),
});
export type LivenessVerdict = z.infer<typeof LivenessVerdict>;

/** Answer to the join calls: everything `livekit-client` needs to connect. */
export const JoinGrant = z.object({
  serverUrl: z.string(),
  token: z.string(),
  room: z.string(),
  identity: z.string(),
});
export type JoinGrant = z.infer<typeof JoinGrant>;
