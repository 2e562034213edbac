import { describe, expect, it } from "vitest";
import { networkPrefix } from "./prefix.js";

describe("network prefix", () => {
  it("is the /24 of an IPv4 address and the /48 of an IPv6 one, whatever its spelling", () => {
    expect(networkPrefix("1.96.0.17")).toBe("1.96.0.0/24");
    expect(networkPrefix("::ffff:1.96.0.17")).toBe("1.96.0.0/24");
    expect(networkPrefix("2400:12::1")).toBe("2400:12:0::/48");
    expect(networkPrefix("2400:0012:0000:abcd::1")).toBe("2400:12:0::/48");
    expect(networkPrefix("2001:db8:1:2:3:4:5:6")).toBe("2001:db8:1::/48");
    expect(networkPrefix("not an address")).toBeUndefined();
  });
});
