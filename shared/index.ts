export * from "./errors.js";
export * from "./location.js";
export * from "./interview.js";
export * from "./candidate.js";
export * from "./paths.js";
export * from "./pose.js";
export * from "./monitoring.js";
export * from "./signals.js";
