import sharp from "sharp";
import { cropUpright, locateMrz, type Gray, type MrzRegion } from "./mrz-locate.js";
import { lettersAgree, nameLine, readMrzLines, type FrameRead } from "./mrz-read.js";
import type { OcrReader } from "./ocr.js";

/** Width the zone is searched at: enough for 2–3 text rows, cheap on a 1280 px frame. */
const SEARCH_WIDTH = 640;
/** The crop is enlarged so a row of OCR-B is about 36 px tall, where Tesseract reads it best. */
const TARGET_ROW_HEIGHT = 36;

/** Box-filters a grey frame down to `width` (integer factor), for the zone search. */
export function shrink(img: Gray, width: number): { image: Gray; scale: number } {
  const factor = Math.max(1, Math.floor(img.width / width));
  if (factor === 1) return { image: img, scale: 1 };
  const w = Math.floor(img.width / factor);
  const h = Math.floor(img.height / factor);
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y += 1) {
    for (let x = 0; x < w; x += 1) {
      let sum = 0;
      for (let dy = 0; dy < factor; dy += 1) {
        const row = (y * factor + dy) * img.width + x * factor;
        for (let dx = 0; dx < factor; dx += 1) sum += img.data[row + dx] ?? 0;
      }
      out[y * w + x] = Math.round(sum / (factor * factor));
    }
  }
  return { image: { width: w, height: h, data: out }, scale: factor };
}

/** Otsu's threshold: black print on the page, whatever the exposure. */
export function binarize(img: Gray): Gray {
  const histogram = new Float64Array(256);
  for (const v of img.data) histogram[v] = (histogram[v] ?? 0) + 1;
  const total = img.data.length;
  let sumAll = 0;
  for (let i = 0; i < 256; i += 1) sumAll += i * (histogram[i] ?? 0);
  let sumBelow = 0;
  let below = 0;
  let best = 0;
  let threshold = 128;
  for (let t = 0; t < 256; t += 1) {
    const count = histogram[t] ?? 0;
    below += count;
    if (below === 0 || below === total) continue;
    sumBelow += t * count;
    const meanBelow = sumBelow / below;
    const meanAbove = (sumAll - sumBelow) / (total - below);
    const between = below * (total - below) * (meanBelow - meanAbove) ** 2;
    if (between > best) {
      best = between;
      threshold = t;
    }
  }
  return { ...img, data: img.data.map((v) => (v > threshold ? 255 : 0)) };
}

/**
 * Lanczos enlargement, then a light unsharp mask: a camera's blur fills the
 * short V of OCR-B's M, which Tesseract then reads as H (measured).
 */
async function enlarge(img: Gray, zoom: number): Promise<Gray> {
  const { data, info } = await sharp(Buffer.from(img.data.buffer, img.data.byteOffset, img.data.length), {
    raw: { width: img.width, height: img.height, channels: 1 },
  })
    .resize(Math.round(img.width * zoom), undefined, { kernel: "lanczos3" })
    .sharpen({ sigma: 1 })
    .grayscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

/** Where a frame's zone was found: the region in search coordinates and the factor back to the frame's. */
export interface FoundZone {
  region: MrzRegion;
  scale: number;
}

/** Finds, straightens and reads the MRZ in one decoded frame. */
export async function readFrame(frame: Gray, ocr: OcrReader, secondOpinion?: OcrReader): Promise<FrameRead> {
  return (await readFrameZone(frame, ocr, secondOpinion)).read;
}

/** `readFrame`, and where the zone was, so the document's portrait can be found from it. */
export async function readFrameZone(frame: Gray, ocr: OcrReader, secondOpinion?: OcrReader): Promise<{ read: FrameRead; zone?: FoundZone }> {
  const { image, scale } = shrink(frame, SEARCH_WIDTH);
  const region = locateMrz(image);
  if (!region) return { read: { kind: "none" } };
  return { read: await readZone(frame, region, scale, ocr, secondOpinion), zone: { region, scale } };
}

async function readZone(frame: Gray, region: MrzRegion, scale: number, ocr: OcrReader, secondOpinion?: OcrReader): Promise<FrameRead> {
  const rowHeight = ((region.r1 - region.r0) * scale) / (region.rows + 1.2);
  const zoom = Math.min(4, Math.max(1, TARGET_ROW_HEIGHT / rowHeight));
  const crop = binarize(await enlarge(cropUpright(frame, region, scale, 1), zoom));
  const read = readMrzLines(await ocr.readLines(crop));
  // Names carry no check digit: a valid read counts only if a second engine finds the same words.
  if (read.kind === "valid" && secondOpinion && !lettersAgree(nameLine(read), await secondOpinion.readLines(crop))) return { kind: "none" };
  return read;
}
