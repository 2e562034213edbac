export { ApiKeyVerifier, type ApiKeyIdentity, LAST_USED_RESOLUTION_MS } from "./verifier.js";
export { ApiKeyService, type ApiKeyServiceDeps } from "./service.js";
export { requireApiKey, requireScope, scoped, scopeOf, type ApiKeyEnv } from "./middleware.js";
export { apiKeyRoutes, type ApiAccess } from "./routes.js";
