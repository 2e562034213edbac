import { z } from "zod";
import { DocumentMode, DocumentOutcome, MrzFields } from "./documents.js";
import { AtsProfile } from "./ats.js";
import { CameraReport } from "./candidate.js";
import { EventType } from "./event-type.js";
import { IdentityChecked } from "./identity.js";
import {
  CameraOff,
  CameraOn,
  FaceAbsent,
  FaceMatchRestored,
  FaceMismatch,
  FacePresent,
  MultipleFaces,
  NoVideo,
  RechallengeResult,
  VideoDegraded,
  StaticVideo,
  LoopedVideo,
} from "./monitor-job.js";
import { Rechallenge, ReferenceAccepted } from "./monitoring.js";
import { ObservationData } from "./observations.js";
import { RedactionRecord } from "./redaction.js";
import { EnvironmentReport, NetworkReport } from "./signals.js";
import { PromptStep } from "./verification.js";
import { StepObservation } from "./verifier-job.js";

/** Who caused an event. */
export const EventActor = z.enum(["candidate", "interviewer", "system", "livekit", "verifier", "monitor"]);
export type EventActor = z.infer<typeof EventActor>;

/** An event that carries nothing beyond its type, time and request. */
const Empty = z.strictObject({});

const [CameraGranted, CameraFailed] = CameraReport.options;
/** The camera outcome as the candidate reported it, without `status` (the event type says it), and the session. */
const CameraGrantedData = CameraGranted.omit({ status: true }).extend({ sessionId: z.string() });
const CameraFailedData = CameraFailed.omit({ status: true }).extend({ sessionId: z.string() });

/** A LiveKit webhook about a participant or track; room-level hooks (`room_finished`) carry none of it. */
const RoomData = z.strictObject({
  identity: z.string().optional(),
  role: z.enum(["candidate", "monitor", "interviewer"]).optional(),
  source: z.string().optional(),
  kind: z.string().optional(),
  trackSid: z.string().optional(),
});

/** A verification run's schedule, as issued: the prompted moves and the pause before each. */
const Schedule = { challengeId: z.string(), steps: z.array(z.string()), delaysMs: z.array(z.number()) };

/** The verdict of a verification, from the verifier (or the kit, for a lost verifier). */
const LivenessVerdict = z.strictObject({
  ...Schedule,
  /** A `VerificationFailure`, stored as the challenge recorded it. */
  failure: z.string().optional(),
  reasons: z.array(z.string()),
  refunded: z.boolean(),
  attemptsLeft: z.number().int().nonnegative(),
  /** Present when the verifier reported (absent for a lost verifier). */
  observed: z.array(StepObservation).optional(),
  analysedFps: z.number().optional(),
  framesAnalysed: z.number().int().optional(),
});

/** The data each event type carries: what its writer in server/ records. */
export const EVENT_DATA = {
  interview_created: Empty,
  link_opened: Empty,
  interviewer_link_opened: z.strictObject({ identity: z.string() }),
  camera_granted: CameraGrantedData,
  camera_refused: CameraFailedData,
  camera_unavailable: CameraFailedData,
  virtual_camera_suspected: z.strictObject({ suspicions: CameraGranted.shape.suspicions.unwrap(), sessionId: z.string() }),
  liveness_started: z.strictObject({
    ...Schedule,
    attempt: z.number().int().nonnegative(),
    /** The follow step's target path, for the record: shown to the company, never to the candidate. */
    path: z.array(z.object({ t: z.number(), yaw: z.number(), pitch: z.number() })).optional(),
  }),
  liveness_passed: LivenessVerdict,
  liveness_failed: LivenessVerdict,
  token_issued: z.strictObject({ identity: z.string() }),
  candidate_replaced: z.strictObject({ identity: z.string(), replacedBy: z.string(), removed: z.boolean() }),
  participant_removed: z.strictObject({
    identity: z.string(),
    role: z.enum(["candidate", "interviewer"]),
    reason: z.enum(["interview_ended", "superseded", "room_full", "link_rotated", "link_expired", "extra_video_track"]),
  }),
  extra_video_track: z.strictObject({
    identity: z.string(),
    trackSid: z.string(),
    /** The source the track declared (`CAMERA`, `MICROPHONE`, …) and what it carries. */
    source: z.string(),
    kind: z.string(),
    width: z.number().int().nonnegative().optional(),
    height: z.number().int().nonnegative().optional(),
    /** The camera the kit judges and shows, which stays. */
    cameraSid: z.string().optional(),
    detectedBy: z.enum(["webhook", "monitor"]),
  }),
  interviewer_link_rotated: z.strictObject({ interviewerExpiresAt: z.iso.datetime() }),
  participant_joined: RoomData,
  participant_left: RoomData,
  track_published: RoomData,
  track_unpublished: RoomData,
  room_finished: RoomData,
  face_present: FacePresent.omit({ type: true }),
  face_absent: FaceAbsent.omit({ type: true }),
  multiple_faces: MultipleFaces.omit({ type: true }),
  camera_off: CameraOff.omit({ type: true }),
  camera_on: CameraOn.omit({ type: true }),
  video_degraded: VideoDegraded.omit({ type: true }),
  static_video: StaticVideo.omit({ type: true }),
  looped_video: LoopedVideo.omit({ type: true }),
  rechallenge_sent: Rechallenge,
  /** The monitor's result, with the step the re-challenge asked for. */
  rechallenge_result: RechallengeResult.omit({ type: true }).extend({ step: PromptStep }),
  monitor_started: z.strictObject({ monitorId: z.string() }),
  /** `silentSeconds`: since its last report; the interview went unwatched about that long. */
  monitor_lost: z.strictObject({ monitorId: z.string(), silentSeconds: z.number().int().nonnegative() }),
  camera_judged: z.strictObject({ identity: z.string(), trackSid: z.string() }),
  no_video: NoVideo.omit({ type: true }),
  /** The snapshot itself is stored apart; the event names it when one was saved. */
  face_mismatch: FaceMismatch.omit({ type: true, snapshot: true }).extend({
    snapshotId: z.number().int().optional(),
    monitorId: z.string().optional(),
  }),
  face_match_restored: FaceMatchRestored.omit({ type: true }),
  identity_checked: IdentityChecked,
  reference_accepted: ReferenceAccepted,
  network_checked: z.strictObject({
    /** The address this candidate was seen at, and its /24 or /48. */
    ip: z.string(),
    prefix: z.string(),
    /** Other interviews seen on the same address or network, under other names. `ip` is gone once that candidate's data was erased. */
    matches: z
      .array(
        z.strictObject({
          interviewId: z.string(),
          candidateName: z.string(),
          candidateEmail: z.string().optional(),
          ip: z.string().optional(),
          at: z.string(),
          sameAddress: z.boolean(),
        }),
      )
      .max(50),
  }),
  /** The session's reported machine (a keyed hash of it) was seen in other interviews under other names. */
  device_checked: z.strictObject({
    sessionId: z.string(),
    matches: z
      .array(z.strictObject({ interviewId: z.string(), candidateName: z.string(), candidateEmail: z.string().optional(), at: z.string() }))
      .max(50),
  }),
  document_checked: z.strictObject({
    challengeId: z.string(),
    /** The interview's setting when the document was read. */
    mode: DocumentMode.exclude(["off"]),
    outcome: DocumentOutcome,
    /** What the zone said, on a read document; never the number, only its keyed hash. */
    document: MrzFields.omit({ documentNumber: true })
      .extend({ numberHash: z.string() })
      .optional(),
    failedChecks: z.array(z.string()).optional(),
    framesRead: z.number().int().nonnegative(),
    agreeingFrames: z.number().int().nonnegative(),
    lookedMs: z.number().nonnegative(),
    /** The checks the kit made of a read document. `nationalityMatches` is absent without a claimed country. */
    checks: z
      .strictObject({
        expired: z.boolean(),
        nameMatches: z.boolean(),
        nationalityMatches: z.boolean().optional(),
        claimedCountry: z.string().optional(),
        documentCountry: z.string().optional(),
      })
      .optional(),
    /** The portrait's face against the verified reference: compared (with the similarity), or why not. */
    portrait: z.discriminatedUnion("kind", [
      z.strictObject({ kind: z.literal("compared"), similarity: z.number().min(-1).max(1), threshold: z.number() }),
      z.strictObject({ kind: z.enum(["no_face_in_portrait", "no_reference", "not_read"]) }),
    ]),
    /** Other interviews that showed the same document under other names or emails. */
    matches: z
      .array(z.strictObject({ interviewId: z.string(), candidateName: z.string(), candidateEmail: z.string().optional(), at: z.string() }))
      .max(50),
    snapshotId: z.number().int().optional(),
  }),
  no_reference_face: z.strictObject({
    challengeId: z.string(),
    /** `not_reported`: the verifier's pass carried no reference (see its reasons); `not_stored`: the kit could not keep it. */
    cause: z.enum(["not_reported", "not_stored"]),
  }),
  signals_missing: z.strictObject({
    sessionId: z.string(),
    /** The candidate identity the join was issued to. */
    identity: z.string(),
  }),
  interview_ended: Empty,
  ats_test_sent: z.strictObject({ provider: z.literal("greenhouse"), testId: AtsProfile, callbackUrl: z.string() }),
  ats_notified: z.strictObject({ provider: z.literal("greenhouse"), status: z.number().int().optional(), error: z.string().optional() }),
  /** `sessionId`: the candidate session that sent it (absent from reports stored before it was recorded). */
  environment_reported: EnvironmentReport.extend({ sessionId: z.string().optional() }),
  network_reported: NetworkReport.extend({ sessionId: z.string().optional() }),
  interviewer_observed: ObservationData,
  personal_data_redacted: RedactionRecord,
} satisfies { [K in EventType]: z.ZodType<Record<string, unknown>> };

/** The data of one event type, as read. */
export type EventData<K extends EventType> = z.output<(typeof EVENT_DATA)[K]>;
/** The data of one event type, as a writer gives it. */
export type EventDataInput<K extends EventType> = z.input<(typeof EVENT_DATA)[K]>;

const base = {
  id: z.number().int(),
  at: z.iso.datetime(),
  actor: EventActor,
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
};

type Member<K extends EventType> = z.ZodObject<
  typeof base & { type: z.ZodLiteral<K>; data: (typeof EVENT_DATA)[K]; legacy: z.ZodOptional<z.ZodLiteral<false>> }
>;
const member = <K extends EventType>(type: K): Member<K> =>
  z.object({ ...base, type: z.literal(type), data: EVENT_DATA[type], legacy: z.literal(false).optional() });

type Members = { [K in EventType]: Member<K> }[EventType];

/** An event whose data matches its type's schema. */
export const TypedEvent = z.discriminatedUnion("type", EventType.options.map(member) as unknown as [Members, ...Members[]]);
export type TypedEvent = z.infer<typeof TypedEvent>;

/**
 * A stored event whose data does not match its type's schema: a row written
 * before the schema described it, or by an older kit. Its data is kept as it
 * was stored, unread by the rules that read typed data.
 */
export const LegacyEvent = z.object({ ...base, type: EventType, data: z.record(z.string(), z.unknown()), legacy: z.literal(true) });
export type LegacyEvent = z.infer<typeof LegacyEvent>;

/**
 * One interview event. Its `data` is typed by `type` (`EVENT_DATA`), so
 * readers narrow on `e.type` instead of casting.
 *
 * Writers are checked when they compile: `Timeline.record` takes the data of
 * the event type it records. Nothing is validated when an event is written,
 * so recording never fails on a field. Reading validates instead, and never
 * throws: the store parses each row, and a row whose data does not match its
 * type's schema is kept as a `LegacyEvent` (`legacy: true`, data an unknown
 * record) rather than dropped or cast. Readers of data skip `legacy` events,
 * as they used to skip data they could not read.
 */
export const InterviewEvent = z.union([TypedEvent, LegacyEvent]);
export type InterviewEvent = z.infer<typeof InterviewEvent>;

/** The typed event of one type. */
export type EventOf<K extends EventType> = Extract<TypedEvent, { type: K }>;

/**
 * Reads a stored row as an event: typed when its data matches its type's
 * schema, otherwise `legacy` with the data as it was stored. Never throws.
 */
export function readEvent(row: Omit<LegacyEvent, "legacy">): InterviewEvent {
  const typed = TypedEvent.safeParse(row);
  return typed.success ? typed.data : { ...row, legacy: true };
}

/** Whether an event is `type`, with data that matches the type's schema. */
export function isEvent<K extends EventType>(e: InterviewEvent, type: K): e is EventOf<K> {
  return e.type === type && !e.legacy;
}

/** The `data` of a new event of type `K`: optional when the type's data may be empty. */
export type EventDataField<K extends EventType> = Record<string, never> extends EventDataInput<K> ? { data?: EventDataInput<K> } : { data: EventDataInput<K> };

/** What a writer records: the type, who caused it, the request, and that type's data. */
export type EventInput<K extends EventType = EventType> = {
  type: K;
  actor: EventActor;
  ip?: string | null;
  userAgent?: string | null;
} & EventDataField<K>;
