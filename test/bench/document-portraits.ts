/**
 * Portrait-to-live similarity, the numbers behind PORTRAIT_MATCH_THRESHOLD: specimen passports whose
 * portrait is a cap12 frame (the same man) or another public-domain face, held up at 1280x720 and
 * read by the verifier's real document step (OCR, portrait area, face model), each compared with a
 * reference built as a pass builds it from four other cap12 frames. Usage: npm run bench:document-portraits
 */
import { execFileSync } from "node:child_process";
import sharp from "sharp";
import { SPECIMEN_PASSPORT } from "../helpers/documents/mrz-lines.js";
import { holdUp, portraitOf, renderDocument } from "../helpers/documents/specimen.js";
import { cap12File } from "../helpers/follow-attack-frames.js";
import { createHumanAnalyzer } from "../../server/verifier/analyzer/index.js";
import { createTesseractReader } from "../../server/verifier/document/tesseract-reader.js";
import { DocumentStep } from "../../server/verifier/document/step.js";
import { buildTemplate, cosine } from "../../server/identity/template.js";

const analyzer = await createHumanAnalyzer({ embedding: true, antispoof: false });
const [ocr, second] = await Promise.all([createTesseractReader("legacy"), createTesseractReader("lstm")]);
/** One cap12 frame at `t` s, 640x480 PNG. */
const frameAt = (t: number) => execFileSync("ffmpeg", ["-nostdin", "-v", "error", "-ss", String(t), "-i", cap12File(), "-frames:v", "1", "-vf", "scale=640:480", "-f", "image2", "-c:v", "png", "pipe:1"], { maxBuffer: 1 << 26 });
const rgb = async (png: Buffer) => { const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true }); return { width: info.width, height: info.height, data: new Uint8Array(data) }; };

// Reference: four frames facing the camera, as a pass keeps them (halved to 320 as the session does).
const refTimes = [2, 4, 6, 8];
const embeddings: number[][] = [];
for (const t of refTimes) {
  const f = await rgb(await sharp(frameAt(t)).resize(320, 240).png().toBuffer());
  const a = await analyzer.analyze(f, { embedding: true });
  if (a.faces.length === 1 && a.embedding) embeddings.push(a.embedding);
}
const reference = buildTemplate(embeddings).vector;
console.log("reference frames", embeddings.length);

async function portraitFrom(t: number): Promise<Buffer> {
  const png = frameAt(t);
  const f = await rgb(png);
  const a = await analyzer.analyze(f);
  const box = a.faces[0]!.box; // normalised
  const cx = (box.x + box.w / 2) * 640, cy = (box.y + box.h / 2) * 480, w = box.w * 640 * 1.7, h = w * 1.25;
  const left = Math.max(0, Math.round(cx - w / 2)), top = Math.max(0, Math.round(cy - h / 2));
  return sharp(png).extract({ left, top, width: Math.min(640 - left, Math.round(w)), height: Math.min(480 - top, Math.round(h)) }).png().toBuffer();
}

async function measure(label: string, portrait: Buffer) {
  const page = await renderDocument(SPECIMEN_PASSPORT, portrait);
  const sims: number[] = [];
  for (let seed = 1; seed <= 4; seed++) {
    const step = new DocumentStep(ocr, second, analyzer);
    for (let i = 0; i < 4; i++) {
      const jpeg = await holdUp(page, { width: 1280, height: 720, fill: 0.55 + 0.05 * (seed % 3), tiltDeg: [4, -3, 2, -5][seed - 1]! + i, blur: 0.5 + 0.1 * i, noise: 3, seed: seed * 10 + i });
      const r = await step.offer(await rgb(jpeg));
      if (r) break;
    }
    const res = step.result();
    sims.push(res.portraitEmbedding ? Number(cosine(res.portraitEmbedding, reference).toFixed(3)) : NaN);
  }
  console.log(label, sims.join(", "));
}
await measure("cap12 portrait (t=12s) vs cap12 reference", await portraitFrom(12));
await measure("cap12 portrait (t=25s, turned) vs cap12 reference", await portraitFrom(25));
await measure("astronaut portrait vs cap12 reference", await portraitOf("astronaut"));
await measure("cameraman portrait vs cap12 reference", await portraitOf("cameraman"));
await Promise.all([ocr.close(), second.close(), analyzer.close()]);
