import dns from "node:dns";
import { BlockList, isIP } from "node:net";
import { AppError } from "../errors/index.js";

/** One resolved address of an endpoint's host. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address it has (A and AAAA); tests may inject their own. */
export type Resolver = (host: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = async (host) =>
  (await dns.promises.lookup(host, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));

/**
 * Address ranges a webhook may not reach unless private targets are allowed: the kit's own
 * machine, its private networks and the cloud metadata service (169.254.169.254).
 * Node's BlockList also matches IPv4-mapped IPv6 addresses (::ffff:127.0.0.1) against the IPv4 rules.
 */
const RANGES: Array<[label: string, subnets: Array<[string, number, "ipv4" | "ipv6"]>]> = [
  ["loopback", [["127.0.0.0", 8, "ipv4"], ["::1", 128, "ipv6"]]],
  ["unspecified", [["0.0.0.0", 8, "ipv4"], ["::", 128, "ipv6"]]],
  ["private", [["10.0.0.0", 8, "ipv4"], ["172.16.0.0", 12, "ipv4"], ["192.168.0.0", 16, "ipv4"], ["fc00::", 7, "ipv6"], ["fec0::", 10, "ipv6"]]],
  ["link-local", [["169.254.0.0", 16, "ipv4"], ["fe80::", 10, "ipv6"]]],
  ["carrier-grade NAT", [["100.64.0.0", 10, "ipv4"]]],
  ["multicast", [["224.0.0.0", 4, "ipv4"], ["ff00::", 8, "ipv6"]]],
  // 240/4 holds the broadcast address; ::/96 is the deprecated IPv4-compatible form (::127.0.0.1).
  ["reserved", [["240.0.0.0", 4, "ipv4"], ["192.0.0.0", 24, "ipv4"], ["198.18.0.0", 15, "ipv4"], ["::", 96, "ipv6"], ["100::", 64, "ipv6"]]],
  // IPv6 forms that carry an IPv4 address a gateway may deliver to (a NAT64 gateway reaches 10.0.0.5
  // through 64:ff9b::a00:5): refused whole, whatever IPv4 address they embed.
  ["IPv4 translation (NAT64, 6to4, Teredo, SIIT)", [["64:ff9b::", 96, "ipv6"], ["64:ff9b:1::", 48, "ipv6"], ["2002::", 16, "ipv6"], ["2001::", 32, "ipv6"], ["::ffff:0:0:0", 96, "ipv6"]]],
];
const LISTS = RANGES.map(([label, subnets]) => {
  const list = new BlockList();
  for (const [net, prefix, type] of subnets) list.addSubnet(net, prefix, type);
  return { label, list };
});

/** The 16-bit groups of an IPv6 address (`::` expanded, a dotted IPv4 tail converted). */
function ipv6Groups(address: string): number[] {
  let a = address.toLowerCase();
  const v4 = a.match(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/);
  if (v4) {
    const [b0, b1, b2, b3] = v4.slice(1).map(Number) as [number, number, number, number];
    a = a.slice(0, v4.index) + `${((b0 << 8) | b1).toString(16)}:${((b2 << 8) | b3).toString(16)}`;
  }
  const [head = "", tail] = a.split("::");
  const h = head ? head.split(":") : [];
  const t = tail !== undefined && tail !== "" ? tail.split(":") : [];
  const fill = tail === undefined ? [] : Array(8 - h.length - t.length).fill("0");
  return [...h, ...fill, ...t].map((g) => parseInt(g, 16));
}

/**
 * An ISATAP interface identifier (`…:0:5efe:a.b.c.d`, or `200:5efe` for a global IPv4) embeds an
 * IPv4 address under any prefix: that address, to be checked like any other.
 */
function isatapIpv4(address: string): string | undefined {
  const g = ipv6Groups(address);
  if (g.length !== 8 || (g[4] !== 0 && g[4] !== 0x200) || g[5] !== 0x5efe) return undefined;
  return [g[6]! >> 8, g[6]! & 255, g[7]! >> 8, g[7]! & 255].join(".");
}

/** The kind of forbidden range `address` lies in, or undefined for a public address. */
export function forbiddenRange(address: string): string | undefined {
  const family = isIP(address);
  if (!family) return "not an IP address";
  const type = family === 6 ? "ipv6" : "ipv4";
  const direct = LISTS.find(({ list }) => list.check(address, type))?.label;
  if (direct || family === 4) return direct;
  const embedded = isatapIpv4(address);
  const inner = embedded ? LISTS.find(({ list }) => list.check(embedded, "ipv4"))?.label : undefined;
  return inner ? `${inner} (embedded in an IPv6 address)` : undefined;
}

const forbidden = (message: string) => new AppError("webhook_url_forbidden", message, "url");

/**
 * Checks the URL's form: http or https, a host, no credentials. The WHATWG parser has already
 * normalised numeric hosts (`http://2130706433/`, `http://0177.0.0.1/` are 127.0.0.1).
 */
export function parseWebhookUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw forbidden("The webhook URL is not a valid URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw forbidden("A webhook URL must use http or https");
  if (url.username || url.password) throw forbidden("A webhook URL must not carry credentials; authenticate deliveries by their signature");
  if (!url.hostname) throw forbidden("A webhook URL needs a host");
  return url;
}

/** The URL's host as an address or name: IPv6 literals lose their brackets. */
const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, "$1");

/**
 * Resolves the URL's host and returns every address, refusing (422 `webhook_url_forbidden`) when
 * any of them is forbidden, unless private targets are allowed. The caller connects to these
 * checked addresses only, so a name that resolves differently a moment later (DNS rebinding) is
 * never reached. A name that does not resolve throws the resolver's error.
 */
export async function checkWebhookTarget(url: URL, options: { allowPrivate: boolean; resolve?: Resolver }): Promise<ResolvedAddress[]> {
  const host = hostOf(url);
  const family = isIP(host);
  const addresses: ResolvedAddress[] = family ? [{ address: host, family: family === 6 ? 6 : 4 }] : await (options.resolve ?? systemResolver)(host);
  if (!addresses.length) throw new Error(`${host} has no addresses`);
  if (options.allowPrivate) return addresses;
  for (const { address } of addresses) {
    const range = forbiddenRange(address);
    if (range) {
      // A literal address is the caller's own; what a name resolves to inside the kit's network is not said.
      const what = family ? `: ${address}` : ` (${host} resolves to one)`;
      throw forbidden(`Webhooks may not be sent to ${range} addresses${what}; set WEBHOOK_ALLOW_PRIVATE_URLS=true to allow private targets`);
    }
  }
  return addresses;
}
