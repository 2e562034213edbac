import { describe, expect, it } from "vitest";
import { DELAY_CHOICES_MS, DISTINCT_SCHEDULES, generateSchedule, secureRandom, seededRandom } from "./schedule.js";

describe("generateSchedule", () => {
  it("asks for each move once, each after a pause from the allowed set", () => {
    for (let i = 0; i < 200; i++) {
      const { steps, delaysMs } = generateSchedule(secureRandom);
      expect([...steps].sort()).toEqual(["move_closer", "turn_left", "turn_right"]);
      expect(delaysMs).toHaveLength(3);
      for (const d of delaysMs) expect(DELAY_CHOICES_MS).toContain(d);
    }
  });

  it("has at least 1,000 distinct schedules, and draws them evenly enough to see many", () => {
    expect(DISTINCT_SCHEDULES).toBeGreaterThanOrEqual(1000);
    const seen = new Set(Array.from({ length: 3000 }, () => JSON.stringify(generateSchedule(secureRandom))));
    // 3,000 draws from 20,250 equally likely schedules give ~2,800 distinct ones; a biased generator far fewer.
    expect(seen.size).toBeGreaterThan(2500);
    const orders = new Set([...seen].map((s) => JSON.parse(s).steps.join(",")));
    expect(orders.size).toBe(6);
  });

  it("is repeatable for a seed, and seeds differ", () => {
    expect(generateSchedule(seededRandom("pad-1"))).toEqual(generateSchedule(seededRandom("pad-1")));
    const all = new Set(["a", "b", "c", "d", "e", "f"].map((s) => JSON.stringify(generateSchedule(seededRandom(s)))));
    expect(all.size).toBe(6);
  });
});
