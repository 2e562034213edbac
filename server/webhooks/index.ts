export { RoomEventService } from "./service.js";
export { webhookRoutes } from "./routes.js";
