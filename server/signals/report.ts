import type { InterviewEvent } from "../../shared/interview.js";
import { RiskReport, type RiskFlag, type VerificationSummary } from "../../shared/signals.js";
import { cameraRule } from "./camera.js";
import { identityRule } from "./identity.js";
import { type RiskInput, type SignalContext, buildContext } from "./context.js";
import { levelFor, sortFlags } from "./flags.js";
import { ipCountryRule, ipTimezoneRule } from "./ip-country.js";
import { manyIpsRule } from "./many-ips.js";
import { networkReuseRule } from "./network-reuse.js";
import { documentRule } from "./document.js";
import { deviceReuseRule } from "./device-reuse.js";
import { observationRule } from "./observations.js";
import { proxyRule } from "./proxy.js";
import { roundTripRule } from "./round-trip.js";
import { signalsMissingRule } from "./silence.js";
import { tamperingRule } from "./tampering.js";
import { timezoneRule } from "./timezone.js";

/** A signal rule: a pure function from the context to zero or more flags. */
export type Rule = (ctx: SignalContext) => RiskFlag[];

/** Every rule, in the order their flags are listed within one severity. */
const RULES: readonly Rule[] = [
  identityRule,
  cameraRule,
  manyIpsRule,
  networkReuseRule,
  documentRule,
  deviceReuseRule,
  timezoneRule,
  ipCountryRule,
  ipTimezoneRule,
  proxyRule,
  roundTripRule,
  tamperingRule,
  signalsMissingRule,
  observationRule,
];

/**
 * Builds the interviewer's risk report: runs every rule over the interview's
 * events, IP lookups and the candidate's latest environment and network
 * reports, and rates the result. Pure apart from the database reads the
 * `geo` lookup makes; the output is checked against the wire schema.
 */
export function buildRiskReport(input: RiskInput, rules: readonly Rule[] = RULES): RiskReport {
  const ctx = buildContext(input);
  const flags = sortFlags(rules.flatMap((rule) => rule(ctx)));
  return RiskReport.parse({
    interviewId: input.interviewId,
    generatedAt: input.now.toISOString(),
    level: levelFor(flags),
    ...(input.claimed ? { claimedLocation: input.claimed } : {}),
    flags,
    ips: ctx.ips,
    environment: ctx.environment,
    environments: ctx.environments,
    network: ctx.network,
    verification: summariseVerification(input.events),
  });
}

/** The camera and liveness outcome, read from the interview's events. */
export function summariseVerification(events: InterviewEvent[]): VerificationSummary {
  let camera: VerificationSummary["camera"] = "unknown";
  let status: VerificationSummary["status"] = "not_started";
  let attempts = 0;
  let passedAt: string | undefined;
  let lastFailure: string | undefined;
  for (const e of [...events].sort((a, b) => a.at.localeCompare(b.at))) {
    if (e.type === "camera_granted") camera = "granted";
    else if (e.type === "camera_refused") camera = "refused";
    else if (e.type === "camera_unavailable" && camera !== "granted") camera = "unavailable";
    else if (e.type === "liveness_started" && status !== "passed") status = "in_progress";
    else if (e.type === "liveness_passed") {
      attempts++;
      status = "passed";
      passedAt ??= e.at;
    } else if (e.type === "liveness_failed") {
      attempts++;
      if (status !== "passed") status = "failed";
      if (!e.legacy && e.data.failure !== undefined) lastFailure = e.data.failure;
    }
  }
  return {
    status,
    camera,
    attempts,
    ...(passedAt ? { passedAt } : {}),
    ...(lastFailure ? { lastFailure } : {}),
  };
}
