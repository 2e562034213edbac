import { z } from "zod";
import { PromptStep, VerificationFailure } from "./verification.js";
import { EMBEDDING_LENGTH, StepObservation, VerifierJob } from "./verifier-job.js";

/**
 * The interview monitor's job: a hidden participant in the interview room
 * that decodes the candidate's camera for the whole interview. Like the
 * verifier, it reports to `reportUrl` with `Authorization: Bearer <reportToken>`.
 */
export const MonitorJob = z.object({
  kind: z.literal("monitor"),
  monitorId: z.string(),
  interviewId: z.string(),
  room: z.string(),
  /** Candidate identities start with this; the kit keeps at most one of them in the room. */
  candidatePrefix: z.string().min(1),
  reportUrl: z.url(),
  reportToken: z.string().min(16),
});
export type MonitorJob = z.infer<typeof MonitorJob>;

/** Every job a verifier worker accepts, told apart by `kind`. */
export const WorkerJob = z.discriminatedUnion("kind", [VerifierJob, MonitorJob]);
export type WorkerJob = z.infer<typeof WorkerJob>;

/** Largest mismatch snapshot the kit accepts, base64 of a JPEG. */
export const MAX_MONITOR_SNAPSHOT_BASE64 = 200_000;

export const FaceAbsent = z.strictObject({ type: z.literal("face_absent"), seconds: z.number().nonnegative().max(86_400) });
export const FacePresent = z.strictObject({ type: z.literal("face_present"), afterSeconds: z.number().nonnegative().max(86_400) });
export const MultipleFaces = z.strictObject({ type: z.literal("multiple_faces"), count: z.number().int().min(2).max(20) });
export const CameraOff = z.strictObject({ type: z.literal("camera_off"), reason: z.enum(["muted", "unpublished", "left"]) });
export const CameraOn = z.strictObject({
  type: z.literal("camera_on"),
  offSeconds: z.number().nonnegative().max(86_400),
  totalOffSeconds: z.number().nonnegative().max(86_400),
});
/** The candidate joined and published no camera within the allowed time. */
export const NoVideo = z.strictObject({ type: z.literal("no_video"), seconds: z.number().nonnegative().max(86_400) });
export const VideoDegraded = z.strictObject({
  type: z.literal("video_degraded"),
  width: z.number().int().nonnegative().max(10_000),
  height: z.number().int().nonnegative().max(10_000),
  fps: z.number().nonnegative().max(240),
});
/** The face differed from the verified reference for `seconds`: every comparison in that run, oldest first. */
export const FaceMismatch = z.strictObject({
  type: z.literal("face_mismatch"),
  similarities: z.array(z.number().min(-1).max(1)).min(1).max(60),
  threshold: z.number(),
  seconds: z.number().nonnegative().max(86_400),
  snapshot: z.base64().max(MAX_MONITOR_SNAPSHOT_BASE64).optional(),
});
/** The reference face is back after a mismatch. */
export const FaceMatchRestored = z.strictObject({
  type: z.literal("face_match_restored"),
  similarity: z.number().min(-1).max(1),
  threshold: z.number(),
});
/** The camera showed no natural micro-motion of the face this long: a still picture, not live video. */
export const StaticVideo = z.strictObject({
  type: z.literal("static_video"),
  seconds: z.number().nonnegative().max(86_400),
  /** Largest change between consecutive face samples in the episode, and the line it stayed under. */
  motion: z.number().nonnegative(),
  threshold: z.number(),
});
/** The face's crops repeated an earlier moment at one steady lag, sample after sample: a clip on a loop. */
export const LoopedVideo = z.strictObject({
  type: z.literal("looped_video"),
  periodSeconds: z.number().positive().max(3_600),
  repeats: z.number().int().positive().max(1_000),
  /** Largest distance of a repeat from the moment it repeats, and the line it stayed under. */
  difference: z.number().nonnegative(),
  threshold: z.number(),
});
export const RechallengeResult = z.strictObject({
  type: z.literal("rechallenge_result"),
  rechallengeId: z.string().max(64),
  passed: z.boolean(),
  failure: VerificationFailure.optional(),
  reasons: z.array(z.string().max(500)).max(20),
  observed: z.array(StepObservation).max(1),
});

/** What the monitor saw: each becomes an interview event of the same `type` (`shared/events.ts`). */
export const MonitorEvent = z.discriminatedUnion("type", [
  FaceAbsent,
  FacePresent,
  MultipleFaces,
  CameraOff,
  CameraOn,
  NoVideo,
  VideoDegraded,
  FaceMismatch,
  FaceMatchRestored,
  StaticVideo,
  LoopedVideo,
  RechallengeResult,
]);
export type MonitorEvent = z.infer<typeof MonitorEvent>;

/** Bodies the monitor posts to its `reportUrl`. */
export const MonitorReport = z.discriminatedUnion("type", [
  /** At start and whenever a new candidate identity appears: the answer carries the reference face. */
  z.object({ type: z.literal("hello") }),
  /** About once a second: the kit treats silence as a lost monitor, and answers with pending commands. */
  z.object({ type: z.literal("heartbeat") }),
  z.object({ type: z.literal("event"), event: MonitorEvent }),
  /**
   * The candidate publishes video besides the camera the monitor judges. The kit checks the SFU's
   * own list of the candidate's tracks and acts on what it finds, not on this report.
   */
  z.object({ type: z.literal("extra_video"), identity: z.string().max(200), trackSid: z.string().max(64) }),
  /** The camera track the monitor now judges; the interviewer's page shows this track as the candidate. */
  z.object({ type: z.literal("judging"), identity: z.string().max(200), trackSid: z.string().max(64) }),
]);
export type MonitorReport = z.infer<typeof MonitorReport>;

/** Work the kit gives the monitor in its answers. */
export const MonitorCommand = z.discriminatedUnion("type", [
  z.object({ type: z.literal("rechallenge"), rechallengeId: z.string(), step: PromptStep, delayMs: z.number().int().nonnegative() }),
]);
export type MonitorCommand = z.infer<typeof MonitorCommand>;

/** What the limits of one interview's monitoring are. */
export const MonitorSettings = z.object({
  /** Cosine similarity to the reference at or above which the face is the verified person. */
  matchThreshold: z.number().min(-1).max(1),
  /** A face that stays below the threshold this long is a `face_mismatch`. */
  mismatchMs: z.number().int().positive(),
  /** No face this long is `face_absent`. */
  absentMs: z.number().int().positive(),
  /** No camera this long after the candidate joined is `no_video`. */
  noVideoMs: z.number().int().positive(),
});
export type MonitorSettings = z.infer<typeof MonitorSettings>;

/** The kit's answer to every monitor report. */
export const MonitorReply = z.object({
  /** The interview has ended: the monitor leaves. */
  ended: z.boolean(),
  commands: z.array(MonitorCommand),
  /** On `hello`: the interview's first reference face (null when none is stored), and the limits. */
  reference: z.array(z.number()).length(EMBEDDING_LENGTH).nullable().optional(),
  settings: MonitorSettings.optional(),
  /**
   * The candidate identity the kit admitted last (null before any): the only one the monitor
   * watches. Another candidate identity in the room (a superseded session's brief join) is ignored.
   */
  candidate: z.string().nullable().optional(),
  /**
   * The check whose face is the reference now (null when none is stored). When an interviewer accepts
   * another, it changes: a monitor holding a different one asks again with `hello`.
   */
  referenceId: z.string().nullable().optional(),
});
export type MonitorReply = z.infer<typeof MonitorReply>;
