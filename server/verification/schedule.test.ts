import { describe, expect, it } from "vitest";
import { TargetPath } from "../../shared/target-path.js";
import { DELAY_CHOICES_MS, generateFollowSchedule, LONGEST_PATH_MS, secureRandom, seededRandom } from "./schedule.js";

describe("generateFollowSchedule", () => {
  it("asks for one follow step after a pause from the allowed set, along a path no longer than the longest", () => {
    for (let i = 0; i < 200; i++) {
      const { steps, delaysMs, path } = generateFollowSchedule(secureRandom);
      expect(steps).toEqual(["follow"]);
      expect(delaysMs).toHaveLength(1);
      expect(DELAY_CHOICES_MS).toContain(delaysMs[0]);
      expect(TargetPath.safeParse(path).success).toBe(true);
      expect(path!.waypoints.at(-1)!.t).toBeLessThanOrEqual(LONGEST_PATH_MS);
    }
  });

  it("draws a different schedule each time from the CSPRNG", () => {
    const seen = new Set(Array.from({ length: 500 }, () => JSON.stringify(generateFollowSchedule(secureRandom))));
    expect(seen.size).toBe(500);
  });

  it("is repeatable for a seed (test configurations only), and seeds differ", () => {
    expect(generateFollowSchedule(seededRandom("pad-1"))).toEqual(generateFollowSchedule(seededRandom("pad-1")));
    const all = new Set(["a", "b", "c", "d", "e", "f"].map((s) => JSON.stringify(generateFollowSchedule(seededRandom(s)))));
    expect(all.size).toBe(6);
  });
});
