import { describe, expect, it } from "vitest";
import { ALERT_COMPARE_MS, CompareSchedule, STEADY_COMPARE_MS } from "./compare-schedule.js";

const face = (x: number, w = 0.3) => ({ score: 0.9, box: { x, y: 0.3, w, h: w }, yawDeg: NaN, pitchDeg: NaN, rollDeg: NaN });

describe("CompareSchedule", () => {
  it("compares at once at the start, then every second until the match is clear twice", () => {
    const s = new CompareSchedule(0.62);
    s.sawFaces([face(0.3)]);
    expect(s.due(0)).toBe(true);
    s.compared(0, 0.9);
    expect(s.due(ALERT_COMPARE_MS - 1)).toBe(false);
    expect(s.due(ALERT_COMPARE_MS)).toBe(true);
    s.compared(ALERT_COMPARE_MS, 0.91);
    // Two clear matches and a still face: every two seconds.
    expect(s.due(2 * ALERT_COMPARE_MS)).toBe(false);
    expect(s.due(ALERT_COMPARE_MS + STEADY_COMPARE_MS)).toBe(true);
  });

  it("stays at once a second while the match is near or below the threshold", () => {
    const s = new CompareSchedule(0.62);
    s.sawFaces([face(0.3)]);
    s.compared(0, 0.68);
    s.compared(1_000, 0.69);
    expect(s.due(2_000)).toBe(true);
  });

  it("brings a comparison forward when the face box jumps, the face goes, or several faces appear", () => {
    for (const change of [[face(0.6)], [], [face(0.3), face(0.6)], [face(0.3, 0.45)]]) {
      const s = new CompareSchedule(0.62);
      s.sawFaces([face(0.3)]);
      s.compared(0, 0.9);
      s.compared(1_000, 0.9);
      s.sawFaces([face(0.31)]);
      expect(s.due(1_600), "a small sway is no change").toBe(false);
      s.sawFaces(change);
      expect(s.due(1_600), JSON.stringify(change)).toBe(true);
    }
  });
});
