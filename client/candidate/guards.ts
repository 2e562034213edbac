import type { FlowContext } from "./states.js";

/** A retry of the liveness check is allowed only while attempts remain. */
export const hasAttemptsLeft = (ctx: FlowContext): boolean => ctx.attemptsLeft > 0;

/** A refused or missing camera can be retried: permissions and devices change. */
export const cameraRetryable = (ctx: FlowContext): boolean => ctx.cameraFailure !== "Unsupported";
