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
  "TooFewFrames",
  "Timeout",
  "WrongDirection",
  "StepNotCompleted",
  "AlreadyInPose",
  /** The server refused the evidence itself with a coded 4xx (timing, nonce, order, snapshot). */
  "EvidenceRejected",
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
  /** Test configurations accept Chromium's file-backed fake camera. */
  allowFakeCamera: z.boolean(),
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
    /** Why the camera looks virtual or tampered with, if it does. */
    suspicions: z
      .array(
        z.strictObject({
          kind: z.enum(["virtual_label", "fake_file", "patched_media_functions"]),
          label: z.string().max(300).optional(),
        }),
      )
      .max(10)
      .optional(),
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

/** The actions a liveness challenge asks for: "center" means back to facing the camera. */
export const ChallengeStep = z.enum(["turn_left", "turn_right", "move_closer", "center"]);
export type ChallengeStep = z.infer<typeof ChallengeStep>;

/** Body of `POST /v1/candidate/:token/liveness`. A seed is accepted only by a test configuration. */
export const LivenessStart = z.strictObject({ seed: z.string().min(1).max(64).optional() });
export type LivenessStart = z.infer<typeof LivenessStart>;

/** Answer to `POST /v1/candidate/:token/liveness`: a single-use, server-issued challenge. */
export const LivenessChallenge = z.object({
  challengeId: z.string(),
  nonce: z.string(),
  steps: z.array(ChallengeStep).min(3),
  /** Milliseconds each step may take, counted from the end of the step before it. */
  deadlines: z.array(z.number().int().positive()),
  /** Frames of a steady face the client must see before the first step. */
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

/** Largest snapshot accepted, as base64 of a JPEG (about 60 KB of image). */
export const MAX_SNAPSHOT_BASE64 = 80_000;

/** A small JPEG taken at a challenge moment, kept as evidence for the interviewer. */
export const Snapshot = z.strictObject({
  step: z.number().int().min(0).max(9),
  t: z.number().finite().nonnegative(),
  jpeg: z
    .string()
    .max(MAX_SNAPSHOT_BASE64)
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, { message: "must be base64" }),
});
export type Snapshot = z.infer<typeof Snapshot>;

/** Body of `POST /v1/candidate/:token/liveness/:challengeId`. */
export const LivenessEvidence = z.strictObject({
  nonce: z.string().max(200),
  /** Frames of the face fit before the first step: the baseline pose. */
  fit: z.array(FrameTrace).max(300),
  steps: z
    .array(z.strictObject({ step: ChallengeStep, frames: z.array(FrameTrace).max(1000) }))
    .min(1)
    .max(10),
  snapshots: z.array(Snapshot).min(2, { message: "2 to 4 snapshots are required" }).max(4),
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
