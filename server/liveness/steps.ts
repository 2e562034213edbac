import { createHash, randomInt } from "node:crypto";
import type { ChallengeStep } from "../../shared/candidate.js";

/** A source of random integers in [0, max). */
export type RandomInt = (max: number) => number;

/** Cryptographic randomness for real challenges. */
export const secureRandom: RandomInt = (max) => randomInt(max);

/**
 * Deterministic randomness from a seed, for test configurations only: the
 * presentation-attack suite cuts a real clip to match the order a seed gives.
 */
export function seededRandom(seed: string): RandomInt {
  let counter = 0;
  return (max) => {
    const digest = createHash("sha256").update(`${seed}:${counter++}`).digest();
    return digest.readUInt32BE(0) % max;
  };
}

const ACTIONS: ChallengeStep[] = ["turn_left", "turn_right", "move_closer"];

/**
 * A random order of the three moves, with "back to centre" after each turn so
 * every turn starts from facing the camera: 5 steps, 6 possible orders.
 */
export function generateSteps(random: RandomInt): ChallengeStep[] {
  const order = [...ACTIONS];
  for (let i = order.length - 1; i > 0; i--) {
    const j = random(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order.flatMap((step) => (step === "move_closer" ? [step] : [step, "center" as const]));
}
