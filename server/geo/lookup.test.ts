import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { KNOWN_IPS } from "../../test/fixtures/known-ips.js";
import { MmdbLookup, combineLookups, recordToGeo } from "./lookup.js";
import { shippedGeoPaths } from "./open.js";

describe("MmdbLookup over the shipped DB-IP country database", () => {
  const db = new MmdbLookup(shippedGeoPaths().countryDb);

  it("refuses a file that is not an MMDB when opened, not at the first lookup", () => {
    const notMmdb = path.join(mkdtempSync(path.join(tmpdir(), "geo-test-")), "not.mmdb");
    writeFileSync(notMmdb, "not a MaxMind database");
    expect(() => new MmdbLookup(notMmdb)).toThrow();
  });

  it("places IPv4 and IPv6 addresses in their country", () => {
    for (const known of Object.values(KNOWN_IPS)) expect(db.lookup(known.ip), known.ip).toEqual({ country: known.country });
    expect(db.lookup(`::ffff:${KNOWN_IPS.krKoreaTelecom.ip}`)).toEqual({ country: "KR" });
  });

  it("answers nothing for private or malformed addresses", () => {
    expect(db.lookup("127.0.0.1")).toEqual({});
    expect(db.lookup("192.168.0.10")).toEqual({});
    expect(db.lookup("garbage")).toEqual({});
  });
});

describe("recordToGeo", () => {
  // The shapes MaxMind documents for its GeoIP2/GeoLite2 databases, so commercial files plug in.
  it("reads GeoLite2 Country and City records", () => {
    expect(recordToGeo({ country: { iso_code: "KR", names: { en: "South Korea" } }, city: { names: { en: "Seoul" } } })).toEqual({ country: "KR" });
  });

  it("falls back to the registered country when no country is located", () => {
    expect(recordToGeo({ registered_country: { iso_code: "JP" } })).toEqual({ country: "JP" });
  });

  it("reads GeoLite2-ASN records", () => {
    expect(recordToGeo({ autonomous_system_number: 4766, autonomous_system_organization: "Korea Telecom" })).toEqual({
      asn: 4766,
      org: "Korea Telecom",
    });
  });

  it("reads GeoIP2 Enterprise and ISP traits", () => {
    expect(
      recordToGeo({ country: { iso_code: "cn" }, traits: { autonomous_system_number: 4134, isp: "Chinanet" } }),
    ).toEqual({ country: "CN", asn: 4134, org: "Chinanet" });
  });

  it("reads ip-location-db's flat records and ignores junk", () => {
    expect(recordToGeo({ country_code: "RU" })).toEqual({ country: "RU" });
    expect(recordToGeo(null)).toEqual({});
    expect(recordToGeo({ country_code: "Russia", autonomous_system_number: -1 })).toEqual({});
  });
});

describe("combineLookups", () => {
  it("takes each field from the first source that knows it", () => {
    const db = new MmdbLookup(shippedGeoPaths().countryDb);
    const asn = { lookup: (ip: string) => (ip === "1.96.0.1" ? { asn: 4766, country: "US" } : {}) };
    expect(combineLookups([db, asn]).lookup("1.96.0.1")).toEqual({ country: "KR", asn: 4766 });
  });
});
