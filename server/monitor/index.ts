export { MONITOR_LIMITS, MonitorService, type MonitorServiceDeps } from "./service.js";
export { monitorRoutes } from "./routes.js";
