export { GreenhouseService, type GreenhouseServiceDeps } from "./greenhouse/service.js";
export { greenhouseRoutes, requireAtsKey } from "./greenhouse/routes.js";
export { ReviewLinks, REVIEW_LINK_TTL_SECONDS } from "./review-links.js";
export { reviewPageRoutes } from "./review-page.js";
export { ATS_PROFILES, atsOutcome, atsScore } from "./status.js";
