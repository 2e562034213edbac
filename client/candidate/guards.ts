import type { FlowContext } from "./states.js";

/**
 * A retry of the liveness check is allowed while attempts remain, or after a
 * failure the kit did not count; the kit refuses a start it would not allow.
 */
export const canRetryCheck = (ctx: FlowContext): boolean => ctx.attemptsLeft > 0 || ctx.refunded === true;

/** A refused or missing camera can be retried: permissions and devices change. */
export const cameraRetryable = (ctx: FlowContext): boolean => ctx.cameraFailure !== "Unsupported";

/** A session that already passed (a reloaded page) goes from the camera straight to joining. */
export const skipsCheck = (ctx: FlowContext): boolean => ctx.alreadyVerified;
