export { serve, honoPath, type RouteHandler, type RouteInput } from "./define.js";
export { API_KEY, CANDIDATE_SESSION, LINK_ONLY, SCHEMES, component, errors, json, jsonBody, idParam, LinkToken, IdempotencyHeaders, RetryAfter, ErrorSchema } from "./parts.js";
export { openApiDocument, type OpenApiDocument, type DocumentInfo } from "./document.js";
export { webhookEventTypes } from "./webhooks.js";
export { openApiRoutes, docsCsp, DOCS_ASSET_PATH } from "./routes.js";
