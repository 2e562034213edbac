export { CandidateService, type CandidateServiceDeps } from "./service.js";
export { candidateRoutes } from "./routes.js";
export { candidateLimits, type CandidateLimits } from "./limits.js";
export { candidateContext, requireSession, type CandidateEnv } from "./context.js";
export { rateLimit } from "./limits.js";
