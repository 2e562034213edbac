import { describe, expect, it } from "vitest";
import { MAX_OVERRIDE_LENGTH, parseOverrides } from "./overrides.js";

describe("parseOverrides", () => {
  it("keeps valid text and nested entries, reporting them as dotted paths", () => {
    const { values, report } = parseOverrides({ consentHeading: "Avant de commencer", guidance: { noFace: "Pas de visage", hold: "Ne bougez plus" } });
    expect(report).toEqual({ applied: ["consentHeading", "guidance.noFace", "guidance.hold"], unknownKeys: [], invalid: [] });
    expect(values).toEqual({ consentHeading: "Avant de commencer", guidance: { noFace: "Pas de visage", hold: "Ne bougez plus" } });
  });

  it("reports unknown keys, at the top and inside records, and still applies the rest", () => {
    const { values, report } = parseOverrides({ consentHeadline: "typo", retry: "Again", steps: { turn_up: "Look up", turn_left: "Left!" } });
    expect(report.unknownKeys).toEqual(["consentHeadline", "steps.turn_up"]);
    expect(report.applied).toEqual(["retry", "steps.turn_left"]);
    expect(values).toEqual({ retry: "Again", steps: { turn_left: "Left!" } });
  });

  it("rejects values of the wrong type or blank ones", () => {
    const { values, report } = parseOverrides({
      title: 42,
      loading: { text: "x" },
      retry: "   ",
      mute: "",
      guidance: "not a record",
      camera: ["NoCamera"],
      fit: { noFace: null, hold: "Hold" },
      verifying: "x".repeat(MAX_OVERRIDE_LENGTH + 1),
      unmute: "y".repeat(MAX_OVERRIDE_LENGTH),
    });
    expect(report.invalid).toEqual(["title", "loading", "retry", "mute", "guidance", "camera", "fit.noFace", "verifying"]);
    expect(report.applied).toEqual(["fit.hold", "unmute"]);
    expect(Object.keys(values)).toEqual(["fit", "unmute"]);
  });

  it("turns a function entry's template into a function, placeholders in any order", () => {
    const { values, report } = parseOverrides({ stepOf: "{i} / {n}", attemptsLeft: "Attempts left: {n}", consentFaceTemplate: "Kept {days} days." });
    expect(report.applied).toEqual(["stepOf", "attemptsLeft", "consentFaceTemplate"]);
    expect((values.stepOf as (i: number, n: number) => string)(2, 3)).toBe("2 / 3");
    expect((values.attemptsLeft as (n: number) => string)(0)).toBe("Attempts left: 0");
    const reversed = parseOverrides({ stepOf: "من {n}: {i}" }).values.stepOf as (i: number, n: number) => string;
    expect(reversed(1, 4)).toBe("من 4: 1");
    const twice = parseOverrides({ stepOf: "{i}/{n} ({i})" }).values.stepOf as (i: number, n: number) => string;
    expect(twice(1, 4)).toBe("1/4 (1)");
  });

  it("rejects a template with an unknown or missing placeholder, or that is not text", () => {
    const { values, report } = parseOverrides({
      stepOf: "{i} of {total}",
      attemptsLeft: "Some attempts left",
      consentFaceTemplate: "{days} days {}",
    });
    expect(report.invalid).toEqual(["stepOf", "attemptsLeft", "consentFaceTemplate"]);
    expect(values).toEqual({});
    expect(parseOverrides({ stepOf: 7 }).report.invalid).toEqual(["stepOf"]);
    expect(parseOverrides({ stepOf: { i: 1 } }).report.invalid).toEqual(["stepOf"]);
  });

  it("keeps markup as text: nothing is escaped, parsed or dropped", () => {
    const markup = '<img src=x onerror="alert(1)"><b>Hi</b> & {x}';
    const { values } = parseOverrides({ consentHeading: markup, steps: { move_closer: "<script>alert(1)</script>" } });
    expect(values.consentHeading).toBe(markup);
    expect(values.steps).toEqual({ move_closer: "<script>alert(1)</script>" });
  });

  it("treats null and undefined as no overrides, and any other non-object as invalid", () => {
    expect(parseOverrides(undefined).report).toEqual({ applied: [], unknownKeys: [], invalid: [] });
    expect(parseOverrides(null).report).toEqual({ applied: [], unknownKeys: [], invalid: [] });
    for (const raw of ["title", 1, true, ["title"], new Map([["title", "x"]]), new Date()]) {
      expect(parseOverrides(raw).report, String(raw)).toEqual({ applied: [], unknownKeys: [], invalid: ["(root)"] });
    }
  });

  it("reads only own keys: inherited properties and prototype keys cannot reach the table", () => {
    // What JSON.parse or a structured clone of a hostile message yields: "__proto__" as an own key.
    const hostile = JSON.parse('{"__proto__": {"title": "polluted"}, "constructor": {"prototype": {"x": 1}}, "guidance": {"__proto__": {"noFace": "p"}}}');
    const { values, report } = parseOverrides(hostile);
    expect(report.unknownKeys).toEqual(["__proto__", "constructor", "guidance.__proto__"]);
    expect(report.applied).toEqual([]);
    expect(values).toEqual({});
    expect(({} as Record<string, unknown>).title).toBeUndefined();
    const inherited = Object.create({ title: "from the prototype" });
    expect(parseOverrides(inherited).report.invalid).toEqual(["(root)"]);
  });
});
