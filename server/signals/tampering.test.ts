import { describe, expect, it } from "vitest";
import type { EnvironmentReport } from "../../shared/signals.js";
import { buildContext } from "./context.js";
import { tamperingRule } from "./tampering.js";
import { RECEIVED_AT, T0, environmentIn, minutes } from "../../test/fixtures/signal-events.js";

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

describe("tamperingRule over several reports", () => {
  const runAll = (reports: EnvironmentReport[]) =>
    tamperingRule(
      buildContext({
        interviewId: "iv_1",
        events: [],
        geo: noGeo,
        environments: reports.map((report, i) => ({ report, receivedAt: new Date(T0 + i * 60_000).toISOString() })),
        now: new Date(T0),
      }),
    );

  it("flags a zone that changes inside one interview, keeping both readings", () => {
    const flags = runAll([environmentIn("Asia/Shanghai"), environmentIn("Asia/Seoul")]);
    const changed = flags.find((f) => f.id === "zone_changed");
    expect(changed).toMatchObject({ severity: "medium", advisoryFlag: "location_mismatch" });
    expect((changed!.evidence.readings as Array<{ timeZone: string }>).map((r) => r.timeZone)).toEqual(["Asia/Shanghai", "Asia/Seoul"]);
  });

  it("flags changed offsets under the same zone name", () => {
    const seoul = environmentIn("Asia/Seoul");
    const flags = runAll([seoul, { ...seoul, offsetJanuary: -480, offsetJuly: -480, worker: undefined }]);
    expect(flags.map((f) => f.id)).toContain("zone_changed");
  });

  it("does not flag repeated identical reports", () => {
    expect(runAll([environmentIn("Asia/Seoul"), environmentIn("Asia/Seoul")])).toEqual([]);
  });

  it("keeps an earlier worker mismatch after a clean report", () => {
    const shanghai = environmentIn("Asia/Shanghai");
    const tampered = { ...environmentIn("Asia/Seoul"), worker: shanghai.worker! };
    const ids = runAll([tampered, environmentIn("Asia/Seoul")]).map((f) => f.id);
    expect(ids).toContain("worker_mismatch");
  });
});
