import { existsSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { KNOWN_IPS } from "../../test/fixtures/known-ips.js";
import type { GeoLookup } from "./lookup.js";
import { openGeoLookup, shippedGeoPaths } from "./open.js";

describe("openGeoLookup with the shipped databases", () => {
  let geo: GeoLookup;
  beforeAll(() => {
    geo = openGeoLookup();
  });

  it("finds the shipped files", () => {
    const paths = shippedGeoPaths();
    expect(existsSync(paths.countryDb)).toBe(true);
    expect(existsSync(paths.asnDb)).toBe(true);
  });

  it("answers country, AS and organisation for every known address", () => {
    for (const known of Object.values(KNOWN_IPS)) {
      const hit = geo.lookup(known.ip);
      expect(hit.country, known.ip).toBe(known.country);
      expect(hit.asn, known.ip).toBe(known.asn);
      expect(hit.org, known.ip).toBeTruthy();
    }
  });

  it("answers nothing for loopback and private addresses", () => {
    expect(geo.lookup("127.0.0.1")).toEqual({});
    expect(geo.lookup("10.0.0.7")).toEqual({});
    expect(geo.lookup("::1")).toEqual({});
  });
});

describe("openGeoLookup settings", () => {
  it("accepts an MMDB for the ASN database, as with GeoLite2-ASN", () => {
    // The country file stands in for an ASN file here: it proves the MMDB path is taken, and only country comes back.
    const paths = shippedGeoPaths();
    const geo = openGeoLookup({ countryDb: paths.countryDb, asnDb: paths.countryDb });
    expect(geo.lookup(KNOWN_IPS.cnChinanet.ip)).toEqual({ country: "CN" });
  });

  it("names the missing file", () => {
    expect(() => openGeoLookup({ countryDb: "/nonexistent/GeoLite2-Country.mmdb" })).toThrow(
      /country database \/nonexistent\/GeoLite2-Country.mmdb does not exist/,
    );
    expect(() => openGeoLookup({ asnDb: "/nonexistent/asn" })).toThrow(/ASN database \/nonexistent\/asn/);
  });
});
