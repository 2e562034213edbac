import type { AtsProfile, GreenhousePartnerStatus } from "../../shared/ats.js";
import type { InterviewStatus } from "../../shared/interview.js";
import type { RiskLevel } from "../../shared/signals.js";

/** The tests the kit offers an ATS, in the order they are listed. */
export const ATS_PROFILES: { id: AtsProfile; name: string }[] = [
  { id: "liveness", name: "Identity verification: live camera and liveness check" },
  { id: "liveness_interview", name: "Identity verification and a monitored video interview" },
];

/** What an ATS is told about one interview. */
export interface AtsOutcome {
  status: GreenhousePartnerStatus;
  /** 0–100, once complete; see {@link atsScore}. */
  score?: number;
  /** Flat labels and values for the ATS's result panel. */
  metadata: Record<string, string>;
}

/** The interview's facts the outcome is drawn from. */
export interface AtsFacts {
  profile: AtsProfile;
  status: InterviewStatus;
  /** Whether a verification passed (`liveness_passed` is on the timeline). */
  verified: boolean;
  level: RiskLevel;
  flags: string[];
}

/** Points by risk level for a verified candidate: the report's judgement, never a single raw measurement. */
const SCORE_BY_LEVEL: Record<RiskLevel, number> = { clear: 100, review: 60, high: 20 };

/**
 * The score an ATS shows and filters by: 0 when no verification passed (every attempt failed, or
 * the link expired unused); otherwise 100, 60 or 20 for a clear, review or high risk level. A pass
 * with a high-risk flag (a face reused under another name, a stand-in mid-interview) scores below
 * any clean pass whatever its liveness margins.
 */
export function atsScore(verified: boolean, level: RiskLevel): number {
  return verified ? SCORE_BY_LEVEL[level] : 0;
}

/**
 * The ATS status of an interview. `liveness` is complete once the check passed or every attempt
 * failed; `liveness_interview` once the interview ended (or every attempt failed). An expired link
 * with nothing to report is `expired`; expired after a pass, the test is complete.
 */
export function atsOutcome(f: AtsFacts): AtsOutcome {
  const failed = f.status === "failed";
  const over = f.status === "ended" || f.status === "expired";
  const done = failed || (f.verified && (f.profile === "liveness" || over));
  const status: GreenhousePartnerStatus = done ? "complete" : over ? "expired" : f.status === "created" ? "pending" : "in_progress";
  const metadata: Record<string, string> = {
    Liveness: f.verified ? "passed" : failed ? "failed" : "not passed yet",
    Risk: f.level,
    Flags: f.flags.length ? f.flags.join(", ") : "none",
  };
  if (f.profile === "liveness_interview") metadata.Interview = f.status === "ended" ? "ended" : f.status === "in_interview" ? "in progress" : "not held";
  return status === "complete" ? { status, score: atsScore(f.verified, f.level), metadata } : { status, metadata };
}
