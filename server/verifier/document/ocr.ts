import type { Gray } from "./mrz-locate.js";

/**
 * Reads printed lines from an upright crop. The verifier's one OCR vendor
 * sits behind this, so a test can name the engine it measured and a deployment
 * can swap it.
 */
export interface OcrReader {
  /** The crop's text lines, top to bottom, as the engine read them. */
  readLines(image: Gray): Promise<string[]>;
  close(): Promise<void>;
}

/** The characters an MRZ may hold (ICAO 9303 part 3): capitals, digits and the filler. */
export const MRZ_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<";
