import { readFileSync } from "node:fs";
import { Reader, type Response } from "maxmind";
import type { IpGeo } from "../../shared/signals.js";
import type { AsnTable } from "./asn-table.js";
import { canonicalIp, isPublicIp } from "./ip.js";

/** Offline facts about an IP address: country, autonomous system and its organisation. */
export interface GeoLookup {
  lookup(ip: string): IpGeo;
}

/**
 * Reads any MaxMind DB file and keeps the fields the kit uses. Accepts the
 * record shapes of MaxMind's GeoIP2/GeoLite2 Country, City, ASN, ISP and
 * Enterprise databases, and ip-location-db's flat `country_code` files.
 */
export class MmdbLookup implements GeoLookup {
  private readonly reader: Reader<Response>;

  constructor(path: string) {
    this.reader = new Reader<Response>(readFileSync(path));
  }

  lookup(ip: string): IpGeo {
    const address = canonicalIp(ip);
    if (!address || !isPublicIp(address)) return {};
    return recordToGeo(this.reader.get(address));
  }
}

/** Adapts an ASN range table to the lookup interface. */
export class AsnTableLookup implements GeoLookup {
  constructor(private readonly table: AsnTable) {}

  lookup(ip: string): IpGeo {
    if (!isPublicIp(ip)) return {};
    const hit = this.table.lookup(ip);
    return hit ? { asn: hit.asn, ...(hit.org ? { org: hit.org } : {}) } : {};
  }
}

/** Asks each lookup in turn; the first one to know a field wins it. */
export function combineLookups(lookups: GeoLookup[]): GeoLookup {
  return {
    lookup(ip: string): IpGeo {
      const out: IpGeo = {};
      for (const source of lookups) {
        const geo = source.lookup(ip);
        if (out.country === undefined && geo.country !== undefined) out.country = geo.country;
        if (out.asn === undefined && geo.asn !== undefined) out.asn = geo.asn;
        if (out.org === undefined && geo.org !== undefined) out.org = geo.org;
      }
      return out;
    },
  };
}

type Loose = Record<string, unknown> | undefined;

/** Pulls country, ASN and organisation out of one MMDB record, whatever its database type. */
export function recordToGeo(record: unknown): IpGeo {
  if (!record || typeof record !== "object") return {};
  const r = record as Record<string, unknown>;
  const traits = r.traits as Loose;
  const country = firstCountry(
    r.country_code,
    (r.country as Loose)?.iso_code,
    // An address with no located country still has the country its block is registered to.
    (r.registered_country as Loose)?.iso_code,
  );
  const asn = firstNumber(r.autonomous_system_number, traits?.autonomous_system_number);
  const org = firstString(
    r.autonomous_system_organization,
    traits?.autonomous_system_organization,
    r.isp,
    traits?.isp,
    r.organization,
    traits?.organization,
  );
  return {
    ...(country ? { country } : {}),
    ...(asn !== undefined ? { asn } : {}),
    ...(org ? { org } : {}),
  };
}

function firstCountry(...values: unknown[]): string | undefined {
  for (const v of values) if (typeof v === "string" && /^[A-Za-z]{2}$/.test(v)) return v.toUpperCase();
  return undefined;
}

function firstNumber(...values: unknown[]): number | undefined {
  for (const v of values) if (typeof v === "number" && Number.isInteger(v) && v >= 0) return v;
  return undefined;
}

function firstString(...values: unknown[]): string | undefined {
  for (const v of values) if (typeof v === "string" && v.trim() !== "") return v.trim();
  return undefined;
}
