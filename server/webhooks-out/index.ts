export { toWebhookEvents, type OutgoingEvent } from "./map.js";
export { webhookOutbox } from "./outbox.js";
export { WebhookDispatcher, RETRY_SCHEDULE_MS, DELIVERY_TIMEOUT_MS, signatureHeader } from "./dispatcher.js";
export { WebhookEndpointService, newWebhookSecret } from "./service.js";
export { webhookEndpointRoutes, webhookDeliveryRoutes } from "./routes.js";
