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
 * The portrait's face against the live reference: cosine of human's faceres embeddings. A printed,
 * photographed portrait scores lower against its own person than two live frames do
 * (FACE_MATCH_THRESHOLD, 0.62); measured in test/documents.e2e.test.ts and docs/documents.md.
 */
export const PORTRAIT_MATCH_THRESHOLD = 0.5;
