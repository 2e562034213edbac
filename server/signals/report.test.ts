import { beforeAll, describe, expect, it } from "vitest";
import type { InterviewEvent } from "../../shared/interview.js";
import { RiskReport } from "../../shared/signals.js";
import { type GeoLookup, openGeoLookup } from "../geo/index.js";
import { KNOWN_IPS } from "../../test/fixtures/known-ips.js";
import { findCity } from "./cities.js";
import { buildRiskReport, summariseVerification } from "./report.js";
import { RECEIVED_AT, T0, candidateEvent, environmentIn, minutes } from "../../test/fixtures/signal-events.js";

let geo: GeoLookup;
beforeAll(() => {
  geo = openGeoLookup();
});

const frankfurt = { lat: findCity("DE", "Frankfurt")!.lat, lon: findCity("DE", "Frankfurt")!.lon };
/** The event with other data, taken as typed (as `candidateEvent`'s are). */
const withData = (e: InterviewEvent, data: Record<string, unknown>): InterviewEvent => ({ ...e, data }) as InterviewEvent;

describe("buildRiskReport", () => {
  it("is clear, with no flags, when everything matches the claim", () => {
    const ip = KNOWN_IPS.krKoreaTelecom.ip;
    const report = buildRiskReport({
      interviewId: "iv_ok",
      claimed: { country: "KR", city: "Seoul", timezone: "Asia/Seoul" },
      events: [
        candidateEvent(ip, 0),
        candidateEvent(ip, minutes(1), "camera_granted"),
        candidateEvent(ip, minutes(2), "liveness_started"),
        candidateEvent(ip, minutes(3), "liveness_passed"),
      ],
      geo,
      environment: { report: environmentIn("Asia/Seoul", { languages: ["ko-KR", "en-US"], locale: "ko-KR" }), receivedAt: RECEIVED_AT },
      network: { report: { candidateType: "srflx", networkType: "wifi", rttMs: [251, 248, 260] }, receivedAt: RECEIVED_AT },
      settings: { serverLocation: frankfurt },
      now: new Date(T0 + minutes(10)),
    });
    expect(report.flags).toEqual([]);
    expect(report.level).toBe("clear");
    expect(report.ips).toEqual([
      {
        ip,
        country: "KR",
        asn: 4766,
        org: "Korea Telecom",
        hosting: false,
        private: false,
        firstSeen: new Date(T0).toISOString(),
        lastSeen: new Date(T0 + minutes(3)).toISOString(),
        count: 4,
        source: "measured",
      },
    ]);
    expect(report.environment).toMatchObject({ skewMs: 0, zoneCountry: "KR", source: "reported" });
    expect(report.network).toMatchObject({ minRttMs: 248, source: "reported", rttSource: "reported" });
    expect(report.verification).toEqual({ status: "passed", camera: "granted", attempts: 1, passedAt: new Date(T0 + minutes(3)).toISOString() });
    expect(RiskReport.parse(JSON.parse(JSON.stringify(report)))).toEqual(report);
  });

  it("is high, with the evidence for each red flag, in the advisory's pattern", () => {
    const report = buildRiskReport({
      interviewId: "iv_bad",
      claimed: { country: "JP", city: "Tokyo" },
      events: [
        candidateEvent(KNOWN_IPS.cnChinanet.ip, 0),
        candidateEvent(KNOWN_IPS.krAmazon.ip, minutes(15)),
        candidateEvent(KNOWN_IPS.jpKddi.ip, minutes(40)),
        candidateEvent(KNOWN_IPS.jpKddi.ip, minutes(41), "camera_refused"),
      ],
      geo,
      environment: {
        report: { ...environmentIn("Asia/Tokyo"), worker: environmentIn("Asia/Shanghai").worker!, clientTime: T0 - minutes(60) },
        receivedAt: RECEIVED_AT,
      },
      network: { report: { candidateType: "relay", relayProtocol: "tcp", rttMs: [9, 11] }, receivedAt: RECEIVED_AT },
      settings: { serverLocation: frankfurt },
      now: new Date(T0 + minutes(60)),
    });
    expect(report.level).toBe("high");
    expect(report.flags.map((f) => [f.id, f.severity])).toEqual([
      ["many_ips", "high"],
      ["timezone_mismatch", "high"],
      ["ip_country_mismatch", "high"],
      ["implausible_rtt", "high"],
      ["camera_refused", "medium"],
      ["ip_timezone_mismatch", "medium"],
      ["hosting_network", "medium"],
      ["worker_mismatch", "medium"],
      ["relay_connection", "low"],
      ["clock_skew", "low"],
    ]);
    expect(report.flags.find((f) => f.id === "many_ips")!.advisoryFlag).toBe("many_ips");
    expect(report.flags.find((f) => f.id === "camera_refused")!.advisoryFlag).toBe("refuses_video");
    expect(report.ips.map((o) => [o.ip, o.country, o.hosting])).toEqual([
      ["1.48.0.1", "CN", false],
      ["13.124.0.1", "KR", true],
      ["14.8.0.1", "JP", false],
    ]);
    expect(report.verification).toEqual({ status: "not_started", camera: "refused", attempts: 0 });
  });

  it("runs with no claim and no reports, as right after the link is first opened", () => {
    const report = buildRiskReport({ interviewId: "iv_new", events: [candidateEvent("127.0.0.1")], geo, now: new Date(T0) });
    expect(report).toMatchObject({ level: "clear", flags: [], environment: null, network: null });
    expect(report.ips).toEqual([expect.objectContaining({ ip: "127.0.0.1", private: true, hosting: false })]);
  });
});

describe("summariseVerification", () => {
  it("counts attempts and keeps the last failure until a pass", () => {
    const events = [
      candidateEvent(null, 0, "camera_granted"),
      candidateEvent(null, minutes(1), "liveness_started"),
      withData(candidateEvent(null, minutes(2), "liveness_failed"), { failure: "NoFace" }),
    ];
    expect(summariseVerification(events)).toEqual({ status: "failed", camera: "granted", attempts: 1, lastFailure: "NoFace" });
    const retried = [...events, candidateEvent(null, minutes(3), "liveness_started")];
    expect(summariseVerification(retried).status).toBe("in_progress");
    const passed = [...retried, candidateEvent(null, minutes(4), "liveness_passed")];
    expect(summariseVerification(passed)).toMatchObject({ status: "passed", attempts: 2, lastFailure: "NoFace" });
    expect(summariseVerification([])).toEqual({ status: "not_started", camera: "unknown", attempts: 0 });
  });
});

describe("buildRiskReport with several self-reported values", () => {
  const at = (m: number) => new Date(T0 + minutes(m)).toISOString();
  const build = (input: Partial<Parameters<typeof buildRiskReport>[0]>) =>
    buildRiskReport({
      interviewId: "iv_multi",
      claimed: { country: "KR", city: "Seoul", timezone: "Asia/Seoul" },
      events: [],
      geo,
      settings: { serverLocation: frankfurt },
      now: new Date(T0 + minutes(10)),
      ...input,
    });

  it("stays high after Shanghai then Seoul, and adds the change flag", () => {
    const report = build({
      environments: [
        { report: environmentIn("Asia/Shanghai"), receivedAt: at(0) },
        { report: environmentIn("Asia/Seoul"), receivedAt: at(1) },
      ],
    });
    expect(report.level).toBe("high");
    expect(report.flags.map((f) => f.id)).toEqual(expect.arrayContaining(["timezone_mismatch", "zone_changed"]));
    expect(report.environment?.report.timeZone).toBe("Asia/Seoul");
    expect(report.environments.map((e) => e.report.timeZone)).toEqual(["Asia/Shanghai", "Asia/Seoul"]);
  });

  it("never lets a reported round trip of 1 ms remove or lower a flag", () => {
    const environments = [{ report: environmentIn("Asia/Shanghai"), receivedAt: at(0) }];
    const before = build({ environments });
    const after = build({ environments, networks: [{ report: { rttMs: [1] }, receivedAt: at(1) }] });
    expect(after.level).toBe("high");
    for (const flag of before.flags) {
      expect(after.flags.find((f) => f.id === flag.id)?.severity).toBe(flag.severity);
    }
    // A later report of slow round trips does not take the short one back.
    const later = build({
      environments,
      networks: [
        { report: { rttMs: [1] }, receivedAt: at(1) },
        { report: { rttMs: [280] }, receivedAt: at(2) },
      ],
    });
    expect(later.network).toMatchObject({ minRttMs: 1, rttSource: "reported" });
    expect(later.flags.map((f) => f.id)).toEqual(after.flags.map((f) => f.id));
  });
});
