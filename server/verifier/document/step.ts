import type { DocumentReport } from "../../../shared/verifier-job.js";
import { normalize } from "../../identity/template.js";
import type { FaceAnalyzer, RgbFrame } from "../analyzer/index.js";
import { type FoundZone, readFrameZone } from "./frame-reader.js";
import type { Gray } from "./mrz-locate.js";
import { type FrameRead, voteReads } from "./mrz-read.js";
import type { OcrReader } from "./ocr.js";

/** The document step's limits (one place, so the page, the kit's deadline and the verifier agree). */
export const DOCUMENT_STEP = {
  /** How long the verifier looks for a document after the pass, ms. */
  lookForMs: 20_000,
  /**
   * Least time between two frames read. A frame with a zone costs ~300 ms of OCR (docs/documents.md);
   * one without costs the zone search only, and reading those back to back would only burn a core.
   */
  minGapMs: 250,
} as const;

/**
 * Where the portrait sits on an ICAO 9303 document, relative to its MRZ: `D` is the document's width,
 * estimated from the zone's (the MRZ spans ~90 % of it); rows are measured up from the zone's top.
 * Passports (TD3) and cards (TD1) place the photograph at the left, above the zone. The box stays
 * inside the document: a face behind it (the candidate's own) must never be taken for the portrait.
 */
const PORTRAIT_BOX = {
  TD3: { left: 0, right: 0.4, above: 0.53, below: 0.1 },
  TD1: { left: 0, right: 0.38, above: 0.4, below: 0.1 },
} as const;
const MRZ_SHARE_OF_WIDTH = 0.9;

/** An RGB frame as the 8-bit grey the MRZ reader takes (ITU-R BT.601 luma). */
export function toGray(frame: RgbFrame): Gray {
  const out = new Uint8Array(frame.width * frame.height);
  const d = frame.data;
  for (let i = 0, j = 0; i < out.length; i += 1, j += 3) out[i] = (77 * d[j]! + 150 * d[j + 1]! + 29 * d[j + 2]!) >> 8;
  return { width: frame.width, height: frame.height, data: out };
}

/**
 * The document's portrait area, cut upright from the frame at the zone's skew (nearest pixel: the
 * face model resizes it anyway). Pixels outside the frame are grey.
 */
export function portraitArea(frame: RgbFrame, zone: FoundZone, format: "TD1" | "TD3"): RgbFrame {
  const { region, scale } = zone;
  const box = PORTRAIT_BOX[format];
  const zoneWidth = (region.x1 - region.x0) * scale;
  const docWidth = zoneWidth / MRZ_SHARE_OF_WIDTH;
  const docLeft = region.x0 * scale - (docWidth - zoneWidth) / 2;
  const top = region.r0 * scale - box.above * docWidth;
  const left = docLeft + box.left * docWidth;
  const width = Math.max(1, Math.round((box.right - box.left) * docWidth));
  const height = Math.max(1, Math.round((box.above - box.below) * docWidth));
  const rad = (region.angleDeg * Math.PI) / 180;
  const sin = Math.sin(rad);
  const cos = Math.cos(rad);
  const out = new Uint8Array(width * height * 3).fill(128);
  for (let j = 0; j < height; j += 1) {
    const r = top + j;
    for (let i = 0; i < width; i += 1) {
      const xr = left + i;
      const x = Math.round(xr * cos - r * sin);
      const y = Math.round(xr * sin + r * cos);
      if (x < 0 || y < 0 || x >= frame.width || y >= frame.height) continue;
      const from = (y * frame.width + x) * 3;
      const to = (j * width + i) * 3;
      out[to] = frame.data[from]!;
      out[to + 1] = frame.data[from + 1]!;
      out[to + 2] = frame.data[from + 2]!;
    }
  }
  return { width, height, data: out };
}

type Report = Omit<DocumentReport, "type" | "snapshot" | "lookedMs">;

/**
 * Reads an identity document from frames the verifier decoded: the MRZ of each frame (two OCR
 * engines, `readFrameZone`), voted over frames (`voteReads`: two identical valid reads), and the
 * face in the portrait area of a frame that read valid, embedded by the same model as the live
 * reference. `offer` returns the result once the vote is decided; `result` says what there is when
 * time runs out.
 */
export class DocumentStep {
  private readonly reads: FrameRead[] = [];
  private portraitEmbedding: number[] | undefined;
  /** The frame whose read decided the vote, for the snapshot. */
  decidingFrame: RgbFrame | undefined;

  constructor(
    private readonly ocr: OcrReader,
    private readonly secondOpinion: OcrReader,
    private readonly analyzer: FaceAnalyzer,
  ) {}

  get framesRead(): number {
    return this.reads.length;
  }

  /** Reads one frame; resolves to the result when this frame decided the vote. */
  async offer(frame: RgbFrame): Promise<Report | undefined> {
    const { read, zone } = await readFrameZone(toGray(frame), this.ocr, this.secondOpinion);
    this.reads.push(read);
    if (read.kind === "valid" && zone && !this.portraitEmbedding) {
      // A copy: the analyser may take the buffer it is given.
      const analysis = await this.analyzer.analyze(portraitArea(frame, zone, read.fields.format), { embedding: true });
      // Unit length, as the reference template is, so the kit compares them by cosine.
      if (analysis.faces.length >= 1 && analysis.embedding) this.portraitEmbedding = Array.from(normalize(analysis.embedding), (x) => Number(x.toFixed(6)));
    }
    const outcome = voteReads(this.reads);
    if (outcome.kind === "unreadable") return undefined;
    this.decidingFrame = frame;
    return this.result();
  }

  /** The result so far: a decided read or invalid document, else unreadable. */
  result(): Report {
    const outcome = voteReads(this.reads);
    const counts = { framesRead: this.reads.length, agreeingFrames: outcome.kind === "unreadable" ? 0 : outcome.agreeingFrames };
    if (outcome.kind === "read") {
      return { outcome: "read", fields: outcome.fields, ...counts, ...(this.portraitEmbedding ? { portraitEmbedding: this.portraitEmbedding } : {}) };
    }
    if (outcome.kind === "invalid") return { outcome: "invalid", failedChecks: outcome.failed.slice(0, 10), ...counts };
    return { outcome: "unreadable", ...counts };
  }
}
