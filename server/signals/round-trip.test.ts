import { describe, expect, it } from "vitest";
import type { ClaimedLocation } from "../../shared/location.js";
import { findCity } from "./cities.js";
import { buildContext } from "./context.js";
import { roundTripRule } from "./round-trip.js";
import type { SignalSettingsInput } from "./settings.js";
import { T0 } from "../../test/fixtures/signal-events.js";

const noGeo = { lookup: () => ({}) };
const frankfurt = { lat: findCity("DE", "Frankfurt")!.lat, lon: findCity("DE", "Frankfurt")!.lon };
const run = (claimed: ClaimedLocation, rttMs: number[], settings: SignalSettingsInput = { serverLocation: frankfurt }) =>
  roundTripRule(
    buildContext({
      interviewId: "iv_1",
      claimed,
      events: [],
      geo: noGeo,
      network: { report: { candidateType: "srflx", rttMs }, receivedAt: new Date(T0).toISOString() },
      settings,
      now: new Date(T0),
    }),
  );

describe("roundTripRule", () => {
  it("flags a claimed Seoul candidate answering a Frankfurt server in 12 ms, with the arithmetic", () => {
    const [flag] = run({ country: "KR", city: "Seoul" }, [14, 12, 13]);
    expect(flag).toMatchObject({
      id: "implausible_rtt",
      severity: "high",
      advisoryFlag: "location_mismatch",
      evidence: { claimedCity: "Seoul", measuredMinRttMs: 12, kmPerMsRoundTrip: 100, cityRadiusKm: 50, maxDistanceKm: 1250 },
    });
    const e = flag!.evidence as { distanceKm: number; requiredMinRttMs: number; arithmetic: string };
    expect(e.distanceKm).toBeGreaterThan(8500);
    expect(e.distanceKm).toBeLessThan(8600);
    expect(e.requiredMinRttMs).toBeCloseTo((e.distanceKm - 50) / 100, 0);
    expect(e.arithmetic).toMatch(/^\(8,5\d\d km − 50 km city allowance\) ÷ 100 km per ms = 8\d\.\d ms minimum round trip; measured 12\.0 ms$/);
  });

  it("passes a round trip the distance allows", () => {
    expect(run({ country: "KR", city: "Seoul" }, [230, 245])).toEqual([]);
    expect(run({ country: "KR", city: "Seoul" }, [86])).toEqual([]);
    expect(run({ country: "DE", city: "Berlin" }, [9])).toEqual([]);
  });

  it("needs a server location, a known city and a measurement", () => {
    expect(run({ country: "KR", city: "Seoul" }, [12], {})).toEqual([]);
    expect(run({ country: "KR" }, [12])).toEqual([]);
    expect(run({ country: "KR", city: "Atlantis" }, [12])).toEqual([]);
    expect(run({ country: "KR", city: "Seoul" }, [])).toEqual([]);
  });
});

describe("roundTripRule over several reports", () => {
  const runAll = (rtts: number[][]) =>
    roundTripRule(
      buildContext({
        interviewId: "iv_1",
        claimed: { country: "KR", city: "Seoul" },
        events: [],
        geo: noGeo,
        networks: rtts.map((rttMs, i) => ({ report: { rttMs }, receivedAt: new Date(T0 + i * 60_000).toISOString() })),
        settings: { serverLocation: frankfurt },
        now: new Date(T0),
      }),
    );

  it("keeps the flag when a later report claims slow round trips", () => {
    const [flag] = runAll([[12], [300, 310]]);
    expect(flag).toMatchObject({ id: "implausible_rtt", severity: "high", evidence: { measuredMinRttMs: 12, rttSource: "reported" } });
  });

  it("is the same whichever order the reports came in", () => {
    expect(runAll([[300], [12]])).toEqual(runAll([[12], [300]]));
  });
});
