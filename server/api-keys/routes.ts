import { OpenAPIHono } from "@hono/zod-openapi";
import type { ApiKeyList } from "../../shared/api-keys.js";
import type { Context, MiddlewareHandler } from "hono";
import { serve } from "../openapi/index.js";
import { apiKeyContract as route } from "./contract.js";
import { type ApiKeyEnv, scoped } from "./middleware.js";
import type { ApiKeyService } from "./service.js";

/** What every `/v1` API-key route group is given: the key check, and idempotency for its creating POSTs. */
export interface ApiAccess {
  auth: MiddlewareHandler<ApiKeyEnv>;
  idempotent: MiddlewareHandler<ApiKeyEnv>;
  /** Whether the request's key is still accepted: long-lived responses (event streams) ask again as they run. */
  stillValid: (c: Context<ApiKeyEnv>) => () => Promise<boolean>;
}

/** `/v1/api-keys`: make, list and revoke API keys. */
export function apiKeyRoutes(service: ApiKeyService, access: ApiAccess) {
  const app = new OpenAPIHono<ApiKeyEnv>();
  app.use(access.auth);
  serve(app, scoped({ ...route.create, middleware: access.idempotent }), async (c, { body }) => c.json(await service.create(body, c.var.apiKey), 201));
  serve(app, scoped(route.list), async (c) => c.json({ keys: await service.list() } satisfies ApiKeyList));
  serve(app, scoped(route.revoke), async (c, { params }) => c.json(await service.revoke(params.id)));
  return app;
}
