export { CompletionTokens, type CompletionInput, type CompletionTokenDeps } from "./completion-token.js";
export { EmbedService, type EmbedServiceDeps } from "./service.js";
export { EmbedScript, type EmbedManifest } from "./script.js";
export { embedApiRoutes, embedRoutes, type EmbedRouteDeps } from "./routes.js";
export { SigningKeys, SIGNING_KEY_FILE, type ActiveKey, type PublicJwk } from "./signing-keys.js";
export { embedOrigins } from "./origins.js";
