import { z } from "zod";

/**
 * Whether an interview's candidate is asked for an identity document after the liveness pass:
 * `off`, `optional` (asked; a document that cannot be read is a review item) or `required`
 * (an unread document is a high flag).
 */
export const DocumentMode = z.enum(["off", "optional", "required"]);
export type DocumentMode = z.infer<typeof DocumentMode>;

/** The step's default when `POST /v1/interviews` does not say. */
export const DEFAULT_DOCUMENT_MODE: DocumentMode = "optional";

const YYMMDD = z.string().regex(/^\d{6}$/);

/** An ICAO 9303 machine-readable zone as the verifier read it (every check digit passed). */
export const MrzFields = z.strictObject({
  format: z.enum(["TD1", "TD3"]),
  documentCode: z.string().max(2),
  issuingState: z.string().max(3),
  nationality: z.string().max(3),
  surname: z.string().max(60),
  givenNames: z.string().max(60),
  /** Sent by the verifier only; the kit keeps a keyed hash of it, never the number. */
  documentNumber: z.string().min(1).max(20),
  birthDate: YYMMDD,
  expiryDate: YYMMDD,
  sex: z.enum(["male", "female", "unspecified"]),
});
export type MrzFields = z.infer<typeof MrzFields>;

/** How a document step ended, as the verifier saw it. */
export const DocumentOutcome = z.enum(["read", "invalid", "unreadable"]);
export type DocumentOutcome = z.infer<typeof DocumentOutcome>;
