import { z } from "zod";
import { AdvisoryFlag, FlagId, RiskLevel, Severity } from "./signals.js";

/** The name a redacted interview shows instead of the candidate's. */
export const REDACTED_NAME = "Redacted candidate";

/** A flag raised before redaction, kept without its evidence (which held IPs, zones, device names...) and with a generic title. */
export const RedactedFlag = z.object({ id: FlagId, severity: Severity, advisoryFlag: AdvisoryFlag, title: z.string() });
export type RedactedFlag = z.infer<typeof RedactedFlag>;

/** Data of the `personal_data_redacted` event: what the risk report said just before. */
export const RedactionRecord = z.object({
  /** `api`: DELETE /v1/interviews/:id/personal-data; `retention`: PERSONAL_DATA_RETENTION_DAYS. */
  reason: z.enum(["api", "retention"]),
  riskLevel: RiskLevel,
  flags: z.array(RedactedFlag),
  removed: z.object({ snapshots: z.number().int(), templates: z.number().int(), events: z.number().int(), verdicts: z.number().int().optional() }),
});
export type RedactionRecord = z.infer<typeof RedactionRecord>;
