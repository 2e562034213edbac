import { describe, expect, it } from "vitest";
import type { ClaimedLocation } from "../../shared/location.js";
import type { EnvironmentReport } from "../../shared/signals.js";
import { buildContext } from "./context.js";
import { timezoneRule } from "./timezone.js";
import { RECEIVED_AT, T0, environmentIn } from "../../test/fixtures/signal-events.js";

// The rule reads only the claim and the environment report, so no IP lookups are needed.
const noGeo = { lookup: () => ({}) };
const run = (claimed: ClaimedLocation, report: EnvironmentReport) =>
  timezoneRule(
    buildContext({ interviewId: "iv_1", claimed, events: [], geo: noGeo, environment: { report, receivedAt: RECEIVED_AT }, now: new Date(T0) }),
  );

describe("timezoneRule", () => {
  it("flags a Korean claim with an Asia/Shanghai browser as high", () => {
    const [flag, ...rest] = run({ country: "KR" }, environmentIn("Asia/Shanghai"));
    expect(rest).toEqual([]);
    expect(flag).toMatchObject({
      id: "timezone_mismatch",
      severity: "high",
      advisoryFlag: "location_mismatch",
      evidence: {
        source: "page",
        reportedZone: "Asia/Shanghai",
        zoneCountries: ["CN"],
        reportedOffsets: { january: "UTC+08:00", july: "UTC+08:00" },
        claimedCountry: "KR",
        claimedZones: ["Asia/Seoul"],
        sameOffsetAsClaim: false,
      },
    });
    expect(flag!.explanation).toMatch(/pattern the advisory describes/);
  });

  it("flags a Japanese claim with a Vladivostok browser as high", () => {
    expect(run({ country: "JP" }, environmentIn("Asia/Vladivostok"))[0]).toMatchObject({ severity: "high", evidence: { zoneCountries: ["RU"] } });
  });

  it("flags a Korean claim with a Pyongyang browser as high even though the hour is the same", () => {
    expect(run({ country: "KR" }, environmentIn("Asia/Pyongyang"))[0]).toMatchObject({ severity: "high", evidence: { sameOffsetAsClaim: true } });
  });

  it("passes a browser in the claimed country or zone", () => {
    expect(run({ country: "KR" }, environmentIn("Asia/Seoul"))).toEqual([]);
    expect(run({ country: "KR", timezone: "Asia/Seoul" }, environmentIn("Asia/Seoul"))).toEqual([]);
    expect(run({ country: "RU" }, environmentIn("Asia/Vladivostok"))).toEqual([]);
    expect(run({ country: "IN", timezone: "Asia/Kolkata" }, environmentIn("Asia/Calcutta"))).toEqual([]);
  });

  it("rates another country's zone with the same hour as low", () => {
    expect(run({ country: "KR" }, environmentIn("Asia/Tokyo"))[0]).toMatchObject({ severity: "low", evidence: { sameOffsetAsClaim: true } });
  });

  it("rates another zone of the claimed country as low", () => {
    expect(run({ country: "US", timezone: "America/New_York" }, environmentIn("America/Chicago"))[0]).toMatchObject({ severity: "low" });
  });

  it("rates an unrelated country with another hour as medium", () => {
    // Europe/Berlin also serves DK, NO and SE since tzdata merged their zones; its main country is DE.
    expect(run({ country: "JP" }, environmentIn("Europe/Berlin"))[0]).toMatchObject({
      severity: "medium",
      evidence: { zoneCountries: expect.arrayContaining(["DE", "SE"]) },
    });
    expect(run({ country: "SE" }, environmentIn("Europe/Stockholm"))).toEqual([]);
  });

  it("judges UTC by its offset and says why it may be innocent", () => {
    const [flag] = run({ country: "KR" }, environmentIn("UTC"));
    expect(flag).toMatchObject({ severity: "medium", evidence: { zoneCountries: [] } });
    expect(flag!.explanation).toMatch(/privacy settings/);
    // Iceland keeps UTC all year, so a UTC browser there reads the right hour; Britain moves to UTC+1 in summer.
    expect(run({ country: "IS" }, environmentIn("UTC"))[0]).toMatchObject({ severity: "low" });
    expect(run({ country: "GB" }, environmentIn("UTC"))[0]).toMatchObject({ severity: "medium" });
  });

  it("judges the worker's zone too, when a page was made to say Tokyo", () => {
    const report = { ...environmentIn("Asia/Tokyo"), worker: environmentIn("Asia/Shanghai").worker! };
    expect(run({ country: "JP" }, report)).toEqual([
      expect.objectContaining({ severity: "high", evidence: expect.objectContaining({ source: "worker", reportedZone: "Asia/Shanghai" }) }),
    ]);
  });

  it("needs both a claim and a report", () => {
    const ctx = buildContext({ interviewId: "iv_1", events: [], geo: noGeo, now: new Date(T0) });
    expect(timezoneRule(ctx)).toEqual([]);
  });
});

describe("timezoneRule over several reports", () => {
  const runAll = (claimed: ClaimedLocation, reports: EnvironmentReport[]) =>
    timezoneRule(
      buildContext({
        interviewId: "iv_1",
        claimed,
        events: [],
        geo: noGeo,
        environments: reports.map((report, i) => ({ report, receivedAt: new Date(T0 + i * 60_000).toISOString() })),
        now: new Date(T0),
      }),
    );

  it("keeps the Shanghai flag when a later report says Seoul", () => {
    const [flag] = runAll({ country: "KR", timezone: "Asia/Seoul" }, [environmentIn("Asia/Shanghai"), environmentIn("Asia/Seoul")]);
    expect(flag).toMatchObject({
      id: "timezone_mismatch",
      severity: "high",
      evidence: { reportedZone: "Asia/Shanghai", provenance: "reported", reportsJudged: 2, reportsFlagged: 1 },
    });
  });

  it("flags on any report, whichever came first", () => {
    const [flag] = runAll({ country: "KR" }, [environmentIn("Asia/Seoul"), environmentIn("Asia/Shanghai"), environmentIn("Asia/Seoul")]);
    expect(flag).toMatchObject({ id: "timezone_mismatch", severity: "high", evidence: { reportedZone: "Asia/Shanghai" } });
  });
});
