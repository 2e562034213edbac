import { describe, expect, it } from "vitest";
import { canonicalIp, isPublicIp, parseIp } from "./ip.js";

describe("parseIp", () => {
  it("reads IPv4 as a 32-bit number", () => {
    expect(parseIp("1.0.16.1")).toEqual({ version: 4, value: 16781313 });
    expect(parseIp("255.255.255.255")).toEqual({ version: 4, value: 4294967295 });
  });

  it("reads IPv6, with and without ::", () => {
    expect(parseIp("2001:200::")).toEqual({ version: 6, value: 42540528726795050063891204319802818560n });
    expect(parseIp("::1")).toEqual({ version: 6, value: 1n });
    expect(parseIp("2001:db8:0:0:0:0:0:1")).toEqual({ version: 6, value: 0x20010db8000000000000000000000001n });
  });

  it("reads IPv4-mapped IPv6 as IPv4", () => {
    expect(parseIp("::ffff:1.0.16.1")).toEqual({ version: 4, value: 16781313 });
    expect(parseIp("::ffff:100:1001")).toEqual({ version: 4, value: 16781313 });
  });

  it("refuses what is not an address", () => {
    expect(parseIp("1.2.3")).toBeUndefined();
    expect(parseIp("example.com")).toBeUndefined();
    expect(parseIp("")).toBeUndefined();
  });
});

describe("isPublicIp", () => {
  it("rejects loopback, private, CGNAT and link-local ranges", () => {
    for (const ip of ["127.0.0.1", "10.1.2.3", "172.20.0.1", "192.168.1.1", "100.64.0.1", "169.254.1.1", "::1", "fd00::1", "fe80::1", "::ffff:127.0.0.1"]) {
      expect(isPublicIp(ip), ip).toBe(false);
    }
  });

  it("accepts public addresses", () => {
    for (const ip of ["8.8.8.8", "1.0.16.1", "2001:200::1", "::ffff:8.8.8.8"]) {
      expect(isPublicIp(ip), ip).toBe(true);
    }
  });
});

describe("canonicalIp", () => {
  it("turns IPv4-mapped IPv6 into dotted IPv4 and leaves the rest", () => {
    expect(canonicalIp("::ffff:1.96.0.1")).toBe("1.96.0.1");
    expect(canonicalIp("1.96.0.1")).toBe("1.96.0.1");
    expect(canonicalIp("2400:12::1")).toBe("2400:12::1");
    expect(canonicalIp("nope")).toBeUndefined();
  });
});
