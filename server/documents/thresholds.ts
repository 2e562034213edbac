import { FACE_MATCH_THRESHOLD } from "../identity/thresholds.js";

/**
 * The document step's numbers, each with where it comes from.
 */

/**
 * A document report is accepted this long after the pass it follows: the verifier looks for 20 s
 * (`DOCUMENT_STEP.lookForMs`), and loading the OCR engines and reading the last frame can take a
 * few seconds more on a busy machine. A report any later is not this check's.
 */
export const DOCUMENT_REPORT_GRACE_MS = 60_000;

/**
 * The portrait's face against the live reference: cosine of human's faceres embeddings, the same
 * line as two live faces (FACE_MATCH_THRESHOLD, whose impostor side docs/identity-measurements.md
 * measures). Measured on printed specimens held up at 1280x720 (docs/documents.md): the same person
 * scores 0.85–0.89 (a cap12 frame printed, against a reference of four other cap12 frames; 8 reads)
 * and 0.87–0.89 (the astronaut against its mesh render); other people 0.34–0.41 (12 reads). A
 * passport photo taken years before the interview will score lower than these; a mismatch is a
 * high flag for a person to look at, never a refusal.
 */
export const PORTRAIT_MATCH_THRESHOLD = FACE_MATCH_THRESHOLD;
