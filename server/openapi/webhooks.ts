import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { WebhookEvent } from "../../shared/webhooks.js";
import { component, jsonBody, openapi } from "./parts.js";

type Registry = OpenAPIHono["openAPIRegistry"];

/** The Standard Webhooks headers every delivery carries. */
const DeliveryHeaders = z.object({
  "webhook-id": openapi(z.string(), { description: "The delivery's id: the same on every attempt and replay, for de-duplication." }),
  "webhook-timestamp": openapi(z.string(), { description: "Unix seconds when this attempt was signed." }),
  "webhook-signature": openapi(z.string(), {
    description: "`v1,<base64 HMAC-SHA256>` over `<webhook-id>.<webhook-timestamp>.<body>` with the endpoint's secret; two, space-separated, while a rotated secret is still valid.",
  }),
});

/** `identity.face_mismatch` → `WebhookIdentityFaceMismatch`. */
const componentName = (type: string) =>
  `Webhook${type
    .split(/[._]/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join("")}`;

/** The event type each variant of the `WebhookEvent` union carries in `type`. */
export const webhookEventTypes = (): string[] => WebhookEvent.options.map((variant) => variant.shape.type.value);

/**
 * Lists every outgoing event under the document's `webhooks`, one entry per
 * variant of the `WebhookEvent` union with that variant as its payload, so a
 * type added to the union is documented without touching this file.
 */
export function registerWebhooks(registry: Registry): void {
  for (const variant of WebhookEvent.options) {
    const type = variant.shape.type.value;
    registry.registerWebhook({
      method: "post",
      path: type,
      tags: ["Webhooks"],
      summary: type,
      description:
        "POSTed to every registered endpoint subscribed to this type, signed per Standard Webhooks. Any 2xx acknowledges; anything else is retried on a schedule (5 s to 10 h); `410 Gone` disables the endpoint.",
      request: { headers: DeliveryHeaders, body: jsonBody(component(componentName(type), variant)) },
      responses: {
        200: { description: "Received (any 2xx)." },
        410: { description: "Gone: the kit disables the endpoint and sends nothing more." },
      },
    });
  }
}
