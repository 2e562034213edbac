import type { MiddlewareHandler } from "hono";
import { unauthorized } from "../errors/index.js";
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
