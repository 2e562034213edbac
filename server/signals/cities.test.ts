import { describe, expect, it } from "vitest";
import { isCountryCode } from "../../shared/location.js";
import { CITIES, distanceKm, findCity } from "./cities.js";
import { countryZones } from "./zones.js";

describe("CITIES", () => {
  it("has valid countries and coordinates, and no duplicates", () => {
    const seen = new Set<string>();
    for (const city of CITIES) {
      expect(isCountryCode(city.country), city.name).toBe(true);
      expect(Math.abs(city.lat), city.name).toBeLessThanOrEqual(90);
      expect(Math.abs(city.lon), city.name).toBeLessThanOrEqual(180);
      const key = `${city.country}:${city.name}`;
      expect(seen.has(key), key).toBe(false);
      seen.add(key);
    }
  });

  it("covers the advisory's countries and at least 40 others", () => {
    const countries = new Set(CITIES.map((c) => c.country));
    for (const c of ["KR", "JP", "CN", "RU", "KP", "US"]) expect(countries.has(c), c).toBe(true);
    expect(countries.size).toBeGreaterThanOrEqual(46);
  });

  it("puts each city inside a zone band its country uses (longitude within 35° of the zone's offset)", () => {
    // A cheap guard against a swapped sign or lat/lon pair: 15° of longitude per hour of offset.
    for (const city of CITIES) {
      const zones = countryZones(city.country);
      expect(zones.length, city.country).toBeGreaterThan(0);
      const offsets = zones.map((z) => {
        const parts = new Intl.DateTimeFormat("en-US", { timeZone: z, timeZoneName: "longOffset" }).formatToParts(Date.UTC(2026, 0, 1));
        const m = /GMT([+-])(\d\d):(\d\d)/.exec(parts.find((p) => p.type === "timeZoneName")!.value);
        return m ? (m[1] === "+" ? 1 : -1) * (Number(m[2]) + Number(m[3]) / 60) : 0;
      });
      const best = Math.min(...offsets.map((h) => Math.abs(h * 15 - city.lon)));
      expect(best, `${city.name} at ${city.lon}`).toBeLessThan(35);
    }
  });
});

describe("findCity", () => {
  it("finds cities by name, alias and native script", () => {
    expect(findCity("KR", "Seoul")?.name).toBe("Seoul");
    expect(findCity("kr", "서울")?.name).toBe("Seoul");
    expect(findCity("JP", "東京")?.name).toBe("Tokyo");
    expect(findCity("RU", "St. Petersburg")?.name).toBe("Saint Petersburg");
    expect(findCity("BR", "Sao Paulo")?.name).toBe("São Paulo");
  });

  it("reads free text with the city among other parts", () => {
    expect(findCity("KR", "Gangnam-gu, Seoul")?.name).toBe("Seoul");
    expect(findCity("JP", "Osaka, Japan")?.name).toBe("Osaka");
  });

  it("does not cross countries or guess", () => {
    expect(findCity("JP", "Seoul")).toBeUndefined();
    expect(findCity("KR", "Atlantis")).toBeUndefined();
  });
});

describe("distanceKm", () => {
  it("measures well-known great-circle distances", () => {
    const seoul = findCity("KR", "Seoul")!;
    const tokyo = findCity("JP", "Tokyo")!;
    const frankfurt = findCity("DE", "Frankfurt")!;
    const london = findCity("GB", "London")!;
    const newYork = findCity("US", "New York")!;
    expect(distanceKm(seoul, tokyo)).toBeCloseTo(1160, -1.5);
    expect(distanceKm(london, newYork)).toBeCloseTo(5570, -1.5);
    expect(distanceKm(seoul, frankfurt)).toBeGreaterThan(8500);
    expect(distanceKm(seoul, frankfurt)).toBeLessThan(8600);
    expect(distanceKm(seoul, seoul)).toBe(0);
  });
});
