import { ObservationData, type ObservationItem } from "../../shared/observations.js";
import type { AdvisoryFlag, FlagId, RiskFlag, Severity } from "../../shared/signals.js";
import type { SignalContext } from "./context.js";

interface ItemRule {
  id: FlagId;
  severity: Severity;
  advisoryFlag: AdvisoryFlag;
  title: string;
  explanation: string;
}

/** Each checklist item, as the flag it raises. Payment requests are the advisory's second red flag. */
export const OBSERVATION_FLAGS: Record<ObservationItem, ItemRule> = {
  asked_crypto_payment: {
    id: "observed_crypto_payment",
    severity: "high",
    advisoryFlag: "payment",
    title: "Asked to be paid in cryptocurrency",
    explanation: "The interviewer noted that the candidate asked to be paid in cryptocurrency, a red flag the advisory lists.",
  },
  asked_payment_platform_or_other_account: {
    id: "observed_payment_platform_or_other_account",
    severity: "high",
    advisoryFlag: "payment",
    title: "Asked for payment through a platform or someone else's account",
    explanation:
      "The interviewer noted that the candidate asked to be paid through an online payment platform or into an account in another name, a red flag the advisory lists.",
  },
  refused_or_avoided_video: {
    id: "observed_refused_or_avoided_video",
    severity: "medium",
    advisoryFlag: "refuses_video",
    title: "Refused or avoided video",
    explanation: "The interviewer noted that the candidate refused or avoided being on video.",
  },
  camera_pointed_away_or_covered: {
    id: "observed_camera_pointed_away_or_covered",
    severity: "medium",
    advisoryFlag: "refuses_video",
    title: "Camera pointed away or covered",
    explanation: "The interviewer noted that the candidate's camera was pointed away from them or covered.",
  },
  location_contradicted: {
    id: "observed_location_contradicted",
    severity: "medium",
    advisoryFlag: "location_mismatch",
    title: "Said something that contradicts the claimed location",
    explanation: "The interviewer noted that what the candidate said contradicts the location they claimed.",
  },
};

/**
 * What the interviewer saw and heard (`interviewer_observed`): one flag per
 * checklist item, however often it was ticked, with who noted it and when.
 */
export function observationRule(ctx: SignalContext): RiskFlag[] {
  const seen = new Map<ObservationItem, Array<{ at: string; by: string; via: string; note?: string }>>();
  for (const e of ctx.events) {
    if (e.type !== "interviewer_observed") continue;
    const parsed = ObservationData.safeParse(e.data);
    if (!parsed.success) continue;
    for (const item of parsed.data.items) {
      const list = seen.get(item) ?? [];
      list.push({ at: e.at, by: e.actor, via: parsed.data.via, ...(parsed.data.note ? { note: parsed.data.note } : {}) });
      seen.set(item, list);
    }
  }
  return [...seen].map(([item, observations]) => {
    const rule = OBSERVATION_FLAGS[item];
    return {
      ...rule,
      evidence: { observedBy: observations[0]!.by, via: observations[0]!.via, firstObservedAt: observations[0]!.at, observations },
    };
  });
}
