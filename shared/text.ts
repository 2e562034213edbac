import { z } from "zod";

/** Unicode control (`Cc`: NUL, BEL…) and format (`Cf`: bidi overrides, zero-width joiners…) characters. */
export const CONTROL_OR_FORMAT = /[\p{Cc}\p{Cf}]/u;

/**
 * A name shown to people: trimmed, not empty, and free of control and
 * invisible format characters, which could reorder or hide what an
 * interviewer reads.
 */
export const DisplayName = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !CONTROL_OR_FORMAT.test(s), { message: "must not contain control or invisible formatting characters" });
