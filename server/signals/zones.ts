import { getCountry, getTimezone } from "countries-and-timezones";

/** Offsets in `Date#getTimezoneOffset()` minutes (positive west of Greenwich), in January and July. */
export interface ZoneOffsets {
  offsetJanuary: number;
  offsetJuly: number;
}

/**
 * The countries an IANA zone is used in, main country first, from the tz
 * database's zone table (via countries-and-timezones). Aliases such as
 * `Asia/Calcutta` resolve; `UTC` and `Etc/*` zones belong to no country.
 */
export function zoneCountries(zone: string): string[] {
  const entry = getTimezone(zone) ?? getTimezone(canonicalZone(zone));
  return entry ? [...entry.countries] : [];
}

/** The zones in use in a country (ISO 3166-1 alpha-2), or an empty list for an unknown code. */
export function countryZones(country: string): string[] {
  return [...(getCountry(country.toUpperCase())?.timezones ?? [])];
}

/** True when two zone names are the same zone, e.g. `Asia/Kolkata` and its old name `Asia/Calcutta`. */
export function sameZone(a: string, b: string): boolean {
  if (a === b) return true;
  const root = (z: string) => getTimezone(z)?.aliasOf ?? canonicalZone(z);
  return root(a) === root(b) || canonicalZone(a) === canonicalZone(b);
}

/**
 * What `getTimezoneOffset()` reads in `zone` at noon UTC on 1 January and
 * 1 July of `year`, computed from this runtime's ICU time zone data.
 */
export function zoneOffsets(zone: string, year: number): ZoneOffsets {
  return {
    offsetJanuary: offsetAt(zone, Date.UTC(year, 0, 1, 12)),
    offsetJuly: offsetAt(zone, Date.UTC(year, 6, 1, 12)),
  };
}

/** True when both offsets are equal. */
export function sameOffsets(a: ZoneOffsets, b: ZoneOffsets): boolean {
  return a.offsetJanuary === b.offsetJanuary && a.offsetJuly === b.offsetJuly;
}

/** Formats an offset in `getTimezoneOffset()` minutes as `UTC+09:00`. */
export function formatOffset(minutes: number): string {
  const east = -minutes;
  const sign = east < 0 ? "-" : "+";
  const abs = Math.abs(east);
  return `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

function canonicalZone(zone: string): string {
  try {
    return new Intl.DateTimeFormat("en", { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return zone;
  }
}

function offsetAt(zone: string, epochMs: number): number {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" }).formatToParts(epochMs);
  const name = parts.find((p) => p.type === "timeZoneName")?.value ?? "GMT";
  const match = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(name);
  if (!match) throw new Error(`Cannot read the offset of ${zone} from "${name}"`);
  if (!match[1]) return 0;
  const east = Number(match[2]) * 60 + Number(match[3]);
  // `|| 0` turns the -0 of "GMT+00:00" into 0, so offsets compare and serialise plainly.
  return (match[1] === "+" ? -east : east) || 0;
}
