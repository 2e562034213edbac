import type { VerificationFailure } from "../../shared/verification.js";
import type { ReferenceFace } from "../../shared/verifier-job.js";
import { buildTemplate } from "../identity/template.js";
import { mixedReference } from "../identity/thresholds.js";
import type { FaceAnalyzer, RgbFrame } from "./analyzer/index.js";

/** Frames kept for the reference, newest last; each costs one embedding (about 110 ms) at a pass. */
const MAX_FRAMES = 4;
/** Spread the frames over time so one blink or blur does not set the template. */
const MIN_GAP_MS = 300;

/**
 * What the kept frames made: a reference face; a refusal, when they are of more than one person
 * (`mixed`, which fails the check); or nothing, when no frame embedded exactly one face or the
 * analyser failed (`none`, a pass the kit flags). `reason` is for the interviewer's timeline.
 */
export type ReferenceOutcome =
  | { kind: "built"; reference: ReferenceFace }
  | { kind: "mixed"; frames: number; consistency: number; agreement: number; reason: string }
  | { kind: "none"; reason: string };

/**
 * Gathers frames of the candidate facing the camera during the check (the
 * fit and the pauses), and at a pass turns them into the reference face: one
 * embedding per frame, averaged, with human's antispoof score kept as a
 * passive signal. Frames of two people are refused, never averaged into a
 * template that would match both.
 */
export class ReferenceCollector {
  private readonly frames: { frame: RgbFrame; at: number }[] = [];

  /** Keeps a copy of a single-face frame; the analyser may detach the original's buffer. */
  offer(frame: RgbFrame, at: number): void {
    const last = this.frames.at(-1);
    if (last && at - last.at < MIN_GAP_MS) return;
    this.frames.push({ frame: { width: frame.width, height: frame.height, data: frame.data.slice() }, at });
    if (this.frames.length > MAX_FRAMES) this.frames.shift();
  }

  get size(): number {
    return this.frames.length;
  }

  /** The reference face, or why there is none. Rejects when the analyser fails. */
  async build(analyzer: FaceAnalyzer): Promise<ReferenceOutcome> {
    if (this.frames.length === 0) return { kind: "none", reason: "no reference face: no single-face frame was kept while the candidate faced the camera" };
    const embeddings: number[][] = [];
    const antispoof: number[] = [];
    for (const { frame } of this.frames) {
      const analysis = await analyzer.analyze(frame, { embedding: true, antispoof: true });
      if (analysis.faces.length !== 1 || !analysis.embedding) continue;
      embeddings.push(analysis.embedding);
      if (analysis.antispoof !== undefined) antispoof.push(Number(analysis.antispoof.toFixed(3)));
    }
    if (embeddings.length === 0) return { kind: "none", reason: `no reference face: none of the ${this.frames.length} kept frames gave one embedded face` };
    const template = buildTemplate(embeddings);
    const measured = {
      frames: template.frames,
      consistency: Number(template.consistency.toFixed(4)),
      agreement: Number(template.agreement.toFixed(4)),
    };
    const mixed = mixedReference(measured);
    if (mixed) return { kind: "mixed", ...measured, reason: mixed };
    return {
      kind: "built",
      reference: { embedding: Array.from(template.vector, (x) => Number(x.toFixed(6))), ...measured, antispoof },
    };
  }
}

/** The judge's verdict, as far as the reference changes it. */
export interface SettledVerdict {
  passed: boolean;
  failure?: VerificationFailure;
  reasons: string[];
  reference?: ReferenceFace;
}

/** Reasons a verdict report may carry (`VerifierReport`). */
const MAX_REASONS = 20;

/**
 * The verdict to report once the reference is known: a pass whose frames are of more than one
 * person fails as `MultipleFaces`; a pass without a reference stays a pass and says why in its
 * reasons (the kit records `no_reference_face` and flags it); otherwise the reference rides along.
 */
export function settleVerdict(judged: { passed: boolean; failure?: VerificationFailure; reasons: string[] }, outcome: ReferenceOutcome | undefined): SettledVerdict {
  const base = { passed: judged.passed, ...(judged.failure ? { failure: judged.failure } : {}), reasons: judged.reasons };
  if (!judged.passed || !outcome) return base;
  const withReason = (reason: string) => [...judged.reasons.slice(0, MAX_REASONS - 1), reason.slice(0, 500)];
  switch (outcome.kind) {
    case "built":
      return { ...base, reference: outcome.reference };
    case "mixed":
      return { passed: false, failure: "MultipleFaces", reasons: withReason(outcome.reason) };
    case "none":
      return { ...base, reasons: withReason(outcome.reason) };
  }
}
