import { describe, expect, it } from "vitest";
import type { RiskReport } from "../../shared/signals.js";
import { linkedInterviews } from "./detail.js";

const flag = (id: string, others: unknown) => ({ id, severity: "medium", advisoryFlag: "identity", title: id, explanation: id, evidence: { others } });

describe("linkedInterviews", () => {
  it("lists each other interview the reuse flags name once, with the first flag that named it", () => {
    const report = {
      flags: [
        flag("network_reused", [{ interviewId: "iv_1", candidateName: "Kim" }, { interviewId: "iv_2", candidateName: "Lee" }]),
        flag("device_reused", [{ interviewId: "iv_2", candidateName: "Lee" }, { interviewId: "iv_3" }]),
        { id: "timezone_mismatch", severity: "low", advisoryFlag: "location_mismatch", title: "t", explanation: "e" },
      ],
    } as unknown as RiskReport;
    expect(linkedInterviews(report)).toEqual([
      { interviewId: "iv_1", candidateName: "Kim", flag: "network_reused" },
      { interviewId: "iv_2", candidateName: "Lee", flag: "network_reused" },
      { interviewId: "iv_3", candidateName: "iv_3", flag: "device_reused" },
    ]);
  });
});
