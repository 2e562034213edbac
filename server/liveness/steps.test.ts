import { describe, expect, it } from "vitest";
import { generateSteps, secureRandom, seededRandom } from "./steps.js";

describe("generateSteps", () => {
  it("asks for each move once, with a return to centre after each turn", () => {
    for (let i = 0; i < 50; i++) {
      const steps = generateSteps(secureRandom);
      expect(steps).toHaveLength(5);
      expect([...steps].sort()).toEqual(["center", "center", "move_closer", "turn_left", "turn_right"]);
      steps.forEach((step, k) => {
        if (step.startsWith("turn_")) expect(steps[k + 1]).toBe("center");
      });
    }
  });

  it("produces every order, so a replay cannot know which comes next", () => {
    const orders = new Set(Array.from({ length: 300 }, () => generateSteps(secureRandom).join(",")));
    expect(orders.size).toBe(6);
  });

  it("is repeatable for a seed, and seeds differ", () => {
    expect(generateSteps(seededRandom("pad-1"))).toEqual(generateSteps(seededRandom("pad-1")));
    const orders = new Set(["a", "b", "c", "d", "e", "f", "g", "h"].map((s) => generateSteps(seededRandom(s)).join(",")));
    expect(orders.size).toBeGreaterThan(1);
  });
});
