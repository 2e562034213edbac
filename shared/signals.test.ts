import { describe, expect, it } from "vitest";
import { EnvironmentReport, LanguageTag, NetworkReport, RiskReport } from "./signals.js";

const seoul = { timeZone: "Asia/Seoul", offsetJanuary: -540, offsetJuly: -540 };
const valid = {
  ...seoul,
  worker: seoul,
  languages: ["ko-KR", "ko", "en-US"],
  locale: "ko-KR",
  connection: { effectiveType: "4g", rtt: 50, downlink: 10 },
  clientTime: Date.parse("2026-03-02T09:00:00Z"),
};

describe("EnvironmentReport", () => {
  it("accepts what a browser in Seoul reports", () => {
    expect(EnvironmentReport.parse(valid)).toEqual(valid);
    const { worker: _w, connection: _c, ...minimal } = valid;
    expect(EnvironmentReport.safeParse(minimal).success).toBe(true);
  });

  it("refuses unknown zones, fractional or out-of-range offsets, and non-finite numbers", () => {
    for (const bad of [
      { timeZone: "Asia/Atlantis" },
      { timeZone: "../../etc/passwd" },
      { offsetJanuary: 841 },
      { offsetJuly: -900 },
      { offsetJanuary: 1.5 },
      { offsetJanuary: Number.NaN },
      { offsetJuly: Number.POSITIVE_INFINITY },
      { worker: { ...seoul, timeZone: "Mars/Olympus" } },
    ]) {
      expect(EnvironmentReport.safeParse({ ...valid, ...bad }).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it("refuses clock values outside 2000-2100 and malformed language tags", () => {
    expect(EnvironmentReport.safeParse({ ...valid, clientTime: 0 }).success).toBe(false);
    expect(EnvironmentReport.safeParse({ ...valid, clientTime: 5e12 }).success).toBe(false);
    expect(EnvironmentReport.safeParse({ ...valid, locale: "not a tag!" }).success).toBe(false);
    expect(LanguageTag.safeParse("zh-Hans-CN").success).toBe(true);
  });

  it("refuses oversized payloads and unknown fields", () => {
    expect(EnvironmentReport.safeParse({ ...valid, languages: Array(21).fill("en") }).success).toBe(false);
    expect(EnvironmentReport.safeParse({ ...valid, locale: `en-${"a".repeat(8)}-`.repeat(10) }).success).toBe(false);
    expect(EnvironmentReport.safeParse({ ...valid, connection: { effectiveType: "x".repeat(100) } }).success).toBe(false);
    expect(EnvironmentReport.safeParse({ ...valid, connection: { rtt: 1e9 } }).success).toBe(false);
    expect(EnvironmentReport.safeParse({ ...valid, extra: "x".repeat(10_000) }).success).toBe(false);
    expect(EnvironmentReport.safeParse({ ...valid, worker: { ...seoul, extra: 1 } }).success).toBe(false);
  });
});

describe("NetworkReport", () => {
  it("accepts a selected pair with RTT samples", () => {
    const report = { candidateType: "srflx", remoteCandidateType: "host", networkType: "wifi", protocol: "udp", rttMs: [31.5, 29, 30] };
    expect(NetworkReport.parse(report)).toEqual(report);
    expect(NetworkReport.parse({ rttMs: [] })).toEqual({ rttMs: [] });
  });

  it("refuses unknown candidate types, negative or huge RTTs and too many samples", () => {
    expect(NetworkReport.safeParse({ candidateType: "tunnel", rttMs: [] }).success).toBe(false);
    expect(NetworkReport.safeParse({ rttMs: [-1] }).success).toBe(false);
    expect(NetworkReport.safeParse({ rttMs: [120_000] }).success).toBe(false);
    expect(NetworkReport.safeParse({ rttMs: Array(121).fill(30) }).success).toBe(false);
    expect(NetworkReport.safeParse({ rttMs: [], secret: 1 }).success).toBe(false);
  });
});

describe("RiskReport", () => {
  it("describes a report with a flag, an address and the verification outcome", () => {
    const report = {
      interviewId: "iv_1",
      generatedAt: "2026-03-02T10:00:00.000Z",
      level: "high",
      claimedLocation: { country: "KR" },
      flags: [
        {
          id: "timezone_mismatch",
          severity: "high",
          advisoryFlag: "location_mismatch",
          title: "Browser time zone Asia/Shanghai does not match South Korea (KR)",
          explanation: "The candidate's browser is set to China's time zone.",
          evidence: { reportedZone: "Asia/Shanghai" },
        },
      ],
      ips: [
        {
          ip: "1.48.0.1",
          country: "CN",
          asn: 4134,
          org: "Chinanet",
          hosting: false,
          private: false,
          firstSeen: "2026-03-02T09:00:00.000Z",
          lastSeen: "2026-03-02T09:05:00.000Z",
          count: 2,
          source: "measured",
        },
      ],
      environment: null,
      environments: [],
      network: null,
      verification: { status: "passed", camera: "granted", attempts: 1, passedAt: "2026-03-02T09:04:00.000Z" },
    };
    expect(RiskReport.parse(report)).toEqual(report);
    expect(RiskReport.safeParse({ ...report, level: "amber" }).success).toBe(false);
    expect(RiskReport.safeParse({ ...report, flags: [{ ...report.flags[0], advisoryFlag: "bad_hair" }] }).success).toBe(false);
  });
});
