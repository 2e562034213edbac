import type { RouteConfig } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { ApiScope } from "../../shared/api-keys.js";
import { AppError, unauthorized } from "../errors/index.js";
import { SCHEMES } from "../openapi/parts.js";
import type { AppEnv } from "../http/env.js";
import type { ApiKeyIdentity, ApiKeyVerifier } from "./verifier.js";

/** Hono bindings of API-key routes: the app's, plus the key the request was made with. */
export type ApiKeyEnv = {
  Bindings: AppEnv["Bindings"];
  Variables: AppEnv["Variables"] & { apiKey: ApiKeyIdentity };
};

/** Refuses requests without a valid API key (401) and records the key as `c.var.apiKey`. */
export function requireApiKey(verifier: ApiKeyVerifier): MiddlewareHandler<ApiKeyEnv> {
  return async (c, next) => {
    const key = await verifier.verify(c.req.header("authorization"));
    if (!key) throw unauthorized();
    c.set("apiKey", key);
    await next();
  };
}

/** Refuses (403 `insufficient_scope`) a request whose key lacks `scope`; runs after `requireApiKey`. */
export function requireScope(scope: ApiScope): MiddlewareHandler<ApiKeyEnv> {
  return async (c, next) => {
    if (!c.var.apiKey.scopes.includes(scope)) throw new AppError("insufficient_scope", `This API key lacks the "${scope}" scope`);
    await next();
  };
}

/** The scope a route's contract asks of its API key (`security: apiKeyScope(...)`), if any. */
export function scopeOf(route: RouteConfig): ApiScope | undefined {
  const entry = route.security?.find((s) => SCHEMES.apiKey in s);
  return entry?.[SCHEMES.apiKey]?.[0] as ApiScope | undefined;
}

/**
 * The route with the scope check its contract declares put first among its middleware, so the
 * document and the check come from one place. A route that declares none is left as it is (the
 * OpenAPI test requires every API-key route to declare one).
 */
export function scoped<R extends RouteConfig>(route: R): R {
  const scope = scopeOf(route);
  if (!scope) return route;
  const own = route.middleware === undefined ? [] : Array.isArray(route.middleware) ? route.middleware : [route.middleware];
  return { ...route, middleware: [requireScope(scope), ...own] };
}
