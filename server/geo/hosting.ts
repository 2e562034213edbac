import type { IpGeo } from "../../shared/signals.js";

/**
 * Autonomous systems of clouds, hosting companies, VPN providers and privacy
 * relays. A candidate's browser traffic coming from one of them almost always
 * means a VPN, a proxy or a remote desktop. The names are the organisations
 * the shipped ASN table gives for each number.
 */
const HOSTING_ASNS: ReadonlyMap<number, string> = new Map([
  [16509, "Amazon"],
  [14618, "Amazon"],
  [15169, "Google"],
  [396982, "Google Cloud"],
  [19527, "Google"],
  [8075, "Microsoft"],
  [14061, "DigitalOcean"],
  [16276, "OVH"],
  [24940, "Hetzner"],
  [213230, "Hetzner"],
  [63949, "Linode (Akamai)"],
  [20473, "Vultr (The Constant Company, formerly Choopa)"],
  [9009, "M247"],
  [60068, "Datacamp (CDN77)"],
  [60781, "Leaseweb"],
  [28753, "Leaseweb"],
  [16265, "Leaseweb"],
  [45102, "Alibaba Cloud"],
  [37963, "Alibaba Cloud"],
  [45090, "Tencent Cloud"],
  [132203, "Tencent Cloud"],
  [31898, "Oracle Cloud"],
  [36351, "IBM Cloud (SoftLayer)"],
  [51167, "Contabo"],
  [12876, "Scaleway"],
  [40676, "Psychz Networks"],
  [21859, "Zenlayer"],
  [8100, "QuadraNet"],
  [136907, "Huawei Cloud"],
  [55990, "Huawei Cloud"],
  [147049, "PacketHub (VPN exits)"],
  [39351, "31173 Services (Mullvad VPN)"],
  [209103, "Proton VPN"],
  [62371, "Proton VPN"],
  // Cloudflare's WARP and iCloud Private Relay egress from here; both hide where the user is.
  [13335, "Cloudflare"],
]);

/** Organisation names that announce hosting or anonymising rather than home or mobile access. */
const HOSTING_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/\bvpn\b/i, "VPN"],
  [/\bproxy\b/i, "proxy"],
  [/hosting|\bhost\b/i, "hosting"],
  [/\bservers?\b/i, "server"],
  [/cloud/i, "cloud"],
  [/data ?cent(er|re)s?\b/i, "datacentre"],
  [/\bvps\b|dedicated/i, "virtual or dedicated servers"],
  [/\bcolo(cation)?\b/i, "colocation"],
];

/**
 * Says why an address's network looks like hosting or a VPN, or undefined
 * when it looks like an ordinary access network.
 */
export function hostingReason(geo: Pick<IpGeo, "asn" | "org">): string | undefined {
  if (geo.asn !== undefined) {
    const known = HOSTING_ASNS.get(geo.asn);
    if (known) return `AS${geo.asn} belongs to ${known}, a hosting, cloud or VPN network`;
  }
  if (geo.org) {
    for (const [pattern, label] of HOSTING_PATTERNS) {
      if (pattern.test(geo.org)) return `the network's name, "${geo.org}", suggests ${label}`;
    }
  }
  return undefined;
}
