export { InterviewerService, type InterviewerServiceDeps } from "./service.js";
export { interviewerRoutes } from "./routes.js";
