import { z } from "zod";
import { CreatedInterview, InterviewList, InterviewWithEvents, SnapshotInfo, StreamEvent } from "../../shared/interview.js";
import { ApiKeyList, type CreateApiKeyInput, CreatedApiKey, RevokedApiKey } from "../../shared/api-keys.js";
import { RiskReport } from "../../shared/signals.js";
import { type CreateWebhookEndpointInput, WebhookDelivery, WebhookEndpoint, WebhookEndpointWithSecret } from "../../shared/webhooks.js";
import { ApiError, request } from "../api/http.js";

/** `GET /v1/webhook-endpoints`. */
const EndpointList = z.object({ endpoints: z.array(WebhookEndpoint) });
/** `GET /v1/webhook-endpoints/:id/deliveries`, newest first. */
const DeliveryList = z.object({ deliveries: z.array(WebhookDelivery) });
const seg = (s: string) => encodeURIComponent(s);

/** The dashboard's calls, authorised with the API key the interviewer entered. */
export class DashboardApi {
  /** `onUnauthorized` hears of any 401: the key was revoked or removed while the dashboard was open. */
  constructor(
    private readonly key: string,
    private readonly onUnauthorized: () => void = () => {},
  ) {}

  private get headers() {
    return { authorization: `Bearer ${this.key}` };
  }

  private async send<T extends z.ZodType>(method: "GET" | "POST" | "DELETE", url: string, schema: T, body?: unknown): Promise<z.output<T>> {
    try {
      return await request(method, url, schema, { headers: this.headers, ...(body !== undefined ? { body } : {}) });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) this.onUnauthorized();
      throw err;
    }
  }

  list() {
    return this.send("GET", "/v1/interviews?limit=100", InterviewList);
  }
  get(id: string) {
    return this.send("GET", `/v1/interviews/${encodeURIComponent(id)}`, InterviewWithEvents);
  }
  report(id: string) {
    return this.send("GET", `/v1/interviews/${encodeURIComponent(id)}/report`, RiskReport);
  }
  snapshots(id: string) {
    return this.send("GET", `/v1/interviews/${encodeURIComponent(id)}/snapshots`, z.object({ snapshots: z.array(SnapshotInfo) }));
  }
  create(body: unknown) {
    return this.send("POST", "/v1/interviews", CreatedInterview, body);
  }

  /** `GET /v1/api-keys`: configured keys first, never a secret. */
  keys() {
    return this.send("GET", "/v1/api-keys", ApiKeyList);
  }
  /** `POST /v1/api-keys`: the only answer that carries the new key's secret. */
  createKey(body: CreateApiKeyInput) {
    return this.send("POST", "/v1/api-keys", CreatedApiKey, body);
  }
  revokeKey(id: string) {
    return this.send("DELETE", `/v1/api-keys/${seg(id)}`, RevokedApiKey);
  }

  endpoints() {
    return this.send("GET", "/v1/webhook-endpoints", EndpointList);
  }
  /** `POST /v1/webhook-endpoints`: the `whsec_` secret is in this answer only. */
  createEndpoint(body: CreateWebhookEndpointInput) {
    return this.send("POST", "/v1/webhook-endpoints", WebhookEndpointWithSecret, body);
  }
  /** A new secret, shown once; the server keeps signing with the old one too for 24 hours. */
  rotateSecret(id: string) {
    return this.send("POST", `/v1/webhook-endpoints/${seg(id)}/rotate-secret`, WebhookEndpointWithSecret);
  }
  deleteEndpoint(id: string) {
    return this.send("DELETE", `/v1/webhook-endpoints/${seg(id)}`, z.undefined());
  }
  deliveries(endpointId: string, limit = 50) {
    return this.send("GET", `/v1/webhook-endpoints/${seg(endpointId)}/deliveries?limit=${limit}`, DeliveryList);
  }
  /** Queues a delivery again now, under the same `webhook-id`. */
  replay(deliveryId: string) {
    return this.send("POST", `/v1/webhook-deliveries/${seg(deliveryId)}/replay`, WebhookDelivery);
  }

  /** A snapshot as an object URL; the key travels in a header, never in an image URL. */
  async snapshotUrl(id: string, snapshotId: number): Promise<string> {
    const res = await fetch(`/v1/interviews/${encodeURIComponent(id)}/snapshots/${snapshotId}`, { headers: this.headers });
    if (!res.ok) throw new ApiError("http", `snapshot ${snapshotId}: ${res.status}`, res.status);
    return URL.createObjectURL(await res.blob());
  }

  /**
   * Follows `/v1/interviews/stream` (server-sent events) with fetch, because
   * EventSource cannot send the Authorization header. Reconnects after a drop.
   */
  async follow(onEvent: (e: StreamEvent) => void, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        const res = await fetch("/v1/interviews/stream", { headers: this.headers, signal });
        if (res.status === 401) {
          this.onUnauthorized();
          return;
        }
        if (!res.ok || !res.body) throw new Error(String(res.status));
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end;
          while ((end = buffer.indexOf("\n\n")) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = block.split("\n").find((l) => l.startsWith("data:"))?.slice(5).trim();
            if (block.includes("event: interview") && data) {
              const parsed = StreamEvent.safeParse(JSON.parse(data));
              if (parsed.success) onEvent(parsed.data);
            }
          }
        }
      } catch {
        if (signal.aborted) return;
      }
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
}
