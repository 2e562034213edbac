/**
 * Turns OCR lines into an ICAO 9303 read, and many frames' reads into one
 * answer. A read counts only when every check digit passes; the fields no check
 * digit covers (names, states) count only when two frames agree on them.
 */
import { parse, type ParseResult } from "mrz";
import type { MrzFields } from "../../../shared/documents.js";
import { MRZ_ALPHABET } from "./ocr.js";

/** The fields the kit keeps from a document (the number is hashed before it is stored): the contract's type. */
export type { MrzFields };

/** One frame's read: every check digit passed, or some failed (named), or nothing MRZ-shaped was there. */
export type FrameRead =
  | { kind: "valid"; text: string; fields: MrzFields }
  | {
      kind: "check_failed";
      text: string;
      failed: string[];
      /** Swapping one or two look-alike characters of the number would pass: maybe the OCR, not the document. */
      confusable: boolean;
    }
  | { kind: "none" };

const CHECK_DIGITS = ["documentNumberCheckDigit", "birthDateCheckDigit", "expirationDateCheckDigit", "personalNumberCheckDigit", "compositeCheckDigit"];
const LAYOUTS = [
  { format: "TD3", lines: 2, length: 44 },
  { format: "TD1", lines: 3, length: 30 },
] as const;
const mrzShaped = (line: string) => [...line].every((c) => MRZ_ALPHABET.includes(c));

/** Every way to cut a too-long OCR line (a stray mark at either end) to the layout's length. */
function windows(line: string, length: number): string[] {
  if (line.length < length) return [];
  return Array.from({ length: Math.min(3, line.length - length + 1) }, (_, k) => line.slice(k, k + length)).concat(
    line.length - length >= 3 ? [line.slice(line.length - length)] : [],
  );
}

function fieldsOf(result: ParseResult, format: "TD1" | "TD3"): MrzFields | null {
  const f = result.fields;
  if (!f.issuingState || !f.nationality || !f.documentNumber || !f.birthDate || !f.expirationDate || !f.lastName) return null;
  return {
    format,
    documentCode: f.documentCode ?? "",
    issuingState: f.issuingState,
    nationality: f.nationality,
    surname: f.lastName,
    givenNames: f.firstName ?? "",
    documentNumber: f.documentNumber,
    birthDate: f.birthDate,
    expiryDate: f.expirationDate,
    sex: f.sex === "male" || f.sex === "female" ? f.sex : "unspecified",
  };
}

/** Reads one frame's OCR lines as a TD3 or TD1 zone. */
export function readMrzLines(ocrLines: string[]): FrameRead {
  const lines = ocrLines.map((l) => l.toUpperCase().replace(/\s+/g, "")).filter(mrzShaped);
  let failed: FrameRead = { kind: "none" };
  for (const layout of LAYOUTS) {
    for (let start = 0; start + layout.lines <= lines.length; start += 1) {
      const group = lines.slice(start, start + layout.lines);
      const choices = group.map((line) => windows(line, layout.length));
      if (choices.some((c) => c.length === 0)) continue;
      // A handful of combinations at most: each line has at most four windows.
      for (const combo of cartesian(choices)) {
        let result: ParseResult;
        try {
          result = parse(combo, { autocorrect: true });
        } catch {
          continue;
        }
        const checks = result.details.filter((d) => d.field && CHECK_DIGITS.includes(d.field));
        const failedChecks = checks.filter((d) => !d.valid).map((d) => d.field as string);
        const text = combo.join("\n");
        if (failedChecks.length === 0) {
          const fields = fieldsOf(result, layout.format);
          if (fields && result.valid) return { kind: "valid", text: correctedText(combo, result), fields };
        } else if (failed.kind === "none" && failedChecks.length < checks.length) {
          failed = { kind: "check_failed", text, failed: failedChecks, confusable: confusionExplains(combo, layout.format) };
        }
      }
    }
  }
  return failed;
}

/**
 * Pairs Tesseract confuses in OCR-B. The mrz parser repairs them in fields of
 * one kind (a date is all digits); a document number mixes letters and digits.
 */
const CONFUSABLE: Record<string, string> = { S: "5", "5": "S", O: "0", "0": "O", I: "1", "1": "I", Z: "2", "2": "Z", B: "8", "8": "B", G: "6", "6": "G", D: "0", Q: "0" };
/** Look-alike swaps tried in a document number before a failing read is taken at its word. */
const MAX_SWAPS = 2;

/**
 * Whether swapping look-alike characters in the document number would make
 * every check digit pass. Such a read is never accepted (one check digit
 * passes one wrong swap in ten), but it is not evidence of a forged document
 * either: Tesseract reads OCR-B's S as 5 and O as 0 the same way every frame.
 */
function confusionExplains(lines: string[], format: "TD1" | "TD3"): boolean {
  const line = format === "TD3" ? 1 : 0;
  const start = format === "TD3" ? 0 : 5;
  const numberLine = lines[line];
  if (numberLine === undefined) return false;
  const positions = [...numberLine.slice(start, start + 9)].flatMap((c, i) => (CONFUSABLE[c] ? [start + i] : []));
  for (let swaps = 1; swaps <= MAX_SWAPS; swaps += 1) {
    for (const chosen of combinations(positions, swaps)) {
      const chars = [...numberLine];
      for (const p of chosen) {
        // Every chosen position holds a confusable character (see positions).
        const swapped = CONFUSABLE[chars[p] ?? ""];
        if (swapped) chars[p] = swapped;
      }
      const candidate = lines.map((l, i) => (i === line ? chars.join("") : l));
      try {
        const result = parse(candidate, { autocorrect: true });
        if (result.details.every((d) => !d.field || !CHECK_DIGITS.includes(d.field) || d.valid)) return true;
      } catch {
        // A swap cannot change the layout; nothing to explain here.
      }
    }
  }
  return false;
}

function* combinations(items: number[], k: number, from = 0, prefix: number[] = []): Generator<number[]> {
  if (prefix.length === k) {
    yield prefix;
    return;
  }
  for (const [offset, item] of items.slice(from).entries()) yield* combinations(items, k, from + offset + 1, [...prefix, item]);
}

function correctedText(lines: string[], result: ParseResult): string {
  const chars = lines.map((l) => [...l]);
  for (const d of result.details) {
    for (const a of d.autocorrect) {
      const row = chars[a.line];
      if (row) row[a.column] = a.corrected;
    }
  }
  return chars.map((c) => c.join("")).join("\n");
}

function* cartesian(choices: string[][], prefix: string[] = []): Generator<string[]> {
  if (prefix.length === choices.length) {
    yield prefix;
    return;
  }
  for (const c of choices[prefix.length] ?? []) yield* cartesian(choices, [...prefix, c]);
}

/** What many frames' reads add up to. */
export type DocumentReadOutcome =
  | { kind: "read"; fields: MrzFields; agreeingFrames: number; framesRead: number }
  | { kind: "invalid"; failed: string[]; agreeingFrames: number; framesRead: number }
  | { kind: "unreadable"; framesRead: number };

/** Frames that must agree, character for character, before a read is accepted. */
export const AGREEING_FRAMES = 2;

/**
 * Votes over frames. A valid zone read identically in two frames is accepted.
 * With no valid read at all, the same failing zone read twice means the document itself fails
 * its check digits (an edited field); OCR noise does not repeat like that.
 */
export function voteReads(reads: FrameRead[]): DocumentReadOutcome {
  const framesRead = reads.length;
  const tally = <T extends { text: string }>(items: T[]) => {
    const counts = new Map<string, { item: T; n: number }>();
    for (const item of items) {
      const entry = counts.get(item.text) ?? { item, n: 0 };
      entry.n += 1;
      counts.set(item.text, entry);
    }
    return [...counts.values()].sort((a, b) => b.n - a.n)[0];
  };
  const valid = tally(reads.filter((r): r is Extract<FrameRead, { kind: "valid" }> => r.kind === "valid"));
  if (valid && valid.n >= AGREEING_FRAMES) return { kind: "read", fields: valid.item.fields, agreeingFrames: valid.n, framesRead };
  const failing = tally(reads.filter((r): r is Extract<FrameRead, { kind: "check_failed" }> => r.kind === "check_failed" && !r.confusable));
  if (!valid && failing && failing.n >= AGREEING_FRAMES) return { kind: "invalid", failed: failing.item.failed, agreeingFrames: failing.n, framesRead };
  return { kind: "unreadable", framesRead };
}

/** The zone's line that holds the names: TD3's first, TD1's third. */
export function nameLine(read: Extract<FrameRead, { kind: "valid" }>): string {
  const lines = read.text.split("\n");
  return (read.fields.format === "TD3" ? lines[0] : lines[2]) ?? "";
}

/**
 * Whether a second OCR reading confirms every word of the names line. No check
 * digit covers the names, and one engine misreads the same letter the same way
 * in every frame (Tesseract's legacy engine reads OCR-B's W as N), so frames
 * agreeing with each other prove nothing there. A second engine with other
 * confusions must find each word too, at about the same place in a line. It
 * reads the filler `<` as L or K, so only the words are compared.
 */
export function lettersAgree(line: string, secondOpinion: string[]): boolean {
  const words = [...line.matchAll(/[A-Z]+/g)].filter((m) => m[0].length >= 2);
  return secondOpinion.some((other) => {
    const cleaned = other.toUpperCase().replace(/\s+/g, "");
    return words.every((word) => {
      // The second engine may drop or add a filler before the word: allow a few characters of drift.
      const from = Math.max(0, word.index - 4);
      return cleaned.slice(from, word.index + word[0].length + 4).includes(word[0]);
    });
  });
}
