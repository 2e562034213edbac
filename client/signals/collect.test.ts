import { afterEach, describe, expect, it } from "vitest";
import { EnvironmentReport, NetworkReport, ZoneReading } from "../../shared/signals.js";
import chromiumStats from "./chromium-stats.fixture.json" with { type: "json" };
import {
  type StatsEntry,
  ZONE_WORKER_SOURCE,
  collectEnvironment,
  collectNetwork,
  readConnection,
  readZone,
  readZoneInWorker,
} from "./collect.js";

/**
 * `chromium-stats.fixture.json` is the real `getStats()` output of Debian
 * Chromium 156 for two loopback peer connections (addresses are blank there).
 * Its transport names pair CP18jjdKbr_fiPBoQQ0 (3 ms) although a second pair is also nominated.
 */
const stats = chromiumStats as StatsEntry[];
const clone = () => structuredClone(stats);
const originalTz = process.env.TZ;

afterEach(() => {
  process.env.TZ = originalTz;
});

describe("readZone", () => {
  it("reads the zone and its January and July offsets", () => {
    process.env.TZ = "Asia/Seoul";
    expect(readZone()).toEqual({ timeZone: "Asia/Seoul", offsetJanuary: -540, offsetJuly: -540 });
    process.env.TZ = "America/New_York";
    expect(readZone()).toEqual({ timeZone: "America/New_York", offsetJanuary: 300, offsetJuly: 240 });
  });

  it("gives the worker the same program", () => {
    process.env.TZ = "Asia/Shanghai";
    let posted: unknown;
    new Function("postMessage", ZONE_WORKER_SOURCE)((value: unknown) => (posted = value));
    expect(ZoneReading.parse(posted)).toEqual({ timeZone: "Asia/Shanghai", offsetJanuary: -480, offsetJuly: -480 });
  });

  it("goes without the worker where there are no Web Workers", async () => {
    expect(await readZoneInWorker(50)).toBeUndefined();
  });
});

describe("collectEnvironment", () => {
  it("produces a report the server accepts", async () => {
    process.env.TZ = "Asia/Tokyo";
    const before = Date.now();
    const report = await collectEnvironment(before - 1000);
    expect(EnvironmentReport.parse(report)).toEqual(report);
    expect(report).toMatchObject({ timeZone: "Asia/Tokyo", offsetJanuary: -540, offsetJuly: -540, serverTime: before - 1000 });
    expect(report.clientTime).toBeGreaterThanOrEqual(before);
  });

  it("leaves out the server time when none is given", async () => {
    expect((await collectEnvironment()).serverTime).toBeUndefined();
  });
});

describe("readConnection", () => {
  it("keeps the wire contract's fields and bounds", () => {
    expect(readConnection({ effectiveType: "4g", rtt: 100, downlink: 1.4 })).toEqual({ effectiveType: "4g", rtt: 100, downlink: 1.4 });
    expect(readConnection({ effectiveType: "<script>", rtt: -5, downlink: Number.POSITIVE_INFINITY })).toBeUndefined();
    expect(readConnection(undefined)).toBeUndefined();
  });
});

describe("collectNetwork", () => {
  it("reads the pair Chromium's transport selected", () => {
    const report = collectNetwork(clone());
    expect(report).toEqual({ candidateType: "host", remoteCandidateType: "host", networkType: "unknown", protocol: "udp", rttMs: [3] });
    expect(NetworkReport.parse(report)).toEqual(report);
  });

  it("accepts an RTCStatsReport-like map and accumulates samples", () => {
    const map = new Map(clone().map((e) => [e.id, e]));
    const first = collectNetwork(map);
    const second = collectNetwork(map, first);
    expect(second.rttMs).toEqual([3, 3]);
    const full = { ...first, rttMs: Array.from({ length: 120 }, (_, i) => i) };
    expect(collectNetwork(map, full).rttMs).toHaveLength(120);
    expect(collectNetwork(map, full).rttMs.at(-1)).toBe(3);
  });

  it("finds the pair Firefox marks selected", () => {
    const entries = clone();
    delete entries.find((e) => e.type === "transport")!.selectedCandidatePairId;
    const other = entries.find((e) => e.id === "CPFdGyVxYc_mt3M3e7B")!;
    other.selected = true;
    expect(collectNetwork(entries).rttMs).toEqual([1]);
  });

  it("falls back to a nominated, succeeded pair", () => {
    const entries = clone();
    delete entries.find((e) => e.type === "transport")!.selectedCandidatePairId;
    expect(collectNetwork(entries).rttMs).toEqual([3]);
  });

  it("reports a TURN relay and a VPN interface", () => {
    const entries = clone();
    const local = entries.find((e) => e.id === "I18jjdKbr")!;
    Object.assign(local, { candidateType: "relay", relayProtocol: "tls", networkType: "vpn", protocol: "udp" });
    expect(collectNetwork(entries)).toMatchObject({ candidateType: "relay", relayProtocol: "tls", networkType: "vpn" });
  });

  it("keeps what it had when no pair is selected yet, and drops junk values", () => {
    const withoutPairs = clone().filter((e) => e.type !== "candidate-pair");
    expect(collectNetwork(withoutPairs, { candidateType: "srflx", rttMs: [20] })).toEqual({ candidateType: "srflx", rttMs: [20] });
    const entries = clone();
    Object.assign(entries.find((e) => e.id === "CP18jjdKbr_fiPBoQQ0")!, { currentRoundTripTime: Number.NaN });
    Object.assign(entries.find((e) => e.id === "I18jjdKbr")!, { candidateType: "weird", networkType: "Wi Fi!" });
    expect(collectNetwork(entries)).toEqual({ remoteCandidateType: "host", protocol: "udp", rttMs: [] });
  });
});
