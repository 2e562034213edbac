import { describe, expect, it } from "vitest";
import { FACE_MATCH_THRESHOLD, REFERENCE_MIN_AGREEMENT, REFERENCE_MIN_CONSISTENCY, mixedReference } from "./thresholds.js";

describe("mixedReference", () => {
  it("takes a reference whose frames agree as one person's", () => {
    expect(mixedReference({ frames: 4, consistency: 0.95, agreement: 0.85 })).toBeUndefined();
    // A reference from a verifier that did not report agreement is judged on its consistency.
    expect(mixedReference({ frames: 4, consistency: 0.95 })).toBeUndefined();
  });

  it("refuses two frames that the match threshold calls two people, whatever the mean's consistency", () => {
    expect(REFERENCE_MIN_AGREEMENT).toBe(FACE_MATCH_THRESHOLD);
    expect(mixedReference({ frames: 4, consistency: 0.87, agreement: 0.55 })).toMatch(/two of them match at 0\.55, below the match threshold 0\.62/);
  });

  it("refuses a consistency below the line, with or without agreement", () => {
    expect(mixedReference({ frames: 4, consistency: REFERENCE_MIN_CONSISTENCY - 0.01 })).toMatch(/matches their mean at only 0\.84, below 0\.85/);
    expect(mixedReference({ frames: 4, consistency: 0.8, agreement: 0.7 })).toMatch(/more than one person/);
  });
});
