import { type MiddlewareHandler, Hono } from "hono";
import { CreateApiKeyInput } from "../../shared/api-keys.js";
import { parseJson } from "../errors/index.js";
import type { ApiKeyEnv } from "./middleware.js";
import type { ApiKeyService } from "./service.js";

/** What every `/v1` API-key route group is given: the key check, and idempotency for its creating POSTs. */
export interface ApiAccess {
  auth: MiddlewareHandler<ApiKeyEnv>;
  idempotent: MiddlewareHandler<ApiKeyEnv>;
}

/** `/v1/api-keys`: make, list and revoke API keys. */
export function apiKeyRoutes(service: ApiKeyService, access: ApiAccess) {
  return new Hono<ApiKeyEnv>()
    .use(access.auth)
    .post("/", access.idempotent, async (c) => c.json(await service.create(await parseJson(c, CreateApiKeyInput)), 201))
    .get("/", async (c) => c.json({ keys: await service.list() }))
    .delete("/:id", async (c) => c.json(await service.revoke(c.req.param("id"))));
}
