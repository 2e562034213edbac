import type { InterviewEvent } from "../../shared/interview.js";
import type { RiskLevel } from "../../shared/signals.js";

/** An outgoing message an event causes; the store fans it out to every enabled endpoint that wants `type`. */
export interface OutboxMessage {
  type: string;
  /** The exact JSON body that is signed and sent. */
  payload: string;
  /** At most one delivery per endpoint and key (e.g. `interview.started:<id>`). */
  onceKey?: string;
}

/** A change of the interview's stored risk level that an event caused. */
export interface RiskChange {
  from: RiskLevel;
  to: RiskLevel;
}

/** Maps the stored event to its outgoing messages, inside the event's own transaction. Must be synchronous. */
export type OutboxMapper = (event: InterviewEvent & { interviewId: string; riskChange?: RiskChange }) => OutboxMessage[];

export interface WebhookEndpointRecord {
  id: string;
  url: string;
  description: string | null;
  /** null: every event type. */
  events: string[] | null;
  /** `whsec_` + base64: stored as is, since it must sign. Never returned by the API after creation. */
  secret: string;
  /** The secret before the last rotation, still signing until `previousSecretExpiresAt`. */
  previousSecret: string | null;
  previousSecretExpiresAt: string | null;
  createdAt: string;
  disabledAt: string | null;
}

export type DeliveryStatus = "pending" | "delivering" | "delivered" | "failed";

export interface DeliveryRecord {
  /** Also the `webhook-id` header. */
  id: string;
  endpointId: string;
  eventId: number | null;
  type: string;
  payload: string;
  status: DeliveryStatus;
  /** Attempts made since it was queued (or replayed). */
  attempts: number;
  nextAttemptAt: string | null;
  createdAt: string;
}

export interface DeliveryAttemptRecord {
  deliveryId: string;
  at: string;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/** How an attempt ended, for `finishAttempt`. */
export type AttemptOutcome =
  | { status: "delivered" }
  | { status: "pending"; nextAttemptAt: string }
  | { status: "failed" };

/** Outgoing webhooks: endpoints, the outbox of deliveries and their attempts. */
export interface WebhookStore {
  createEndpoint(endpoint: WebhookEndpointRecord): Promise<void>;
  getEndpoint(id: string): Promise<WebhookEndpointRecord | undefined>;
  /** Oldest first. */
  listEndpoints(): Promise<WebhookEndpointRecord[]>;
  /** Deletes the endpoint with its deliveries; false when there was none. */
  deleteEndpoint(id: string): Promise<boolean>;
  /** Makes `secret` the signing secret; the current one keeps signing until `previousExpiresAt`. */
  rotateSecret(id: string, secret: string, previousExpiresAt: string): Promise<boolean>;
  disableEndpoint(id: string, at: string): Promise<void>;

  /**
   * Atomically takes up to `limit` due deliveries (pending with next_attempt_at <= now, or
   * delivering with an expired lease: a kit that died mid-attempt) of enabled endpoints,
   * marking them delivering until `leaseUntil`. Two dispatchers never take the same one.
   */
  claimDue(now: string, leaseUntil: string, limit: number): Promise<DeliveryRecord[]>;
  /**
   * Records the attempts and applies their outcomes, all in one transaction (one commit for a
   * dispatcher's whole batch). An attempt whose delivery was deleted meanwhile is skipped.
   */
  finishAttempts(results: ReadonlyArray<{ attempt: DeliveryAttemptRecord; outcome: AttemptOutcome }>): Promise<void>;
  getDelivery(id: string): Promise<DeliveryRecord | undefined>;
  /** Latest first. */
  listDeliveries(endpointId: string, limit: number): Promise<DeliveryRecord[]>;
  listAttempts(deliveryId: string): Promise<DeliveryAttemptRecord[]>;
  /** Queues the delivery again at `now` with a fresh retry schedule; its id (webhook-id) stays. */
  requeue(id: string, now: string): Promise<boolean>;
  /**
   * Deletes finished (delivered or failed) deliveries created before `before` whose last attempt is
   * also before it, with their attempts; returns how many deliveries. Pending and delivering ones stay.
   */
  pruneDeliveries(before: string): Promise<number>;
}
