export { VerificationService, VERIFICATION_LIMITS, maxDurationMs, type VerificationServiceDeps } from "./service.js";
export { generateFollowSchedule, secureRandom, seededRandom, type Schedule, type RandomInt } from "./schedule.js";
export { candidateIdentity, CANDIDATE_IDENTITY_PREFIX } from "./identity.js";
export { verifierRoutes } from "./routes.js";
