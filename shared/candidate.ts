import { z } from "zod";
import { EventType } from "./event-type.js";

/** Named camera failures; each has its own message in the strings table. */
export const CameraFailure = z.enum([
  "PermissionDenied",
  "NoCamera",
  "DeviceInUse",
  "VirtualCameraOnly",
  "Unsupported",
  /** Anything the browser threw that has no better name. */
  "Other",
]);
export type CameraFailure = z.infer<typeof CameraFailure>;

/** What the candidate page can learn about its interview before joining. */
export const CandidateView = z.object({
  interviewId: z.string(),
  candidateName: z.string(),
  status: z.string(),
  expiresAt: z.iso.datetime(),
  /** Verification attempts left on this link. */
  attemptsLeft: z.number().int().nonnegative(),
  /** Test configurations accept Chromium's file-backed fake camera. */
  allowFakeCamera: z.boolean(),
  /** Days the kit keeps the face template of a pass; the consent screen says so. */
  faceTemplateDays: z.number().positive(),
  /** Whether an identity document is asked for after the check; the consent screen says what is kept of it. */
  document: z.enum(["off", "optional", "required"]),
});
export type CandidateView = z.infer<typeof CandidateView>;

/** Answer to the candidate's reports (`/camera`, `/environment`, `/network`): the event type it was recorded as. */
export const Recorded = z.object({ recorded: EventType });
export type Recorded = z.infer<typeof Recorded>;

/** Answer to `POST /v1/candidate/:token/session`. The session key goes in `X-Candidate-Session`. */
export const CandidateSession = z.object({
  sessionKey: z.string(),
  verified: z.boolean(),
});
export type CandidateSession = z.infer<typeof CandidateSession>;

/** Answer to `GET /v1/candidate/:token/session`: whether the session has a recorded pass. */
export const SessionStatus = z.object({ verified: z.boolean() });
export type SessionStatus = z.infer<typeof SessionStatus>;

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

const Point = z.tuple([z.number().finite(), z.number().finite()]);

/**
 * One frame as a browser's MediaPipe detector saw it. Used for guidance and by
 * the interviewer's re-challenge on the received video; never as evidence for
 * the candidate's own verification. Coordinates are normalised (0..1).
 */
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

/** Answer to the join calls: everything `livekit-client` needs to connect. */
export const JoinGrant = z.object({
  serverUrl: z.string(),
  token: z.string(),
  room: z.string(),
  identity: z.string(),
});
export type JoinGrant = z.infer<typeof JoinGrant>;
