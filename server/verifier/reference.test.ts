import { describe, expect, it } from "vitest";
import { EMBEDDING_LENGTH } from "../../shared/verifier-job.js";
import type { FaceAnalyzer, FrameAnalysis, RgbFrame } from "./analyzer/index.js";
import { ReferenceCollector, type ReferenceOutcome, settleVerdict } from "./reference.js";

/** A unit-ish vector: `base` with a small deterministic wobble per frame. */
const vector = (base: number, wobble: number) => Array.from({ length: EMBEDDING_LENGTH }, (_, i) => Math.sin(i * base) + wobble * Math.cos(i * 7.3));

/** An analyser that answers each frame (by its first byte) from a table; real analysis is covered by test/mixed-reference.test.ts. */
function fakeAnalyzer(answers: Record<number, FrameAnalysis | Error>): FaceAnalyzer {
  return {
    analyze: async (frame: RgbFrame) => {
      const answer = answers[frame.data[0]!]!;
      if (answer instanceof Error) throw answer;
      return answer;
    },
  } as unknown as FaceAnalyzer;
}

const face = { score: 0.9, box: { x: 0.3, y: 0.3, w: 0.3, h: 0.4 }, yawDeg: 0, pitchDeg: 0, rollDeg: 0 };
const frame = (id: number): RgbFrame => ({ width: 2, height: 1, data: new Uint8Array([id, 0, 0, 0, 0, 0]) });
const offered = (ids: number[]) => {
  const collector = new ReferenceCollector();
  ids.forEach((id, i) => collector.offer(frame(id), i * 400));
  return collector;
};

describe("ReferenceCollector.build", () => {
  it("builds a reference from frames that agree, with their agreement", async () => {
    const analyzer = fakeAnalyzer({
      1: { faces: [face], inferenceMs: 1, embedding: vector(0.11, 0), antispoof: 0.7 },
      2: { faces: [face], inferenceMs: 1, embedding: vector(0.11, 0.05), antispoof: 0.71 },
    });
    const outcome = await offered([1, 2]).build(analyzer);
    expect(outcome.kind).toBe("built");
    if (outcome.kind !== "built") return;
    expect(outcome.reference).toMatchObject({ frames: 2, antispoof: [0.7, 0.71] });
    expect(outcome.reference.agreement).toBeGreaterThan(0.99);
  });

  it("refuses frames of two unrelated faces", async () => {
    const analyzer = fakeAnalyzer({
      1: { faces: [face], inferenceMs: 1, embedding: vector(0.11, 0) },
      2: { faces: [face], inferenceMs: 1, embedding: vector(0.53, 0) },
    });
    expect(await offered([1, 2, 1, 2]).build(analyzer)).toMatchObject({ kind: "mixed", frames: 4 });
  });

  it("says why there is no reference when no kept frame embeds one face, or none was kept", async () => {
    const twoFaces = fakeAnalyzer({ 1: { faces: [face, face], inferenceMs: 1, embedding: vector(0.11, 0) } });
    expect(await offered([1]).build(twoFaces)).toEqual({ kind: "none", reason: expect.stringMatching(/^no reference face: none of the 1 kept frames/) });
    expect(await new ReferenceCollector().build(twoFaces)).toMatchObject({ kind: "none" });
  });

  it("rejects when the analyser fails, so the session can say so", async () => {
    await expect(offered([1]).build(fakeAnalyzer({ 1: new Error("worker crashed") }))).rejects.toThrow("worker crashed");
  });
});

describe("settleVerdict", () => {
  const pass = { passed: true, reasons: ["followed"] };
  const none: ReferenceOutcome = { kind: "none", reason: "no reference face: the face analyser failed while building it" };

  it("keeps a pass without a reference, never silently: the reason goes with it", () => {
    expect(settleVerdict(pass, none)).toEqual({ passed: true, reasons: ["followed", none.reason] });
  });

  it("fails a pass whose reference mixes two people as MultipleFaces", () => {
    const mixed: ReferenceOutcome = { kind: "mixed", frames: 4, consistency: 0.8, agreement: 0.3, reason: "two people" };
    expect(settleVerdict(pass, mixed)).toEqual({ passed: false, failure: "MultipleFaces", reasons: ["followed", "two people"] });
  });

  it("leaves a failure alone, and keeps the reasons within the report's limit", () => {
    expect(settleVerdict({ passed: false, failure: "TooSlow", reasons: ["late"] }, undefined)).toEqual({ passed: false, failure: "TooSlow", reasons: ["late"] });
    const many = { passed: true, reasons: Array.from({ length: 20 }, (_, i) => `r${i}`) };
    expect(settleVerdict(many, none).reasons).toHaveLength(20);
    expect(settleVerdict(many, none).reasons.at(-1)).toBe(none.reason);
  });
});
