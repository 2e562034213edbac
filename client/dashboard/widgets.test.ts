import { describe, expect, it } from "vitest";
import { relative } from "./widgets.js";

const NOW = Date.parse("2026-03-01T12:00:00.000Z");
const at = (ms: number) => new Date(NOW + ms).toISOString();

describe("relative", () => {
  it("names the largest whole unit, in the past and the future", () => {
    expect(relative(at(5_000), NOW)).toMatch(/^in 5 seconds$/);
    expect(relative(at(-3 * 60_000), NOW)).toMatch(/^3 minutes ago$/);
    expect(relative(at(2 * 86_400_000), NOW)).toMatch(/^in 2 days$/);
  });

  it("rounds before choosing the unit, so a retry just under an hour away reads as an hour", () => {
    expect(relative(at(3_599_400), NOW)).toBe("in 1 hour");
    expect(relative(at(59_600), NOW)).toBe("in 1 minute");
  });
});
