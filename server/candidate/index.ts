export { CandidateService, type CandidateServiceDeps } from "./service.js";
export { candidateRoutes } from "./routes.js";
export { candidateLimits, type CandidateLimits } from "./limits.js";
