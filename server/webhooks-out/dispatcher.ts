import { Webhook } from "standardwebhooks";
import { AppError } from "../errors/index.js";
import type { AttemptOutcome, DeliveryAttemptRecord, DeliveryRecord, WebhookEndpointRecord, WebhookStore } from "../store/index.js";
import { pinnedSender, type Sender } from "./send.js";
import { checkWebhookTarget, parseWebhookUrl, type Resolver } from "./url-guard.js";

/** Waits after the 1st, 2nd... failed attempt (Svix's schedule); after the last one the delivery fails. */
export const RETRY_SCHEDULE_MS = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];
/** A receiver that has not answered in this long has failed the attempt. */
export const DELIVERY_TIMEOUT_MS = 15_000;
/**
 * A claimed delivery whose dispatcher died (a killed kit) is taken again after this many attempt
 * timeouts: 60 s with the default 15 s. An attempt, name resolution included, ends within one timeout,
 * so one still under way is not taken twice.
 */
const LEASE_TIMEOUTS = 4;
/** A rotated-out secret keeps signing for this long. */
export const PREVIOUS_SECRET_MS = 24 * 3600_000;

export interface DispatcherDeps {
  store: WebhookStore;
  now?: () => Date;
  /** WEBHOOK_ALLOW_PRIVATE_URLS: deliver to loopback and private addresses too (false refuses them). */
  allowPrivateUrls?: boolean;
  /** How endpoint host names are resolved (DNS); tests may inject one. */
  resolve?: Resolver;
  /** How a request is sent; Node's http/https pinned to the checked addresses unless a test injects one. */
  send?: Sender;
  timeoutMs?: number;
  /** Deliveries taken per tick. */
  batch?: number;
}

/** The `webhook-signature` header: `v1,<sig>` under the current secret, plus the previous one while it is valid. */
export function signatureHeader(endpoint: WebhookEndpointRecord, msgId: string, at: Date, payload: string): string {
  const secrets = [endpoint.secret];
  if (endpoint.previousSecret && endpoint.previousSecretExpiresAt && new Date(endpoint.previousSecretExpiresAt) > at) {
    secrets.push(endpoint.previousSecret);
  }
  return secrets.map((s) => new Webhook(s).sign(msgId, at, payload)).join(" ");
}

/** Seconds of a `Retry-After` header (delta-seconds or an HTTP date), or undefined. */
function retryAfterMs(header: string | null, now: Date): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now.getTime());
}

/** `promise`, or a TimeoutError after `ms` (the promise itself runs on: DNS lookups cannot be cancelled). */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error("timeout"), { name: "TimeoutError" })), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Sends due deliveries from the outbox: signs each with the Standard Webhooks
 * scheme, records every attempt, and schedules retries. Only 2xx is delivered;
 * 410 Gone disables the endpoint.
 */
export class WebhookDispatcher {
  private readonly now: () => Date;
  private readonly send: Sender;
  private readonly closeSender: () => void;
  private running: Promise<number> | undefined;
  private readonly batch: number;

  constructor(private readonly deps: DispatcherDeps) {
    this.now = deps.now ?? (() => new Date());
    this.batch = deps.batch ?? 50;
    const pinned = deps.send ? undefined : pinnedSender();
    this.send = deps.send ?? pinned!.send;
    this.closeSender = () => pinned?.close();
  }

  /** Sends every delivery due now (one batch); returns how many were attempted. Ticks never overlap. */
  async tick(): Promise<number> {
    while (this.running) await this.running;
    this.running = this.drain();
    try {
      return await this.running;
    } finally {
      this.running = undefined;
    }
  }

  private async drain(): Promise<number> {
    const now = this.now();
    const leaseMs = LEASE_TIMEOUTS * (this.deps.timeoutMs ?? DELIVERY_TIMEOUT_MS);
    const due = await this.deps.store.claimDue(now.toISOString(), new Date(now.getTime() + leaseMs).toISOString(), this.batch);
    const results = await Promise.all(due.map((d) => this.attempt(d)));
    // One commit for the batch: every commit is a synchronous fsync on the kit's event loop, which
    // a commit per delivery made the API wait on. A kit killed before it lands sends these again.
    await this.deps.store.finishAttempts(results.filter((r) => r !== undefined));
    return due.length;
  }

  private async attempt(delivery: DeliveryRecord): Promise<{ attempt: DeliveryAttemptRecord; outcome: AttemptOutcome } | undefined> {
    const { store } = this.deps;
    const endpoint = await store.getEndpoint(delivery.endpointId);
    if (!endpoint) return undefined;
    const at = this.now();
    const started = performance.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    let retryAfter: number | undefined;
    try {
      // Checked on every attempt, against what the name resolves to now; the request goes to those addresses only.
      const timeoutMs = this.deps.timeoutMs ?? DELIVERY_TIMEOUT_MS;
      const url = parseWebhookUrl(endpoint.url);
      const check = checkWebhookTarget(url, { allowPrivate: this.deps.allowPrivateUrls ?? false, ...(this.deps.resolve ? { resolve: this.deps.resolve } : {}) });
      const addresses = await withTimeout(check, timeoutMs);
      const res = await this.send({
        url,
        addresses,
        headers: {
          "content-type": "application/json",
          "user-agent": "verify-interview-kit-webhooks",
          "webhook-id": delivery.id,
          "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
          "webhook-signature": signatureHeader(endpoint, delivery.id, at, delivery.payload),
        },
        body: delivery.payload,
        // What the name resolution left of the attempt's time.
        timeoutMs: Math.max(1, timeoutMs - (performance.now() - started)),
      });
      statusCode = res.status;
      retryAfter = retryAfterMs(res.retryAfter, at);
    } catch (err) {
      if (err instanceof AppError) error = `${err.code}: ${err.message}`;
      else error = err instanceof Error ? (err.name === "TimeoutError" ? "timeout" : err.message) : String(err);
    }
    const durationMs = Math.round(performance.now() - started);
    let outcome: AttemptOutcome;
    if (statusCode !== null && statusCode >= 200 && statusCode < 300) {
      outcome = { status: "delivered" };
    } else if (statusCode === 410) {
      await store.disableEndpoint(endpoint.id, at.toISOString());
      outcome = { status: "failed" };
    } else {
      const wait = RETRY_SCHEDULE_MS[delivery.attempts];
      outcome =
        wait === undefined
          ? { status: "failed" }
          : { status: "pending", nextAttemptAt: new Date(this.now().getTime() + Math.max(wait, retryAfter ?? 0)).toISOString() };
    }
    return { attempt: { deliveryId: delivery.id, at: at.toISOString(), statusCode, error, durationMs }, outcome };
  }

  /**
   * Ticks every `intervalMs` (at once again after a full batch, so a backlog drains without
   * waiting) until the returned function is called; it waits for a tick under way.
   */
  start(intervalMs = 1000): () => Promise<void> {
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    const loop = async () => {
      let sent = 0;
      try {
        sent = await this.tick();
      } catch (err) {
        console.error("webhook dispatch failed:", err);
      }
      if (!stopped) {
        timer = setTimeout(() => void loop(), sent >= this.batch ? 0 : intervalMs);
        timer.unref();
      }
    };
    void loop();
    return async () => {
      stopped = true;
      clearTimeout(timer);
      await this.running?.catch(() => {});
      this.closeSender();
    };
  }
}
