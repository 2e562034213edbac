import { OpenAPIHono } from "@hono/zod-openapi";
import type { WebhookDeliveryList, WebhookEndpointList } from "../../shared/webhooks.js";
import { type ApiAccess, type ApiKeyEnv, scoped } from "../api-keys/index.js";
import { serve } from "../openapi/index.js";
import { webhookDeliveryContract, webhookEndpointContract as route } from "./contract.js";
import type { WebhookEndpointService } from "./service.js";

/** `/v1/webhook-endpoints`: register, list, delete endpoints, rotate secrets, read the delivery log. */
export function webhookEndpointRoutes(service: WebhookEndpointService, access: ApiAccess) {
  const app = new OpenAPIHono<ApiKeyEnv>();
  app.use(access.auth);
  serve(app, scoped({ ...route.create, middleware: access.idempotent }), async (c, { body }) => c.json(await service.create(body), 201));
  serve(app, scoped(route.list), async (c) => c.json({ endpoints: await service.list() } satisfies WebhookEndpointList));
  serve(app, scoped(route.remove), async (c, { params }) => {
    await service.remove(params.id);
    return c.body(null, 204);
  });
  serve(app, scoped(route.rotateSecret), async (c, { params }) => c.json(await service.rotateSecret(params.id), 201));
  serve(app, scoped(route.deliveries), async (c, { params, query }) => c.json({ deliveries: await service.deliveries(params.id, query.limit) } satisfies WebhookDeliveryList));
  return app;
}

/** `/v1/webhook-deliveries`: replay one delivery. */
export function webhookDeliveryRoutes(service: WebhookEndpointService, access: ApiAccess) {
  const app = new OpenAPIHono<ApiKeyEnv>();
  app.use(access.auth);
  serve(app, scoped(webhookDeliveryContract.replay), async (c, { params }) => c.json(await service.replay(params.id), 202));
  return app;
}
