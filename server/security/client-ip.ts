import { BlockList, isIP } from "node:net";

/**
 * Resolves the client IP of a request. `X-Forwarded-For` is honoured only when
 * the peer is a configured trusted proxy, walking right to left past trusted hops.
 */
export class ClientIpResolver {
  private readonly trusted = new BlockList();
  private readonly any: boolean;

  constructor(trustedProxies: string[]) {
    this.any = trustedProxies.length > 0;
    for (const entry of trustedProxies) {
      const [address, prefix] = entry.split("/");
      const family = isIP(address ?? "") === 6 ? "ipv6" : "ipv4";
      if (!isIP(address ?? "")) throw new Error(`TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR range`);
      if (prefix !== undefined) this.trusted.addSubnet(address!, Number(prefix), family);
      else this.trusted.addAddress(address!, family);
    }
  }

  private isTrusted(ip: string): boolean {
    const family = isIP(ip);
    if (!family) return false;
    return this.trusted.check(ip, family === 6 ? "ipv6" : "ipv4");
  }

  /** The client IP given the socket peer address and the `X-Forwarded-For` header. */
  resolve(peer: string | undefined, forwardedFor: string | undefined): string | null {
    const remote = normalise(peer);
    if (!remote) return null;
    if (!this.any || !forwardedFor || !this.isTrusted(remote)) return remote;
    const hops = forwardedFor.split(",").map((h) => normalise(h.trim())).filter((h): h is string => !!h);
    for (let i = hops.length - 1; i >= 0; i--) {
      if (!this.isTrusted(hops[i]!)) return hops[i]!;
    }
    return hops[0] ?? remote;
  }
}

function normalise(ip: string | undefined): string | null {
  if (!ip) return null;
  const v4mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  const value = v4mapped ? v4mapped[1]! : ip;
  return isIP(value) ? value : null;
}
