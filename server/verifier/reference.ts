import type { ReferenceFace } from "../../shared/verifier-job.js";
import { buildTemplate } from "../identity/template.js";
import type { FaceAnalyzer, RgbFrame } from "./analyzer/index.js";

/** Frames kept for the reference, newest last; each costs one embedding (about 110 ms) at a pass. */
const MAX_FRAMES = 4;
/** Spread the frames over time so one blink or blur does not set the template. */
const MIN_GAP_MS = 300;

/**
 * Gathers frames of the candidate facing the camera during the check (the
 * fit and the pauses), and at a pass turns them into the reference face: one
 * embedding per frame, averaged, with human's antispoof score kept as a
 * passive signal.
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

  /** The reference face, or undefined when no kept frame yields exactly one embedded face. */
  async build(analyzer: FaceAnalyzer): Promise<ReferenceFace | undefined> {
    const embeddings: number[][] = [];
    const antispoof: number[] = [];
    for (const { frame } of this.frames) {
      const analysis = await analyzer.analyze(frame, { embedding: true, antispoof: true });
      if (analysis.faces.length !== 1 || !analysis.embedding) continue;
      embeddings.push(analysis.embedding);
      if (analysis.antispoof !== undefined) antispoof.push(Number(analysis.antispoof.toFixed(3)));
    }
    if (embeddings.length === 0) return undefined;
    const template = buildTemplate(embeddings);
    return {
      embedding: Array.from(template.vector, (x) => Number(x.toFixed(6))),
      frames: template.frames,
      consistency: Number(template.consistency.toFixed(4)),
      antispoof,
    };
  }
}
