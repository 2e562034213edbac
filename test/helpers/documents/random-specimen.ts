/**
 * Random specimen documents and random ways of holding them, from a seeded
 * generator, so `bench:document` and the suite draw the same cases every run.
 */
import type { SpecimenData } from "./mrz-lines.js";
import type { Pose } from "./specimen.js";

export { seeded } from "../prng.js";

const SURNAMES = ["KIM", "PARK", "LEE", "SATO", "TANAKA", "WANG", "LI", "IVANOVA", "MULLER", "GARCIA LOPEZ", "NGUYEN", "OBRIEN"];
const GIVEN = ["MIN JUN", "SEO YEON", "HARUTO", "YUI", "WEI", "ANNA MARIA", "JOSE", "EMMA", "THANH", "OLIVER JAMES"];
const STATES = ["KOR", "JPN", "CHN", "USA", "DEU", "FRA", "GBR", "RUS", "PHL", "VNM"];
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

const pick = <T>(rand: () => number, items: readonly T[]): T => {
  const item = items[Math.floor(rand() * items.length)];
  if (item === undefined) throw new Error("pick: no items");
  return item;
};
const yymmdd = (rand: () => number, fromYear: number, toYear: number) => {
  const y = fromYear + Math.floor(rand() * (toYear - fromYear + 1));
  const m = 1 + Math.floor(rand() * 12);
  const d = 1 + Math.floor(rand() * 28);
  return `${String(y % 100).padStart(2, "0")}${String(m).padStart(2, "0")}${String(d).padStart(2, "0")}`;
};

/** A random, valid specimen: a passport page or an ID card, valid until 2028–2035. */
export function randomSpecimen(rand: () => number): SpecimenData {
  const state = pick(rand, STATES);
  return {
    format: rand() < 0.5 ? "TD3" : "TD1",
    issuingState: state,
    nationality: state,
    surname: pick(rand, SURNAMES),
    givenNames: pick(rand, GIVEN),
    documentNumber: pick(rand, [...ALNUM.slice(0, 26)]) + Array.from({ length: 8 }, () => pick(rand, [...ALNUM.slice(26)])).join(""),
    birthDate: yymmdd(rand, 1960, 2004),
    sex: rand() < 0.5 ? "M" : "F",
    expiryDate: yymmdd(rand, 2028, 2035),
  };
}

/** A random way of holding a document up to a camera of `width`×`height`: tilted, blurred, noisy. */
export function randomPose(rand: () => number, width: number, height: number): Pose {
  return {
    width,
    height,
    fill: 0.5 + rand() * 0.25,
    tiltDeg: (rand() * 2 - 1) * 10,
    blur: 0.4 + rand() * 0.8,
    noise: 2 + rand() * 6,
    seed: Math.floor(rand() * 2 ** 31),
  };
}
