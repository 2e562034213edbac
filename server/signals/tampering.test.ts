import { describe, expect, it } from "vitest";
import type { EnvironmentReport } from "../../shared/signals.js";
import { buildContext } from "./context.js";
import { tamperingRule } from "./tampering.js";
import { RECEIVED_AT, T0, environmentIn, minutes } from "./testing.js";

const noGeo = { lookup: () => ({}) };
const run = (report: EnvironmentReport, clockSkewSeconds?: number) =>
  tamperingRule(
    buildContext({
      interviewId: "iv_1",
      events: [],
      geo: noGeo,
      environment: { report, receivedAt: RECEIVED_AT },
      now: new Date(T0),
      ...(clockSkewSeconds ? { settings: { clockSkewSeconds } } : {}),
    }),
  );

describe("tamperingRule", () => {
  it("passes an honest browser", () => {
    expect(run(environmentIn("Asia/Seoul"))).toEqual([]);
    expect(run(environmentIn("America/New_York"))).toEqual([]);
  });

  it("flags a page that says Seoul while its worker says Shanghai", () => {
    const shanghai = environmentIn("Asia/Shanghai");
    const report = { ...environmentIn("Asia/Seoul"), worker: shanghai.worker! };
    const [flag] = run(report);
    expect(flag).toMatchObject({
      id: "worker_mismatch",
      severity: "medium",
      evidence: {
        page: { timeZone: "Asia/Seoul", offsetJanuary: -540 },
        worker: { timeZone: "Asia/Shanghai", offsetJanuary: -480 },
      },
    });
  });

  it("flags a zone name whose offsets are not its own", () => {
    const seoulName = { ...environmentIn("Asia/Shanghai"), timeZone: "Asia/Seoul", worker: undefined };
    const [flag] = run(seoulName);
    expect(flag).toMatchObject({
      id: "zone_offset_mismatch",
      evidence: { expectedForZone: { timeZone: "Asia/Seoul", offsetJanuary: -540, offsetJuly: -540 }, reported: { offsetJanuary: -480 } },
    });
  });

  it("flags clock skew over the threshold, low for minutes and medium for whole hours", () => {
    expect(run(environmentIn("Asia/Seoul", { clientTime: T0 + 119_000 }))).toEqual([]);
    const [minutesOff] = run(environmentIn("Asia/Seoul", { clientTime: T0 - minutes(5) }));
    expect(minutesOff).toMatchObject({ id: "clock_skew", severity: "low", evidence: { skewSeconds: -300, thresholdSeconds: 120 } });
    const [hourOff] = run(environmentIn("Asia/Seoul", { clientTime: T0 + minutes(60 * 1 + 61) }));
    expect(hourOff).toMatchObject({ severity: "medium", title: "The computer's clock is 2.0 hours ahead" });
    expect(hourOff!.explanation).toMatch(/set by hand/);
  });

  it("honours the threshold setting", () => {
    expect(run(environmentIn("Asia/Seoul", { clientTime: T0 + 30_000 }), 10)[0]).toMatchObject({ id: "clock_skew" });
  });
});
