import { Hono } from "hono";
import { z } from "zod";
import { CreateWebhookEndpointInput } from "../../shared/webhooks.js";
import type { ApiAccess, ApiKeyEnv } from "../api-keys/index.js";
import { parseJson, parseValue } from "../errors/index.js";
import type { WebhookEndpointService } from "./service.js";

const DeliveriesQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) });

/** `/v1/webhook-endpoints`: register, list, delete endpoints, rotate secrets, read the delivery log. */
export function webhookEndpointRoutes(service: WebhookEndpointService, access: ApiAccess) {
  return new Hono<ApiKeyEnv>()
    .use(access.auth)
    .post("/", access.idempotent, async (c) => c.json(await service.create(await parseJson(c, CreateWebhookEndpointInput)), 201))
    .get("/", async (c) => c.json({ endpoints: await service.list() }))
    .delete("/:id", async (c) => {
      await service.remove(c.req.param("id"));
      return c.body(null, 204);
    })
    .post("/:id/rotate-secret", async (c) => c.json(await service.rotateSecret(c.req.param("id")), 201))
    .get("/:id/deliveries", async (c) => {
      const { limit } = parseValue(DeliveriesQuery, c.req.query());
      return c.json({ deliveries: await service.deliveries(c.req.param("id"), limit) });
    });
}

/** `/v1/webhook-deliveries`: replay one delivery. */
export function webhookDeliveryRoutes(service: WebhookEndpointService, access: ApiAccess) {
  return new Hono<ApiKeyEnv>()
    .use(access.auth)
    .post("/:id/replay", async (c) => c.json(await service.replay(c.req.param("id")), 202));
}
