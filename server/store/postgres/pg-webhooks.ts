import type pg from "pg";
import type { InterviewEvent } from "../../../shared/interview.js";
import {
  type AttemptRow,
  type DeliveryRow,
  type EndpointRow,
  messageId,
  toAttempt,
  toDelivery,
  toEndpoint,
} from "../sqlite-webhooks.js";
import type {
  AttemptOutcome,
  DeliveryAttemptRecord,
  DeliveryRecord,
  OutboxMessage,
  WebhookEndpointRecord,
  WebhookStore,
} from "../webhook-store.js";
import type { PgDb } from "./pg-db.js";

/** {@link WebhookStore} on Postgres: dispatchers of every kit process claim deliveries with `FOR UPDATE SKIP LOCKED`. */
/** Deliveries deleted per transaction by `pruneDeliveries`. */
const PRUNE_BATCH = 500;

export class PgWebhookStore implements WebhookStore {
  constructor(private readonly db: PgDb) {}

  /** Queues `messages` for every enabled endpoint that wants their type, inside the event's transaction. */
  async enqueue(c: pg.PoolClient, event: InterviewEvent, messages: OutboxMessage[]): Promise<void> {
    if (!messages.length) return;
    const endpoints = (await this.db.all<EndpointRow>("SELECT * FROM webhook_endpoints WHERE disabled_at IS NULL ORDER BY created_at, id", [], c)).map(toEndpoint);
    for (const m of messages) {
      for (const ep of endpoints) {
        if (ep.events && !ep.events.includes(m.type)) continue;
        await this.db.run(
          `INSERT INTO webhook_deliveries (id, endpoint_id, event_id, type, payload, once_key, status, attempts, next_attempt_at, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, $8) ON CONFLICT DO NOTHING`,
          [messageId(), ep.id, event.id, m.type, m.payload, m.onceKey ?? null, event.at, event.at],
          c,
        );
      }
    }
  }

  async createEndpoint(e: WebhookEndpointRecord): Promise<void> {
    await this.db.run(
      `INSERT INTO webhook_endpoints (id, url, description, events, secret, previous_secret, previous_secret_expires_at, created_at, disabled_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [e.id, e.url, e.description, e.events ? JSON.stringify(e.events) : null, e.secret, e.previousSecret, e.previousSecretExpiresAt, e.createdAt, e.disabledAt],
    );
  }

  async getEndpoint(id: string): Promise<WebhookEndpointRecord | undefined> {
    const row = await this.db.get<EndpointRow>("SELECT * FROM webhook_endpoints WHERE id = $1", [id]);
    return row && toEndpoint(row);
  }

  async listEndpoints(): Promise<WebhookEndpointRecord[]> {
    return (await this.db.all<EndpointRow>("SELECT * FROM webhook_endpoints ORDER BY created_at, id")).map(toEndpoint);
  }

  async deleteEndpoint(id: string): Promise<boolean> {
    return this.db.tx(async (c) => {
      await this.db.run("DELETE FROM webhook_attempts WHERE delivery_id IN (SELECT id FROM webhook_deliveries WHERE endpoint_id = $1)", [id], c);
      await this.db.run("DELETE FROM webhook_deliveries WHERE endpoint_id = $1", [id], c);
      return (await this.db.run("DELETE FROM webhook_endpoints WHERE id = $1", [id], c)) === 1;
    });
  }

  async rotateSecret(id: string, secret: string, previousExpiresAt: string): Promise<boolean> {
    const changed = await this.db.run(
      "UPDATE webhook_endpoints SET previous_secret = secret, previous_secret_expires_at = $1, secret = $2 WHERE id = $3",
      [previousExpiresAt, secret, id],
    );
    return changed === 1;
  }

  async disableEndpoint(id: string, at: string): Promise<void> {
    await this.db.run("UPDATE webhook_endpoints SET disabled_at = $1 WHERE id = $2 AND disabled_at IS NULL", [at, id]);
  }

  async claimDue(now: string, leaseUntil: string, limit: number): Promise<DeliveryRecord[]> {
    // Rows another dispatcher is claiming are skipped, not waited for; one it has just claimed is
    // re-checked against the WHERE after its commit and no longer matches (its lease is in the future).
    const rows = await this.db.all<DeliveryRow & { seq: number }>(
      `UPDATE webhook_deliveries SET status = 'delivering', next_attempt_at = $1
       WHERE id IN (
         SELECT d.id FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
         WHERE d.status IN ('pending', 'delivering') AND d.next_attempt_at <= $2 AND e.disabled_at IS NULL
         ORDER BY d.next_attempt_at, d.created_at, d.seq LIMIT $3
         FOR UPDATE OF d SKIP LOCKED
       )
       AND status IN ('pending', 'delivering') AND next_attempt_at <= $2
       RETURNING *`,
      [leaseUntil, now, limit],
    );
    rows.sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.seq - b.seq));
    return rows.map(toDelivery);
  }

  async finishAttempts(results: ReadonlyArray<{ attempt: DeliveryAttemptRecord; outcome: AttemptOutcome }>): Promise<void> {
    if (!results.length) return;
    await this.db.tx(async (c) => {
      for (const { attempt: a, outcome } of results) {
        const updated = await this.db.run(
          "UPDATE webhook_deliveries SET status = $1, attempts = attempts + 1, next_attempt_at = $2 WHERE id = $3",
          [outcome.status, outcome.status === "pending" ? outcome.nextAttemptAt : null, a.deliveryId],
          c,
        );
        // The endpoint (and its deliveries) may have been deleted while the request was out.
        if (updated === 0) continue;
        await this.db.run(
          "INSERT INTO webhook_attempts (delivery_id, at, status_code, error, duration_ms) VALUES ($1, $2, $3, $4, $5)",
          [a.deliveryId, a.at, a.statusCode, a.error, a.durationMs],
          c,
        );
      }
    });
  }

  async pruneDeliveries(before: string): Promise<number> {
    let removed = 0;
    // In batches, so the dispatcher and event writers never wait on one long transaction.
    for (;;) {
      const batch = await this.db.tx(async (c) => {
        const ids = (
          await this.db.all<{ id: string }>(
            `SELECT d.id FROM webhook_deliveries d
             WHERE d.status IN ('delivered', 'failed') AND d.created_at < $1
               AND NOT EXISTS (SELECT 1 FROM webhook_attempts a WHERE a.delivery_id = d.id AND a.at >= $1)
             LIMIT $2 FOR UPDATE SKIP LOCKED`,
            [before, PRUNE_BATCH],
            c,
          )
        ).map((r) => r.id);
        if (!ids.length) return 0;
        await this.db.run("DELETE FROM webhook_attempts WHERE delivery_id = ANY($1)", [ids], c);
        await this.db.run("DELETE FROM webhook_deliveries WHERE id = ANY($1) AND status IN ('delivered', 'failed')", [ids], c);
        return ids.length;
      });
      removed += batch;
      if (batch < PRUNE_BATCH) return removed;
    }
  }

  async getDelivery(id: string): Promise<DeliveryRecord | undefined> {
    const row = await this.db.get<DeliveryRow>("SELECT * FROM webhook_deliveries WHERE id = $1", [id]);
    return row && toDelivery(row);
  }

  async listDeliveries(endpointId: string, limit: number): Promise<DeliveryRecord[]> {
    const rows = await this.db.all<DeliveryRow>(
      "SELECT * FROM webhook_deliveries WHERE endpoint_id = $1 ORDER BY created_at DESC, seq DESC LIMIT $2",
      [endpointId, limit],
    );
    return rows.map(toDelivery);
  }

  async listAttempts(deliveryId: string): Promise<DeliveryAttemptRecord[]> {
    return (await this.db.all<AttemptRow>("SELECT * FROM webhook_attempts WHERE delivery_id = $1 ORDER BY id", [deliveryId])).map(toAttempt);
  }

  async requeue(id: string, now: string): Promise<boolean> {
    return (await this.db.run("UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = $1 WHERE id = $2", [now, id])) === 1;
  }
}
