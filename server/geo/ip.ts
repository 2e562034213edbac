import { BlockList, isIP } from "node:net";

export type ParsedIp = { version: 4; value: number } | { version: 6; value: bigint };

/** Ranges that are not routed on the public internet, so no database can place them. */
const NOT_PUBLIC = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  NOT_PUBLIC.addSubnet(net, prefix, "ipv4");
}
for (const [net, prefix] of [
  ["::", 127],
  ["64:ff9b:1::", 48],
  ["100::", 64],
  ["2001:db8::", 32],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const) {
  NOT_PUBLIC.addSubnet(net, prefix, "ipv6");
}

/** Parses an IPv4 or IPv6 address into a number; IPv4-mapped IPv6 (`::ffff:1.2.3.4`) reads as IPv4. */
export function parseIp(ip: string): ParsedIp | undefined {
  const family = isIP(ip);
  if (family === 4) return { version: 4, value: ipv4ToNumber(ip) };
  if (family !== 6) return undefined;
  const value = ipv6ToBigInt(ip);
  if (value >> 32n === 0xffffn) return { version: 4, value: Number(value & 0xffffffffn) };
  return { version: 6, value };
}

/** The address as databases index it: IPv4-mapped IPv6 becomes dotted IPv4; undefined when not an address. */
export function canonicalIp(ip: string): string | undefined {
  const parsed = parseIp(ip);
  if (!parsed) return undefined;
  return parsed.version === 4 ? numberToIpv4(parsed.value) : ip;
}

/** True when the address is routed on the public internet (not loopback, private, CGNAT, documentation, ...). */
export function isPublicIp(ip: string): boolean {
  const parsed = parseIp(ip);
  if (!parsed) return false;
  if (parsed.version === 4) return !NOT_PUBLIC.check(numberToIpv4(parsed.value), "ipv4");
  return !NOT_PUBLIC.check(ip, "ipv6");
}

function ipv4ToNumber(ip: string): number {
  return ip.split(".").reduce((acc, part) => acc * 256 + Number(part), 0);
}

function numberToIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join(".");
}

function ipv6ToBigInt(ip: string): bigint {
  let text = ip.split("%")[0]!;
  // A trailing dotted quad (`::ffff:1.2.3.4`) stands for the last two groups.
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (quad) {
    const n = ipv4ToNumber(quad[1]!);
    text = text.slice(0, -quad[1]!.length) + `${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.split("::") as [string, string | undefined];
  const headGroups = head ? head.split(":") : [];
  const tailGroups = tail ? tail.split(":") : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(tail === undefined ? 0 : missing).fill("0"), ...tailGroups];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}
