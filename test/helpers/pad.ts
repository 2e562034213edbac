import { execFileSync } from "node:child_process";
import path from "node:path";
import type { ChallengeStep } from "../../shared/candidate.js";
import { generateSteps, seededRandom } from "../../server/liveness/index.js";
import { FIXTURES } from "./browser.js";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** The first test seed (pad-0, pad-1, …) whose step order starts with `first`. */
export function seedStartingWith(first: ChallengeStep): { seed: string; steps: ChallengeStep[] } {
  for (let i = 0; ; i++) {
    const seed = `pad-${i}`;
    const steps = generateSteps(seededRandom(seed));
    if (steps[0] === first) return { seed, steps };
  }
}

/** Cuts the real webcam clip to follow `steps` (scripts/make-fixtures.sh; cached after the first call). */
export function bonafideClip(steps: ChallengeStep[]): string {
  execFileSync("bash", [path.join(ROOT, "scripts/make-fixtures.sh"), "bonafide", steps.join(",")], { stdio: "ignore" });
  return path.join(FIXTURES, `bonafide-${steps.join("-")}.mjpeg`);
}
