import { describe, expect, it } from "vitest";
import type { InterviewEvent } from "../../shared/interview.js";
import { buildContext } from "./context.js";
import { observationRule } from "./observations.js";
import { T0, minutes } from "../../test/fixtures/signal-events.js";

const noGeo = { lookup: () => ({}) };
const observed = (i: number, data: Record<string, unknown>): InterviewEvent =>
  ({
  id: i,
  type: "interviewer_observed",
  at: new Date(T0 + minutes(i)).toISOString(),
  actor: "interviewer",
  ip: null,
  userAgent: null,
  data,
  }) as InterviewEvent;
const run = (events: InterviewEvent[]) => observationRule(buildContext({ interviewId: "iv_1", events, geo: noGeo, now: new Date(T0) }));

describe("observationRule", () => {
  it("raises one flag per item, payment items high, with who and when", () => {
    const flags = run([
      observed(1, { items: ["asked_crypto_payment", "refused_or_avoided_video"], via: "interviewer_link" }),
      observed(2, { items: ["asked_crypto_payment"], via: "api", note: "again" }),
    ]);
    expect(flags.map((f) => [f.id, f.severity, f.advisoryFlag])).toEqual([
      ["observed_crypto_payment", "high", "payment"],
      ["observed_refused_or_avoided_video", "medium", "refuses_video"],
    ]);
    expect(flags[0]!.evidence).toMatchObject({
      observedBy: "interviewer",
      via: "interviewer_link",
      firstObservedAt: new Date(T0 + minutes(1)).toISOString(),
      observations: [expect.objectContaining({ via: "interviewer_link" }), expect.objectContaining({ via: "api", note: "again" })],
    });
  });

  it("maps location contradictions to the location flag and ignores malformed data", () => {
    const flags = run([observed(1, { items: ["location_contradicted"], via: "api" }), observed(2, { items: ["nonsense"], via: "api" })]);
    expect(flags).toEqual([expect.objectContaining({ id: "observed_location_contradicted", severity: "medium", advisoryFlag: "location_mismatch" })]);
  });
});
