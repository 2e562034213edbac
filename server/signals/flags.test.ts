import { describe, expect, it } from "vitest";
import type { RiskFlag, Severity } from "../../shared/signals.js";
import { countryName, isAdvisoryPattern, levelFor, maxSeverity, mostSevere, sortFlags } from "./flags.js";

const f = (severity: Severity, id: RiskFlag["id"] = "clock_skew"): RiskFlag => ({
  id,
  severity,
  advisoryFlag: "location_mismatch",
  title: id,
  explanation: "",
  evidence: {},
});

describe("isAdvisoryPattern", () => {
  it("matches a Korean or Japanese claim with Chinese, Russian or North Korean evidence", () => {
    expect(isAdvisoryPattern("KR", "CN")).toBe(true);
    expect(isAdvisoryPattern("JP", "RU")).toBe(true);
    expect(isAdvisoryPattern("KR", "KP")).toBe(true);
    expect(isAdvisoryPattern("US", "KP")).toBe(true);
  });

  it("does not match other mismatches or agreement", () => {
    expect(isAdvisoryPattern("KR", "JP")).toBe(false);
    expect(isAdvisoryPattern("US", "CN")).toBe(false);
    expect(isAdvisoryPattern("CN", "CN")).toBe(false);
    expect(isAdvisoryPattern(undefined, "CN")).toBe(false);
  });
});

describe("levelFor", () => {
  it("is high with any high flag, review with a medium or two lows, clear otherwise", () => {
    expect(levelFor([])).toBe("clear");
    expect(levelFor([f("low")])).toBe("clear");
    expect(levelFor([f("low"), f("low")])).toBe("review");
    expect(levelFor([f("medium")])).toBe("review");
    expect(levelFor([f("low"), f("high")])).toBe("high");
  });
});

describe("helpers", () => {
  it("picks the worst severity and sorts flags by it", () => {
    expect(maxSeverity("low", "high", "medium")).toBe("high");
    expect(maxSeverity()).toBe("low");
    expect(mostSevere([f("low", "clock_skew"), f("medium", "many_ips"), f("medium", "hosting_network")])?.id).toBe("many_ips");
    expect(mostSevere([])).toBeUndefined();
    expect(sortFlags([f("low", "clock_skew"), f("high", "many_ips"), f("medium", "hosting_network")]).map((x) => x.id)).toEqual([
      "many_ips",
      "hosting_network",
      "clock_skew",
    ]);
  });

  it("names countries", () => {
    expect(countryName("KR")).toBe("South Korea (KR)");
    expect(countryName(undefined)).toBe("an unknown country");
  });
});
