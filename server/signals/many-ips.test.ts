import { beforeAll, describe, expect, it } from "vitest";
import type { InterviewEvent } from "../../shared/interview.js";
import { type GeoLookup, openGeoLookup } from "../geo/index.js";
import { KNOWN_IPS } from "../../test/fixtures/known-ips.js";
import { buildContext } from "./context.js";
import { busiestWindow, manyIpsRule } from "./many-ips.js";
import { T0, candidateEvent, minutes } from "../../test/fixtures/signal-events.js";

let geo: GeoLookup;
beforeAll(() => {
  geo = openGeoLookup();
});

const run = (events: InterviewEvent[], windowHours?: number) =>
  manyIpsRule(
    buildContext({
      interviewId: "iv_1",
      claimed: { country: "KR" },
      events,
      geo,
      now: new Date(T0 + minutes(600)),
      ...(windowHours ? { settings: { windowHours } } : {}),
    }),
  );

describe("manyIpsRule", () => {
  it("flags three IPs on three networks in two countries within an hour as high", () => {
    const flags = run([
      candidateEvent(KNOWN_IPS.krKoreaTelecom.ip, 0),
      candidateEvent(KNOWN_IPS.cnChinanet.ip, minutes(20)),
      candidateEvent(KNOWN_IPS.jpAmazon.ip, minutes(45)),
    ]);
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({
      id: "many_ips",
      severity: "high",
      advisoryFlag: "many_ips",
      evidence: {
        distinctIps: 3,
        distinctNetworks: ["AS4766", "AS4134", "AS16509"],
        distinctCountries: ["KR", "CN", "JP"],
      },
    });
    expect(flags[0]!.title).toBe("Link used from 3 IP addresses within 45 minutes");
  });

  it("rates two networks in one country as medium", () => {
    const flags = run([candidateEvent(KNOWN_IPS.krKoreaTelecom.ip, 0), candidateEvent(KNOWN_IPS.krSkBroadband.ip, minutes(30))]);
    expect(flags[0]).toMatchObject({ severity: "medium", evidence: { distinctNetworks: ["AS4766", "AS9318"], distinctCountries: ["KR"] } });
  });

  it("rates IPv4 and IPv6 of one carrier as low", () => {
    const flags = run([candidateEvent(KNOWN_IPS.krKoreaTelecom.ip, 0), candidateEvent(KNOWN_IPS.krKoreaTelecomV6.ip, minutes(1))]);
    expect(flags[0]).toMatchObject({ severity: "low", evidence: { distinctIps: 2, distinctNetworks: ["AS4766"] } });
  });

  it("stays quiet for one address used many times", () => {
    const ip = KNOWN_IPS.krKoreaTelecom.ip;
    expect(run([candidateEvent(ip, 0), candidateEvent(ip, minutes(5), "camera_granted"), candidateEvent(ip, minutes(6), "liveness_passed")])).toEqual([]);
  });

  it("ignores addresses further apart than the window", () => {
    const events = [candidateEvent(KNOWN_IPS.krKoreaTelecom.ip, 0), candidateEvent(KNOWN_IPS.cnChinanet.ip, minutes(60 * 30))];
    expect(run(events)).toEqual([]);
    expect(run(events, 48)[0]).toMatchObject({ severity: "high" });
  });

  it("ignores interviewer and system events", () => {
    const interviewer = { ...candidateEvent(KNOWN_IPS.usComcast.ip, minutes(2)), actor: "interviewer" as const };
    expect(run([candidateEvent(KNOWN_IPS.krKoreaTelecom.ip, 0), interviewer])).toEqual([]);
  });
});

describe("busiestWindow", () => {
  it("finds the stretch with most distinct addresses", () => {
    const s = (at: number, ip: string) => ({ at, ip, type: "link_opened" as const });
    const w = busiestWindow([s(0, "a"), s(10, "b"), s(100, "c"), s(105, "d"), s(108, "e")], 10);
    expect([...w!.ips]).toEqual(["c", "d", "e"]);
    expect(w).toMatchObject({ first: 100, last: 108 });
    expect(busiestWindow([], 10)).toBeUndefined();
  });
});
