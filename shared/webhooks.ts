import { z } from "zod";
import { EventType } from "./event-type.js";
import { ObservationData, ObservationItem } from "./observations.js";
import { RiskLevel } from "./signals.js";
import { RedactionRecord } from "./redaction.js";

/** The events the kit sends to registered webhook endpoints (Standard Webhooks). */
export const WebhookEventType = z.enum([
  "interview.created",
  "interview.link_opened",
  "candidate.camera_refused",
  "verification.passed",
  "verification.failed",
  "verification.attempts_exhausted",
  "interview.started",
  "interview.ended",
  "identity.face_mismatch",
  "identity.face_reused",
  "identity.changed",
  "identity.extra_video_track",
  "identity.network_reused",
  "identity.device_reused",
  "identity.video_not_live",
  "interview.document_checked",
  "interview.observation_recorded",
  "interview.risk_changed",
  "interview.personal_data_redacted",
]);
export type WebhookEventType = z.infer<typeof WebhookEventType>;

const base = { interviewId: z.string() };
const event = <T extends WebhookEventType, D extends z.ZodRawShape>(type: T, data: D) =>
  z.object({ type: z.literal(type), timestamp: z.iso.datetime(), data: z.object({ ...base, ...data }) });

/** The body of every delivery: `{ type, timestamp, data: { interviewId, ... } }`, one variant per type. */
export const WebhookEvent = z.discriminatedUnion("type", [
  event("interview.created", {}),
  event("interview.link_opened", {}),
  event("candidate.camera_refused", {}),
  event("verification.passed", { challengeId: z.string() }),
  event("verification.failed", {
    challengeId: z.string(),
    failure: z.string().optional(),
    refunded: z.boolean(),
    attemptsLeft: z.number().int().nonnegative(),
  }),
  event("verification.attempts_exhausted", { challengeId: z.string() }),
  event("interview.started", {}),
  event("interview.ended", {}),
  event("identity.face_mismatch", { seconds: z.number().optional(), threshold: z.number().optional() }),
  event("identity.face_reused", {
    /** Other interviews (under another name or email) whose stored face matches this candidate's. */
    matches: z.array(z.object({ interviewId: z.string(), similarity: z.number() })),
  }),
  event("identity.changed", {
    /** Earlier rounds under the same email whose face scored below the match threshold. */
    rounds: z.array(z.object({ interviewId: z.string(), round: z.number().int(), similarity: z.number() })),
  }),
  event("identity.extra_video_track", {
    /** The source the extra track declared (e.g. `MICROPHONE` for video sent as a "microphone"). */
    source: z.string(),
    trackSid: z.string(),
  }),
  /** The candidate's address or network was seen in other interviews under other names: their ids only. */
  event("identity.network_reused", { matches: z.array(z.object({ interviewId: z.string(), sameAddress: z.boolean() })) }),
  /** The candidate's reported device was seen in other interviews under other names: their ids only. */
  event("identity.device_reused", { matches: z.array(z.object({ interviewId: z.string() })) }),
  event("identity.video_not_live", {
    /** `static`: no natural movement of the face; `looped`: the face repeats itself at a steady period. */
    kind: z.enum(["static", "looped"]),
    seconds: z.number().optional(),
    periodSeconds: z.number().optional(),
  }),
  /** The identity document step's result: outcome and checks only, never the document's fields. */
  event("interview.document_checked", {
    challengeId: z.string(),
    outcome: z.enum(["read", "invalid", "unreadable"]),
    /** The flags the document raised (`document_*`), empty when every check passed. */
    flags: z.array(z.string()),
    /** The portrait's face against the verified reference, when both were there. */
    portraitSimilarity: z.number().optional(),
  }),
  event("interview.observation_recorded", {
    /** The advisory checklist items the interviewer ticked; the free-text note stays in the kit. */
    items: z.array(ObservationItem),
    via: ObservationData.shape.via,
  }),
  event("interview.risk_changed", {
    from: RiskLevel,
    to: RiskLevel,
    /** The timeline event whose arrival changed the level. */
    cause: EventType,
  }),
  event("interview.personal_data_redacted", {
    /** `api`: DELETE /v1/interviews/:id/personal-data; `retention`: PERSONAL_DATA_RETENTION_DAYS. */
    reason: RedactionRecord.shape.reason,
    /** What was removed: snapshots, face templates, and events whose IP, user agent or data changed. */
    removed: RedactionRecord.shape.removed,
  }),
]);
export type WebhookEvent = z.infer<typeof WebhookEvent>;

/** Body of `POST /v1/webhook-endpoints`. */
export const CreateWebhookEndpointInput = z.strictObject({
  /** http(s), without credentials; hosts on loopback or private networks are refused unless WEBHOOK_ALLOW_PRIVATE_URLS=true. */
  url: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .refine((u) => !/^https?:\/\/[^/?#]*@/i.test(u), "must not carry credentials (user:password@)"),
  /** Event types to send; omitted means every type. */
  events: z.array(WebhookEventType).min(1).optional(),
  description: z.string().trim().max(500).optional(),
});
export type CreateWebhookEndpointInput = z.input<typeof CreateWebhookEndpointInput>;

export const WebhookEndpoint = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string().optional(),
  /** null: every event type. */
  events: z.array(WebhookEventType).nullable(),
  createdAt: z.iso.datetime(),
  /** Set when the receiver answered 410 Gone: nothing more is sent. */
  disabledAt: z.iso.datetime().nullable(),
});
export type WebhookEndpoint = z.infer<typeof WebhookEndpoint>;

/** Answer to creating an endpoint or rotating its secret: the `whsec_` secret is shown this once. */
export const WebhookEndpointWithSecret = WebhookEndpoint.extend({ secret: z.string().startsWith("whsec_") });
export type WebhookEndpointWithSecret = z.infer<typeof WebhookEndpointWithSecret>;

export const WebhookAttempt = z.object({
  at: z.iso.datetime(),
  statusCode: z.number().int().nullable(),
  error: z.string().nullable(),
  durationMs: z.number().int().nonnegative(),
});
export type WebhookAttempt = z.infer<typeof WebhookAttempt>;

export const WebhookDelivery = z.object({
  /** Also the `webhook-id` header: the same on every attempt and replay. */
  id: z.string(),
  endpointId: z.string(),
  type: WebhookEventType,
  status: z.enum(["pending", "delivering", "delivered", "failed"]),
  createdAt: z.iso.datetime(),
  nextAttemptAt: z.iso.datetime().nullable(),
  payload: WebhookEvent,
  attempts: z.array(WebhookAttempt),
});
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

/** Answer to `GET /v1/webhook-endpoints`. */
export const WebhookEndpointList = z.object({ endpoints: z.array(WebhookEndpoint) });
export type WebhookEndpointList = z.infer<typeof WebhookEndpointList>;

/** Query of `GET /v1/webhook-endpoints/:id/deliveries`: the newest `limit` deliveries, newest first. */
export const DeliveriesQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) });

/** Answer to `GET /v1/webhook-endpoints/:id/deliveries`. */
export const WebhookDeliveryList = z.object({ deliveries: z.array(WebhookDelivery) });
export type WebhookDeliveryList = z.infer<typeof WebhookDeliveryList>;
