export { ReportService, type ReportServiceDeps } from "./service.js";
