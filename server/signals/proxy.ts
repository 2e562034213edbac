import type { RiskFlag } from "../../shared/signals.js";
import type { SignalContext } from "./context.js";
import { countryName } from "./flags.js";

/**
 * Hints of a VPN or proxy: addresses on hosting, cloud or VPN networks; media
 * relayed through TURN; or Chromium reporting the network interface as a VPN.
 */
export function proxyRule(ctx: SignalContext): RiskFlag[] {
  const flags: RiskFlag[] = [];
  const hosted = ctx.ips.filter((o) => o.hosting);
  if (hosted.length) {
    flags.push({
      id: "hosting_network",
      severity: "medium",
      advisoryFlag: "location_mismatch",
      title: `Connected through ${hosted.length === 1 ? "a hosting or VPN network" : `${hosted.length} hosting or VPN addresses`}`,
      explanation:
        `The candidate connected from ${hosted.map((o) => `${o.ip} (${o.org ?? `AS${o.asn}`}, ${countryName(o.country)})`).join("; ")}. ` +
        `Homes and phones are not on these networks: a VPN, a proxy, a cloud computer or a remote desktop is. ` +
        `It hides where the candidate really is, so the location evidence is weaker.`,
      evidence: {
        ips: hosted.map((o) => ({ ip: o.ip, country: o.country, asn: o.asn, org: o.org, reason: o.hostingReason })),
      },
    });
  }

  const net = ctx.network?.report;
  if (net?.candidateType === "relay") {
    flags.push({
      id: "relay_connection",
      severity: "low",
      advisoryFlag: "location_mismatch",
      title: "Video relayed through a TURN server",
      explanation:
        "The candidate's video reaches the interview through a relay server instead of directly. " +
        "Strict office firewalls cause this, but so do tools that hide the candidate's own address.",
      evidence: {
        candidateType: net.candidateType,
        ...(net.relayProtocol ? { relayProtocol: net.relayProtocol } : {}),
        ...(net.remoteCandidateType ? { remoteCandidateType: net.remoteCandidateType } : {}),
      },
    });
  }
  if (net?.networkType === "vpn") {
    flags.push({
      id: "vpn_interface",
      severity: "medium",
      advisoryFlag: "location_mismatch",
      title: "The browser reports a VPN network interface",
      explanation:
        "The candidate's browser says the video leaves the computer through a VPN adapter, " +
        "so the address the kit sees is the VPN's, not the candidate's.",
      evidence: { networkType: net.networkType },
    });
  }
  return flags;
}
