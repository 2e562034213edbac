import { createRoute, z } from "@hono/zod-openapi";
import { ApiKeyList, CreateApiKeyInput, CreatedApiKey, RevokedApiKey } from "../../shared/api-keys.js";
import { apiKeyScope, component, errors, IdempotencyHeaders, idParam, json, jsonBody } from "../openapi/parts.js";

const tags = ["API keys"];

/** The described routes of `/v1/api-keys`; `routes.ts` serves them. */
export const apiKeyContract = {
  create: createRoute({
    method: "post",
    path: "/",
    tags,
    security: apiKeyScope("keys:admin"),
    summary: "Create an API key",
    description: "The only response that ever carries the key's secret.",
    request: { headers: IdempotencyHeaders, body: jsonBody(component("CreateApiKeyInput", CreateApiKeyInput)) },
    responses: { 201: json(component("CreatedApiKey", CreatedApiKey), "The new key, with its secret."), ...errors(400, 401, 409, 413, 422) },
  }),
  list: createRoute({
    method: "get",
    path: "/",
    tags,
    security: apiKeyScope("keys:admin"),
    summary: "List API keys",
    description: "Configured and API-made keys, never their secrets.",
    responses: { 200: json(component("ApiKeyList", ApiKeyList), "Every key."), ...errors(401) },
  }),
  revoke: createRoute({
    method: "delete",
    path: "/{id}",
    tags,
    security: apiKeyScope("keys:admin"),
    summary: "Revoke an API key",
    description: "Keys from configuration (`API_KEYS`) cannot be revoked here: `409 api_key_not_revocable`.",
    request: { params: z.object({ id: idParam("The key's id.") }) },
    responses: { 200: json(component("RevokedApiKey", RevokedApiKey), "The key is revoked."), ...errors(401, 404, 409) },
  }),
};
