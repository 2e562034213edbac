import { createHash, randomInt } from "node:crypto";
import type { PromptStep } from "../../shared/verification.js";
import { TARGET_PATH, type TargetPath, generateTargetPath } from "../../shared/target-path.js";

/** A source of random integers in [0, max). */
export type RandomInt = (max: number) => number;

/** Cryptographic randomness for real challenges. */
export const secureRandom: RandomInt = (max) => randomInt(max);

/**
 * Deterministic randomness from a seed, for test configurations only (refused
 * in production), so a suite can reproduce a schedule.
 */
export function seededRandom(seed: string): RandomInt {
  let counter = 0;
  return (max) => createHash("sha256").update(`${seed}:${counter++}`).digest().readUInt32BE(0) % max;
}

/**
 * Pauses before a prompt: 600–1500 ms in 100 ms steps, so the moment of each prompt is unpredictable.
 * The target's path is what no recording can know; the pause only hides when it starts, and a
 * longer one (it was up to 2000 ms) added a third of a second to every check's median.
 */
export const DELAY_CHOICES_MS = Array.from({ length: 10 }, (_, i) => 600 + i * 100);

/** The step, the moment of its prompt and the target's path, chosen by the server and never sent ahead. */
export interface Schedule {
  steps: PromptStep[];
  delaysMs: number[];
  /** The target path of a `follow` step. */
  path?: TargetPath;
}

/** One `follow` step after a random pause, along a random path: the continuous challenge. */
export function generateFollowSchedule(random: RandomInt): Schedule {
  const delay = DELAY_CHOICES_MS[random(DELAY_CHOICES_MS.length)]!;
  return { steps: ["follow"], delaysMs: [delay], path: generateTargetPath(random) };
}

/** The longest path `generateTargetPath` draws: every gap at its longest. */
export const LONGEST_PATH_MS = (TARGET_PATH.waypoints + 1) * (TARGET_PATH.gapMs + TARGET_PATH.gapJitterMs);
