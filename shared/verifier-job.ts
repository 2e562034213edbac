import { z } from "zod";
import { DocumentMode, DocumentOutcome, MrzFields } from "./documents.js";
import { TargetPath, Waypoint } from "./target-path.js";
import { PromptStep, VerificationFailure } from "./verification.js";

/**
 * The contract between the kit and its verifier workers. The kit puts a
 * `VerifierJob` in the LiveKit agent dispatch's metadata (visible only to
 * workers holding the API secret); the worker reports back to `reportUrl`
 * with `Authorization: Bearer <reportToken>`.
 */
export const VerifierJob = z.object({
  kind: z.literal("verification"),
  challengeId: z.string(),
  room: z.string(),
  /** The only participant whose camera the verifier judges. */
  candidateIdentity: z.string(),
  steps: z.array(PromptStep).min(1).max(6),
  /** Pause before each prompt, in ms, after the previous step ended. */
  delaysMs: z.array(z.number().int().nonnegative()),
  /** The target path of a `follow` step, drawn by the kit; never sent to the page ahead of time. */
  path: TargetPath.optional(),
  reportUrl: z.url(),
  reportToken: z.string().min(16),
  /** After a pass, ask for an identity document and read it in the same room (absent: no document step). */
  document: DocumentMode.exclude(["off"]).optional(),
});
export type VerifierJob = z.infer<typeof VerifierJob>;

/** What the verifier saw in one analysed frame; `t` is ms since the job started. */
export const TraceFrame = z.object({
  t: z.number().nonnegative(),
  faces: z.number().int().nonnegative(),
  /** Head yaw relative to the fit baseline, degrees (positive: the subject's left). */
  yaw: z.number().optional(),
  /** Face width relative to the fit baseline. */
  scale: z.number().optional(),
  /** Head pitch relative to the fit baseline, degrees (positive: up). */
  pitch: z.number().optional(),
  /** Face box centre, normalised 0..1 to the frame. */
  cx: z.number().optional(),
  cy: z.number().optional(),
  score: z.number().optional(),
});
export type TraceFrame = z.infer<typeof TraceFrame>;

const AxisFit = z.object({ r: z.number(), gain: z.number(), residualDeg: z.number() });

/** How a `follow` step was followed: the path asked, and the fit of the observed pose to it. */
export const FollowObservation = z.object({
  /** Frames with one face during the path and its tail. */
  frames: z.number().int().nonnegative(),
  waypoints: z.array(Waypoint).max(20),
  /** Fitted delay of the response behind the target, ms. */
  lagMs: z.number().optional(),
  yaw: AxisFit.optional(),
  pitch: AxisFit.optional(),
  /** Landmark residual after one perspective mapping, as a share of the eye distance (≈ 0 for a flat picture). */
  planarResidual: z.number().optional(),
  /** Largest frame-to-frame pose change the fit does not explain, degrees. */
  largestJumpDeg: z.number().optional(),
  /** Largest frame-to-frame jump of the face box (centre in face widths, or log of its width). */
  largestBoxJump: z.number().optional(),
});
export type FollowObservation = z.infer<typeof FollowObservation>;

/** One prompted step as the verifier observed it; times are ms since the job started. */
export const StepObservation = z.object({
  step: PromptStep,
  promptAt: z.number().nonnegative(),
  onsetAt: z.number().nonnegative().optional(),
  reachedAt: z.number().nonnegative().optional(),
  doneAt: z.number().nonnegative().optional(),
  /** Largest yaw (degrees) or scale reached toward the target. */
  peak: z.number().optional(),
  /** For a `follow` step: the path and how it was followed. */
  follow: FollowObservation.optional(),
  passed: z.boolean(),
});
export type StepObservation = z.infer<typeof StepObservation>;

/** Largest snapshot accepted from a verifier, base64 of a JPEG. */
export const MAX_VERIFIER_SNAPSHOT_BASE64 = 200_000;

/** A frame the verifier decoded itself, kept as evidence. */
export const VerifierSnapshot = z.object({
  /** -1 for the fit (baseline) frame, else the step index. */
  step: z.number().int().min(-1).max(9),
  t: z.number().nonnegative(),
  jpeg: z.base64().max(MAX_VERIFIER_SNAPSHOT_BASE64),
});

/** Length of a face embedding from human's description model (faceres). */
export const EMBEDDING_LENGTH = 1024;

/**
 * The verified person's face, taken at a pass from several frames the
 * verifier decoded while the candidate faced the camera. The kit keeps the
 * embedding as a biometric template under the retention setting.
 */
export const ReferenceFace = z.object({
  /** Unit-length mean of the frames' embeddings. */
  embedding: z.array(z.number().finite().min(-1).max(1)).length(EMBEDDING_LENGTH),
  frames: z.number().int().min(1).max(10),
  /** Smallest cosine between one frame's embedding and the mean: low values mean an unsteady reference. */
  consistency: z.number().min(-1).max(1),
  /** Smallest cosine between two frames' embeddings: below the match threshold, the frames are of two people. */
  agreement: z.number().min(-1).max(1).optional(),
  /** Human's antispoof "real" score per frame: a weak, passive signal, never a gate. */
  antispoof: z.array(z.number().min(0).max(1)).max(10),
});
export type ReferenceFace = z.infer<typeof ReferenceFace>;

/** Bodies the verifier posts to its `reportUrl`. */
export const VerifierReport = z.discriminatedUnion("type", [
  /** Sent when the job starts and then about once a second: the kit treats silence as a lost verifier. */
  z.object({ type: z.literal("progress"), phase: z.enum(["waiting_video", "fit", "steps"]) }),
  z.object({
    type: z.literal("verdict"),
    passed: z.boolean(),
    failure: VerificationFailure.optional(),
    reasons: z.array(z.string().max(500)).max(20),
    steps: z.array(StepObservation).max(6),
    trace: z.array(TraceFrame).max(3000),
    snapshots: z.array(VerifierSnapshot).max(8),
    framesAnalysed: z.number().int().nonnegative(),
    analysedFps: z.number().nonnegative(),
    /** Ms from the job start to the first decoded frame. */
    firstFrameAt: z.number().nonnegative().optional(),
    /** The analyser's model load and first inference, in ms, as measured in this job's process. */
    analyzer: z.object({ loadMs: z.number().nonnegative(), firstInferenceMs: z.number().nonnegative().optional() }).optional(),
    /** Present on a pass when the verifier could embed the face. */
    reference: ReferenceFace.optional(),
  }),
  /** The document step after a pass: what was read from frames the verifier decoded, and the portrait's face. */
  z.object({
    type: z.literal("document"),
    outcome: DocumentOutcome,
    fields: MrzFields.optional(),
    /** Check digits that failed, on an `invalid` document. */
    failedChecks: z.array(z.string().max(40)).max(10).optional(),
    framesRead: z.number().int().nonnegative(),
    agreeingFrames: z.number().int().nonnegative(),
    /** How long the verifier looked for the document, ms. */
    lookedMs: z.number().nonnegative(),
    /** The face found in the document's portrait area; absent when none was found there. Biometric: compared, then dropped. */
    portraitEmbedding: z.array(z.number().finite().min(-1).max(1)).length(EMBEDDING_LENGTH).optional(),
    /** One JPEG of the frame that was read, as the verifier decoded it. */
    snapshot: z.base64().max(MAX_VERIFIER_SNAPSHOT_BASE64).optional(),
  }),
]);
export type VerifierReport = z.infer<typeof VerifierReport>;
export type VerdictReport = Extract<VerifierReport, { type: "verdict" }>;
export type DocumentReport = Extract<VerifierReport, { type: "document" }>;
