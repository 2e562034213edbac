export { CandidateService, type CandidateServiceDeps } from "./service.js";
export { candidateRoutes } from "./routes.js";
