import { randomBytes } from "node:crypto";
import {
  type CreateWebhookEndpointInput,
  type WebhookDelivery,
  type WebhookEndpoint,
  type WebhookEndpointWithSecret,
  WebhookEvent,
  WebhookEventType,
} from "../../shared/webhooks.js";
import { AppError, notFound } from "../errors/index.js";
import { newId } from "../security/index.js";
import type { DeliveryRecord, WebhookEndpointRecord, WebhookStore } from "../store/index.js";
import { PREVIOUS_SECRET_MS } from "./dispatcher.js";
import { checkWebhookTarget, parseWebhookUrl, type Resolver } from "./url-guard.js";

/** A Standard Webhooks secret: `whsec_` and 32 random bytes in base64. */
export const newWebhookSecret = () => `whsec_${randomBytes(32).toString("base64")}`;

const toEndpoint = (r: WebhookEndpointRecord): WebhookEndpoint => ({
  id: r.id,
  url: r.url,
  ...(r.description ? { description: r.description } : {}),
  events: r.events ? r.events.map((e) => WebhookEventType.parse(e)) : null,
  createdAt: r.createdAt,
  disabledAt: r.disabledAt,
});

/** Registers endpoints, rotates their secrets and reads the delivery log. Never returns a secret twice. */
export class WebhookEndpointService {
  constructor(
    private readonly deps: {
      store: WebhookStore;
      now: () => Date;
      /** WEBHOOK_ALLOW_PRIVATE_URLS: accept endpoints on loopback and private addresses. */
      allowPrivateUrls?: boolean;
      resolve?: Resolver;
    },
  ) {}

  /**
   * Registers an endpoint. Refuses (422 `webhook_url_forbidden`) a URL with credentials or whose host
   * is or resolves to a loopback, private, link-local... address, unless private targets are allowed.
   * A name that does not resolve yet is accepted: every delivery resolves and checks it again.
   */
  async create(input: CreateWebhookEndpointInput & { url: string }): Promise<WebhookEndpointWithSecret> {
    const url = parseWebhookUrl(input.url);
    await checkWebhookTarget(url, { allowPrivate: this.deps.allowPrivateUrls ?? false, ...(this.deps.resolve ? { resolve: this.deps.resolve } : {}) }).catch(
      (err: unknown) => {
        if (err instanceof AppError) throw err;
      },
    );
    const record: WebhookEndpointRecord = {
      id: newId("ep"),
      url: input.url,
      description: input.description || null,
      events: input.events ? [...new Set(input.events)] : null,
      secret: newWebhookSecret(),
      previousSecret: null,
      previousSecretExpiresAt: null,
      createdAt: this.deps.now().toISOString(),
      disabledAt: null,
    };
    await this.deps.store.createEndpoint(record);
    return { ...toEndpoint(record), secret: record.secret };
  }

  async list(): Promise<WebhookEndpoint[]> {
    return (await this.deps.store.listEndpoints()).map(toEndpoint);
  }

  async remove(id: string): Promise<void> {
    if (!(await this.deps.store.deleteEndpoint(id))) throw notFound("Webhook endpoint");
  }

  /** A new secret, shown once; the old one keeps signing (alongside) for 24 hours. */
  async rotateSecret(id: string): Promise<WebhookEndpointWithSecret> {
    const secret = newWebhookSecret();
    const until = new Date(this.deps.now().getTime() + PREVIOUS_SECRET_MS).toISOString();
    if (!(await this.deps.store.rotateSecret(id, secret, until))) throw notFound("Webhook endpoint");
    const endpoint = await this.deps.store.getEndpoint(id);
    if (!endpoint) throw notFound("Webhook endpoint");
    return { ...toEndpoint(endpoint), secret };
  }

  async deliveries(endpointId: string, limit = 100): Promise<WebhookDelivery[]> {
    if (!(await this.deps.store.getEndpoint(endpointId))) throw notFound("Webhook endpoint");
    const rows = await this.deps.store.listDeliveries(endpointId, limit);
    return Promise.all(rows.map((d) => this.toDelivery(d)));
  }

  /** Queues the delivery again now, with the same `webhook-id`, so the receiver can de-duplicate. */
  async replay(deliveryId: string): Promise<WebhookDelivery> {
    if (!(await this.deps.store.requeue(deliveryId, this.deps.now().toISOString()))) throw notFound("Webhook delivery");
    const d = await this.deps.store.getDelivery(deliveryId);
    if (!d) throw notFound("Webhook delivery");
    return this.toDelivery(d);
  }

  /**
   * Removes delivered and failed deliveries (with their attempts) whose creation and last attempt are
   * more than `retentionDays` old by the injected clock; pending ones are never removed. Returns how many.
   */
  async pruneLog(retentionDays: number): Promise<number> {
    return this.deps.store.pruneDeliveries(new Date(this.deps.now().getTime() - retentionDays * 86_400_000).toISOString());
  }

  private async toDelivery(d: DeliveryRecord): Promise<WebhookDelivery> {
    const attempts = await this.deps.store.listAttempts(d.id);
    return {
      id: d.id,
      endpointId: d.endpointId,
      type: WebhookEventType.parse(d.type),
      status: d.status,
      createdAt: d.createdAt,
      nextAttemptAt: d.status === "pending" || d.status === "delivering" ? d.nextAttemptAt : null,
      payload: WebhookEvent.parse(JSON.parse(d.payload)),
      attempts: attempts.map((a) => ({ at: a.at, statusCode: a.statusCode, error: a.error, durationMs: a.durationMs })),
    };
  }
}
