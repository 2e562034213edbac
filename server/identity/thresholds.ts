/** Provisional until measured: between the impostor maximum (0.40) and the genuine minimum (0.71) in DESIGN.md. */
export const FACE_MATCH_THRESHOLD = 0.55;
