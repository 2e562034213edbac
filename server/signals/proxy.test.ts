import { beforeAll, describe, expect, it } from "vitest";
import type { NetworkReport } from "../../shared/signals.js";
import { type GeoLookup, openGeoLookup } from "../geo/index.js";
import { KNOWN_IPS } from "../../test/fixtures/known-ips.js";
import { buildContext } from "./context.js";
import { proxyRule } from "./proxy.js";
import { T0, candidateEvent } from "../../test/fixtures/signal-events.js";

let geo: GeoLookup;
beforeAll(() => {
  geo = openGeoLookup();
});

const run = (ips: string[], network?: NetworkReport) =>
  proxyRule(
    buildContext({
      interviewId: "iv_1",
      claimed: { country: "JP" },
      events: ips.map((ip) => candidateEvent(ip)),
      geo,
      ...(network ? { network: { report: network, receivedAt: new Date(T0).toISOString() } } : {}),
      now: new Date(T0),
    }),
  );

describe("proxyRule", () => {
  it("flags an address in Amazon's Tokyo region", () => {
    const [flag] = run([KNOWN_IPS.jpAmazon.ip]);
    expect(flag).toMatchObject({
      id: "hosting_network",
      severity: "medium",
      evidence: { ips: [{ ip: "13.112.0.1", country: "JP", asn: 16509, org: "Amazon.com, Inc." }] },
    });
    expect(flag!.explanation).toContain("13.112.0.1 (Amazon.com, Inc., Japan (JP))");
  });

  it("flags Tencent Cloud", () => {
    expect(run([KNOWN_IPS.cnTencentCloud.ip])[0]).toMatchObject({ id: "hosting_network", evidence: { ips: [{ asn: 45090 }] } });
  });

  it("flags a TURN relay as low and a VPN interface as medium", () => {
    const flags = run([KNOWN_IPS.jpKddi.ip], { candidateType: "relay", relayProtocol: "tls", networkType: "vpn", rttMs: [40] });
    expect(flags.map((f) => [f.id, f.severity])).toEqual([
      ["relay_connection", "low"],
      ["vpn_interface", "medium"],
    ]);
    expect(flags[0]!.evidence).toEqual({ candidateType: "relay", relayProtocol: "tls" });
  });

  it("passes a home connection with a direct path", () => {
    expect(run([KNOWN_IPS.jpKddi.ip], { candidateType: "srflx", networkType: "wifi", rttMs: [30, 32] })).toEqual([]);
  });
});
