import { canonicalIp } from "../geo/ip.js";
import { isIPv4 } from "node:net";

/**
 * The network an address belongs to for laptop-farm matching: its /24 (IPv4) or /48 (IPv6), the
 * usual size of one site's allocation. Undefined for what is not an address.
 */
export function networkPrefix(ip: string): string | undefined {
  const address = canonicalIp(ip);
  if (!address) return undefined;
  if (isIPv4(address)) return `${address.split(".").slice(0, 3).join(".")}.0/24`;
  // Expand `::` so the first three groups are always there.
  const [head = "", tail = ""] = address.split("::");
  const left = head ? head.split(":") : [];
  const right = address.includes("::") ? (tail ? tail.split(":") : []) : [];
  const groups = address.includes("::") ? [...left, ...Array(8 - left.length - right.length).fill("0"), ...right] : left;
  return `${groups.slice(0, 3).map((g) => g.replace(/^0+(?=.)/, "")).join(":")}::/48`;
}
