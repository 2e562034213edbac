import { randomBytes } from "node:crypto";
import type Database from "better-sqlite3";
import type { InterviewEvent } from "../../shared/interview.js";
import type {
  AttemptOutcome,
  DeliveryAttemptRecord,
  DeliveryRecord,
  OutboxMessage,
  WebhookEndpointRecord,
  WebhookStore,
} from "./webhook-store.js";

export interface EndpointRow {
  id: string;
  url: string;
  description: string | null;
  events: string | null;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: string | null;
  created_at: string;
  disabled_at: string | null;
}
export interface DeliveryRow {
  id: string;
  endpoint_id: string;
  event_id: number | null;
  type: string;
  payload: string;
  status: DeliveryRecord["status"];
  attempts: number;
  next_attempt_at: string | null;
  created_at: string;
}
export interface AttemptRow {
  delivery_id: string;
  at: string;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

export const toEndpoint = (r: EndpointRow): WebhookEndpointRecord => ({
  id: r.id,
  url: r.url,
  description: r.description,
  events: r.events === null ? null : (JSON.parse(r.events) as string[]),
  secret: r.secret,
  previousSecret: r.previous_secret,
  previousSecretExpiresAt: r.previous_secret_expires_at,
  createdAt: r.created_at,
  disabledAt: r.disabled_at,
});
export const toDelivery = (r: DeliveryRow): DeliveryRecord => ({
  id: r.id,
  endpointId: r.endpoint_id,
  eventId: r.event_id,
  type: r.type,
  payload: r.payload,
  status: r.status,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  createdAt: r.created_at,
});
export const toAttempt = (r: AttemptRow): DeliveryAttemptRecord => ({
  deliveryId: r.delivery_id,
  at: r.at,
  statusCode: r.status_code,
  error: r.error,
  durationMs: r.duration_ms,
});

/** A Standard Webhooks message id: unique, and the same on every attempt of a delivery. */
export const messageId = () => `msg_${randomBytes(16).toString("base64url")}`;

/** Deliveries deleted per transaction by `pruneDeliveries`. */
const PRUNE_BATCH = 500;

export class SqliteWebhookStore implements WebhookStore {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  /** A prepared statement, compiled once: the outbox and the dispatcher run these for every event and delivery. */
  private stmt(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  /**
   * Queues `messages` for every enabled endpoint that wants their type. Runs inside the
   * caller's transaction (the event insert), so an event and its deliveries commit together.
   */
  enqueue(event: InterviewEvent, messages: OutboxMessage[]): void {
    if (!messages.length) return;
    const endpoints = (this.stmt("SELECT * FROM webhook_endpoints WHERE disabled_at IS NULL ORDER BY created_at, id").all() as EndpointRow[]).map(toEndpoint);
    const insert = this.stmt(
      `INSERT OR IGNORE INTO webhook_deliveries (id, endpoint_id, event_id, type, payload, once_key, status, attempts, next_attempt_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)`,
    );
    for (const m of messages) {
      for (const ep of endpoints) {
        if (ep.events && !ep.events.includes(m.type)) continue;
        insert.run(messageId(), ep.id, event.id, m.type, m.payload, m.onceKey ?? null, event.at, event.at);
      }
    }
  }

  async createEndpoint(e: WebhookEndpointRecord): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO webhook_endpoints (id, url, description, events, secret, previous_secret, previous_secret_expires_at, created_at, disabled_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(e.id, e.url, e.description, e.events ? JSON.stringify(e.events) : null, e.secret, e.previousSecret, e.previousSecretExpiresAt, e.createdAt, e.disabledAt);
  }

  async getEndpoint(id: string): Promise<WebhookEndpointRecord | undefined> {
    const row = this.stmt("SELECT * FROM webhook_endpoints WHERE id = ?").get(id) as EndpointRow | undefined;
    return row && toEndpoint(row);
  }

  async listEndpoints(): Promise<WebhookEndpointRecord[]> {
    return (this.db.prepare("SELECT * FROM webhook_endpoints ORDER BY created_at, id").all() as EndpointRow[]).map(toEndpoint);
  }

  async deleteEndpoint(id: string): Promise<boolean> {
    return this.db.transaction(() => {
      this.db.prepare("DELETE FROM webhook_attempts WHERE delivery_id IN (SELECT id FROM webhook_deliveries WHERE endpoint_id = ?)").run(id);
      this.db.prepare("DELETE FROM webhook_deliveries WHERE endpoint_id = ?").run(id);
      return this.db.prepare("DELETE FROM webhook_endpoints WHERE id = ?").run(id).changes === 1;
    })();
  }

  async rotateSecret(id: string, secret: string, previousExpiresAt: string): Promise<boolean> {
    const info = this.db
      .prepare("UPDATE webhook_endpoints SET previous_secret = secret, previous_secret_expires_at = ?, secret = ? WHERE id = ?")
      .run(previousExpiresAt, secret, id);
    return info.changes === 1;
  }

  async disableEndpoint(id: string, at: string): Promise<void> {
    this.db.prepare("UPDATE webhook_endpoints SET disabled_at = ? WHERE id = ? AND disabled_at IS NULL").run(at, id);
  }

  async claimDue(now: string, leaseUntil: string, limit: number): Promise<DeliveryRecord[]> {
    const rows = this.stmt(
      `UPDATE webhook_deliveries SET status = 'delivering', next_attempt_at = ?
       WHERE id IN (
         SELECT d.id FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
         WHERE d.status IN ('pending', 'delivering') AND d.next_attempt_at <= ? AND e.disabled_at IS NULL
         ORDER BY d.next_attempt_at, d.created_at, d.rowid LIMIT ?
       )
       RETURNING *`,
    ).all(leaseUntil, now, limit) as DeliveryRow[];
    return rows.map(toDelivery).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async finishAttempts(results: ReadonlyArray<{ attempt: DeliveryAttemptRecord; outcome: AttemptOutcome }>): Promise<void> {
    if (!results.length) return;
    const update = this.stmt("UPDATE webhook_deliveries SET status = ?, attempts = attempts + 1, next_attempt_at = ? WHERE id = ?");
    const insert = this.stmt("INSERT INTO webhook_attempts (delivery_id, at, status_code, error, duration_ms) VALUES (?, ?, ?, ?, ?)");
    this.db.transaction(() => {
      for (const { attempt: a, outcome } of results) {
        const updated = update.run(outcome.status, outcome.status === "pending" ? outcome.nextAttemptAt : null, a.deliveryId);
        // The endpoint (and its deliveries) may have been deleted while the request was out.
        if (updated.changes === 0) continue;
        insert.run(a.deliveryId, a.at, a.statusCode, a.error, a.durationMs);
      }
    })();
  }

  async getDelivery(id: string): Promise<DeliveryRecord | undefined> {
    const row = this.db.prepare("SELECT * FROM webhook_deliveries WHERE id = ?").get(id) as DeliveryRow | undefined;
    return row && toDelivery(row);
  }

  async listDeliveries(endpointId: string, limit: number): Promise<DeliveryRecord[]> {
    const rows = this.db
      .prepare("SELECT * FROM webhook_deliveries WHERE endpoint_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?")
      .all(endpointId, limit) as DeliveryRow[];
    return rows.map(toDelivery);
  }

  async listAttempts(deliveryId: string): Promise<DeliveryAttemptRecord[]> {
    return (this.db.prepare("SELECT * FROM webhook_attempts WHERE delivery_id = ? ORDER BY id").all(deliveryId) as AttemptRow[]).map(toAttempt);
  }

  async pruneDeliveries(before: string): Promise<number> {
    const select = this.db.prepare(
      `SELECT d.id FROM webhook_deliveries d
       WHERE d.status IN ('delivered', 'failed') AND d.created_at < ?
         AND NOT EXISTS (SELECT 1 FROM webhook_attempts a WHERE a.delivery_id = d.id AND a.at >= ?)
       LIMIT ?`,
    );
    const attempts = this.db.prepare("DELETE FROM webhook_attempts WHERE delivery_id = ?");
    const delivery = this.db.prepare("DELETE FROM webhook_deliveries WHERE id = ? AND status IN ('delivered', 'failed')");
    let removed = 0;
    // In batches, so the dispatcher and event writers never wait on one long transaction.
    for (;;) {
      const batch = this.db.transaction(() => {
        const ids = (select.all(before, before, PRUNE_BATCH) as Array<{ id: string }>).map((r) => r.id);
        for (const id of ids) {
          attempts.run(id);
          delivery.run(id);
        }
        return ids.length;
      }).immediate();
      removed += batch;
      if (batch < PRUNE_BATCH) return removed;
    }
  }

  async requeue(id: string, now: string): Promise<boolean> {
    return this.db.prepare("UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = ? WHERE id = ?").run(now, id).changes === 1;
  }
}
