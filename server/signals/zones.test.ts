import { describe, expect, it } from "vitest";
import { countryZones, formatOffset, sameOffsets, sameZone, zoneCountries, zoneOffsets } from "./zones.js";

describe("zoneCountries", () => {
  it("maps East Asian and Russian zones to their countries", () => {
    expect(zoneCountries("Asia/Seoul")).toEqual(["KR"]);
    expect(zoneCountries("Asia/Tokyo")[0]).toBe("JP");
    expect(zoneCountries("Asia/Shanghai")).toEqual(["CN"]);
    expect(zoneCountries("Asia/Urumqi")).toEqual(["CN"]);
    expect(zoneCountries("Asia/Pyongyang")).toEqual(["KP"]);
    expect(zoneCountries("Asia/Vladivostok")).toEqual(["RU"]);
    expect(zoneCountries("Europe/Moscow")).toEqual(["RU"]);
  });

  it("resolves old names and has no country for UTC", () => {
    expect(zoneCountries("Asia/Calcutta")).toEqual(["IN"]);
    expect(zoneCountries("Asia/Harbin")).toEqual(["CN"]);
    expect(zoneCountries("UTC")).toEqual([]);
    expect(zoneCountries("Etc/GMT-9")).toEqual([]);
  });
});

describe("countryZones", () => {
  it("lists the zones of a country", () => {
    expect(countryZones("KR")).toEqual(["Asia/Seoul"]);
    expect(countryZones("cn")).toEqual(expect.arrayContaining(["Asia/Shanghai"]));
    expect(countryZones("RU")).toEqual(expect.arrayContaining(["Europe/Moscow", "Asia/Vladivostok"]));
    expect(countryZones("XX")).toEqual([]);
  });
});

describe("sameZone", () => {
  it("treats an alias as its zone", () => {
    expect(sameZone("Asia/Kolkata", "Asia/Calcutta")).toBe(true);
    expect(sameZone("Asia/Harbin", "Asia/Shanghai")).toBe(true);
    expect(sameZone("Asia/Seoul", "Asia/Tokyo")).toBe(false);
  });
});

describe("zoneOffsets", () => {
  it("reads KST and JST as UTC+9 without DST, China as UTC+8 and Vladivostok as UTC+10", () => {
    expect(zoneOffsets("Asia/Seoul", 2026)).toEqual({ offsetJanuary: -540, offsetJuly: -540 });
    expect(zoneOffsets("Asia/Tokyo", 2026)).toEqual({ offsetJanuary: -540, offsetJuly: -540 });
    expect(zoneOffsets("Asia/Shanghai", 2026)).toEqual({ offsetJanuary: -480, offsetJuly: -480 });
    expect(zoneOffsets("Asia/Vladivostok", 2026)).toEqual({ offsetJanuary: -600, offsetJuly: -600 });
  });

  it("sees daylight saving time and zones west of Greenwich", () => {
    expect(zoneOffsets("America/New_York", 2026)).toEqual({ offsetJanuary: 300, offsetJuly: 240 });
    expect(zoneOffsets("Europe/London", 2026)).toEqual({ offsetJanuary: 0, offsetJuly: -60 });
    expect(zoneOffsets("Asia/Kolkata", 2026)).toEqual({ offsetJanuary: -330, offsetJuly: -330 });
  });

  it("compares and formats offsets", () => {
    expect(sameOffsets(zoneOffsets("Asia/Seoul", 2026), zoneOffsets("Asia/Pyongyang", 2026))).toBe(true);
    expect(formatOffset(-540)).toBe("UTC+09:00");
    expect(formatOffset(300)).toBe("UTC-05:00");
    expect(formatOffset(-330)).toBe("UTC+05:30");
    expect(formatOffset(0)).toBe("UTC+00:00");
  });
});
