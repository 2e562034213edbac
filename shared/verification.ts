import { z } from "zod";

/**
 * The server-verified liveness contract. The candidate's page publishes its
 * camera into a verification room; a hidden verifier participant decodes the
 * frames, prompts one move at a time over LiveKit data, judges the responses
 * on its own observations and reports the verdict to the kit. Nothing the page
 * reports can open the gate.
 */

/**
 * Moves the verifier can prompt. Each ends with a return to facing the camera. `follow` is the
 * continuous challenge: the head follows a target pose that moves along a random path, sent point
 * by point just in time (`target` messages); the discrete moves remain for the transition only.
 */
export const PromptStep = z.enum(["turn_left", "turn_right", "move_closer", "follow"]);
export type PromptStep = z.infer<typeof PromptStep>;

/** Named failures of a verification, decided by the verifier (or the kit, for a lost verifier). */
export const VerificationFailure = z.enum([
  /** The page never published camera video into the verification room. */
  "NoVideo",
  /** No face was seen where one was needed. */
  "NoFace",
  /** More than one face was in view. */
  "MultipleFaces",
  /** The head moved while no prompt was showing, or the move started sooner than a person can react. */
  "MovedBeforePrompt",
  /** The move did not start, or did not complete and hold, before the step's deadline. */
  "TooSlow",
  /** The head turned the opposite way from the prompt. */
  "WrongDirection",
  /** The verifier could not be reached or stopped mid-check. The attempt is not counted. */
  "VerifierUnavailable",
  /** The head did not follow the moving target: no human lag, too little correlation or gain. */
  "NotFollowing",
  /** The head pose jumped between frames faster than a head moves: switched pictures or clips. */
  "Discontinuous",
  /** The face moved as one flat picture does (a print, a phone or a screen), not as a head. */
  "FlatFace",
]);
export type VerificationFailure = z.infer<typeof VerificationFailure>;

/** Body of `POST /v1/candidate/:token/liveness`. A seed is accepted only by a test configuration. */
export const VerificationStart = z.strictObject({ seed: z.string().min(1).max(64).optional() });
export type VerificationStart = z.infer<typeof VerificationStart>;

/**
 * Answer to `POST /v1/candidate/:token/liveness`: where to publish the camera.
 * The steps, their order and their timing are not revealed; they arrive one at
 * a time as prompts.
 */
export const VerificationTicket = z.object({
  challengeId: z.string(),
  serverUrl: z.string(),
  /** LiveKit token for the verification room: publish camera only, no subscribing, no data. */
  token: z.string(),
  room: z.string(),
  identity: z.string(),
  /** How many moves will be prompted. */
  totalSteps: z.number().int().positive(),
  expiresAt: z.iso.datetime(),
  /** Attempts left on this link after this one. */
  attemptsLeft: z.number().int().nonnegative(),
  /** After a pass the verifier asks for an identity document in the same room (absent: it does not). */
  document: z.enum(["optional", "required"]).optional(),
});
export type VerificationTicket = z.infer<typeof VerificationTicket>;

/** Guidance while the verifier waits for a steady single face before the first prompt. */
export const FitHint = z.enum(["noVideo", "noFace", "multipleFaces", "faceCamera", "hold"]);
export type FitHint = z.infer<typeof FitHint>;

/** LiveKit data topic of the verifier's messages. */
export const VERIFIER_TOPIC = "verify-kit.verifier";

/**
 * Messages the verifier sends to the page over LiveKit data. In a verification
 * room only the verifier may publish data, so any message there is its own.
 */
export const VerifierMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("fit"), challengeId: z.string(), hint: FitHint }),
  z.object({
    type: z.literal("prompt"),
    challengeId: z.string(),
    index: z.number().int().nonnegative(),
    total: z.number().int().positive(),
    step: PromptStep,
  }),
  /** The move was seen and held; return to facing the camera and wait for the next prompt. */
  z.object({
    type: z.literal("step_done"),
    challengeId: z.string(),
    index: z.number().int().nonnegative(),
    total: z.number().int().positive(),
  }),
  /**
   * The pose to hold now during a `follow` step, in degrees from facing the camera: yaw + toward the
   * subject's left, pitch + up. Sent every few tens of ms, each point only when it is due.
   */
  z.object({
    type: z.literal("target"),
    challengeId: z.string(),
    index: z.number().int().nonnegative(),
    seq: z.number().int().nonnegative(),
    yaw: z.number().min(-45).max(45),
    pitch: z.number().min(-30).max(30),
  }),
  /** The verifier has decided; the page reads the verdict from the kit. */
  z.object({ type: z.literal("finished"), challengeId: z.string(), passed: z.boolean() }),
  /** After a pass: hold an identity document up to the camera (the page raises the camera to 1280x720). */
  z.object({ type: z.literal("document_prompt"), challengeId: z.string(), lookForMs: z.number().int().positive() }),
  /** The document step is over; the page reads its result from the kit. */
  z.object({ type: z.literal("document_done"), challengeId: z.string(), outcome: z.enum(["read", "invalid", "unreadable"]) }),
]);
export type VerifierMessage = z.infer<typeof VerifierMessage>;

/** Answer to `GET /v1/candidate/:token/liveness/:challengeId`: the verdict as the kit recorded it. */
/**
 * Answer to `GET /v1/candidate/:token/liveness/:challengeId`. `reasons` is always empty here: the
 * verifier's measured reasons go to the interviewer's timeline only, not to the candidate.
 */
export const VerificationStatus = z.discriminatedUnion("state", [
  z.object({ state: z.literal("pending"), phase: z.enum(["waiting_verifier", "running"]) }),
  z.object({ state: z.literal("passed"), reasons: z.array(z.string()), attemptsLeft: z.number().int().nonnegative() }),
  z.object({
    state: z.literal("failed"),
    failure: VerificationFailure,
    reasons: z.array(z.string()),
    attemptsLeft: z.number().int().nonnegative(),
    /** True when the attempt was not counted (the verifier was lost). */
    refunded: z.boolean(),
  }),
]);
export type VerificationStatus = z.infer<typeof VerificationStatus>;

/** DOM event the candidate page dispatches on `window` the moment a prompt is shown. */
export const PROMPT_EVENT = "verify-kit:prompt";

/**
 * DOM event the candidate page dispatches on `window` each time the follow target moves
 * (`detail: { yaw, pitch }`, degrees, the verifier's convention) and when it is hidden
 * (`detail: null`). Like {@link PROMPT_EVENT}, it only mirrors what the page shows.
 */
export const TARGET_EVENT = "verify-kit:target";
