/**
 * Synthetic specimen identity documents (ICAO 9303 TD3 passport pages and TD1
 * cards) rendered with sharp: a real public-domain portrait, the printed
 * fields, and the MRZ set in Debian's OCR-B (fonts-ocr-b). Then "held up to a
 * camera": tilted, blurred and noised over a real background at the camera's
 * resolution. Nobody's real document is used; every page says SPECIMEN.
 */
import sharp from "sharp";
import type { Gray } from "../../../server/verifier/document/mrz-locate.js";
import { mrzLines, type SpecimenData } from "./mrz-lines.js";

/** Public-domain faces shipped by Debian's python3-skimage. */
export const PORTRAITS = {
  astronaut: { file: "/usr/lib/python3/dist-packages/skimage/data/astronaut.png", crop: { left: 140, top: 20, width: 160, height: 200 } },
  cameraman: { file: "/usr/lib/python3/dist-packages/skimage/data/camera.png", crop: { left: 190, top: 30, width: 140, height: 175 } },
} as const;
export const BACKGROUND = "/usr/lib/python3/dist-packages/skimage/data/coffee.png";

const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const dateText = (yymmdd: string) => `${yymmdd.slice(4, 6)}.${yymmdd.slice(2, 4)}.${Number(yymmdd.slice(0, 2)) > 40 ? 19 : 20}${yymmdd.slice(0, 2)}`;

/** Size of the flat document in pixels (ISO/IEC 7810 ID-3 for TD3, ID-1 for TD1, at ~8 px/mm). */
export function documentSize(format: SpecimenData["format"]) {
  return format === "TD3" ? { width: 1000, height: 704 } : { width: 856, height: 540 };
}

/** The flat document as a PNG: portrait (a JPEG/PNG buffer or a file), printed fields and MRZ. */
export async function renderDocument(data: SpecimenData, portrait: Buffer): Promise<Buffer> {
  const { width, height } = documentSize(data.format);
  const lines = mrzLines(data);
  // OCR-B advances 0.7 em per character; the MRZ fills the page's width less 5 % margins.
  const mrzFont = Math.floor((width * 0.9) / (Math.max(...lines.map((l) => l.length)) * 0.7));
  const mrzTop = height - lines.length * mrzFont * 1.25 - height * 0.04;
  const fields: Array<[string, string]> = [
    ["Surname / Nom", data.surname.toUpperCase()],
    ["Given names / Prénoms", data.givenNames.toUpperCase()],
    ["Nationality", data.nationality],
    ["Date of birth", dateText(data.birthDate)],
    ["Sex", data.sex],
    ["Date of expiry", dateText(data.expiryDate)],
    ["Document no.", data.documentNumber],
  ];
  const portraitBox = { left: Math.round(width * 0.05), top: Math.round(height * 0.14), width: Math.round(width * 0.26), height: Math.round(height * 0.46) };
  const fieldX = portraitBox.left + portraitBox.width + Math.round(width * 0.05);
  const row = (mrzTop - mrzFont - portraitBox.top) / fields.length;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#eef3f7"/><stop offset="1" stop-color="#dfe9e4"/></linearGradient></defs>
    <rect width="100%" height="100%" rx="${width * 0.03}" fill="url(#g)"/>
    <text x="${width * 0.05}" y="${height * 0.09}" font-family="DejaVu Sans" font-weight="bold" font-size="${height * 0.05}" fill="#1d3557">${data.format === "TD3" ? "PASSPORT" : "IDENTITY CARD"} · ${escape(data.issuingState)} · SPECIMEN</text>
    ${fields
      .map(
        ([label, value], i) => `<text x="${fieldX}" y="${portraitBox.top + i * row + row * 0.35}" font-family="DejaVu Sans" font-size="${row * 0.26}" fill="#456">${escape(label)}</text>
      <text x="${fieldX}" y="${portraitBox.top + i * row + row * 0.8}" font-family="DejaVu Sans" font-weight="bold" font-size="${row * 0.4}" fill="#111">${escape(value)}</text>`,
      )
      .join("")}
    <rect x="0" y="${mrzTop - mrzFont * 0.6}" width="${width}" height="${height - mrzTop + mrzFont * 0.6}" fill="#fbfbf8" opacity="0.85"/>
    ${lines.map((line, i) => `<text x="${width * 0.05}" y="${mrzTop + (i + 0.8) * mrzFont * 1.25}" font-family="OCR B" font-size="${mrzFont}" fill="#000" xml:space="preserve">${escape(line)}</text>`).join("")}
  </svg>`;
  const face = await sharp(portrait).resize(portraitBox.width, portraitBox.height, { fit: "cover" }).png().toBuffer();
  return sharp(Buffer.from(svg)).composite([{ input: face, left: portraitBox.left, top: portraitBox.top }]).png().toBuffer();
}

/** An encoded image (a held-up frame) as the 8-bit grey pixels the reader takes. */
export async function grayFrame(image: Buffer): Promise<Gray> {
  const { data, info } = await sharp(image).grayscale().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

/** A portrait crop from one of the public-domain faces. */
export async function portraitOf(name: keyof typeof PORTRAITS): Promise<Buffer> {
  const p = PORTRAITS[name];
  return sharp(p.file).extract(p.crop).png().toBuffer();
}

/** How the document is held in front of the camera. */
export interface Pose {
  /** Camera frame size. */
  width: number;
  height: number;
  /** Document width as a fraction of the frame width. */
  fill: number;
  /** In-plane rotation in degrees. */
  tiltDeg: number;
  /** Gaussian blur sigma in frame pixels (0: none). */
  blur: number;
  /** Standard deviation of added sensor noise, in 8-bit levels. */
  noise: number;
  /** Seed for the noise, so a generated frame is reproducible. */
  seed: number;
}

function seededNoise(width: number, height: number, sd: number, seed: number): Buffer {
  const out = Buffer.alloc(width * height * 3);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < out.length; i++) {
    // Sum of four uniforms: near-Gaussian, cheap and reproducible (xorshift32).
    let sum = 0;
    for (let k = 0; k < 4; k++) {
      s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
      sum += s / 0xffffffff;
    }
    out[i] = Math.max(0, Math.min(255, Math.round(128 + (sum - 2) * sd * 1.73)));
  }
  return out;
}

/** The document photographed: over the background, rotated, blurred and noised, as RGB JPEG of the camera's size. */
export async function holdUp(documentPng: Buffer, pose: Pose): Promise<Buffer> {
  const source = await sharp(documentPng).metadata();
  const rad = (Math.abs(pose.tiltDeg) * Math.PI) / 180;
  const aspect = (source.height ?? 1) / (source.width ?? 1);
  // As wide as asked, unless its tilted outline would leave the frame: a hand keeps a document in view.
  const fitsHeight = (pose.height * 0.95) / (Math.sin(rad) + aspect * Math.cos(rad));
  const fitsWidth = (pose.width * 0.95) / (Math.cos(rad) + aspect * Math.sin(rad));
  const docWidth = Math.round(Math.min(pose.width * pose.fill, fitsHeight, fitsWidth));
  const rotated = await sharp(documentPng)
    .resize(docWidth)
    .rotate(pose.tiltDeg, { background: { r: 0, g: 0, b: 0, alpha: 0 } })
    .png()
    .toBuffer();
  const meta = await sharp(rotated).metadata();
  const left = Math.max(0, Math.round((pose.width - (meta.width ?? 0)) / 2));
  const top = Math.max(0, Math.round((pose.height - (meta.height ?? 0)) / 2));
  let frame = sharp(BACKGROUND).resize(pose.width, pose.height, { fit: "cover" }).composite([{ input: rotated, left, top }]);
  let buffer = await frame.png().toBuffer();
  if (pose.blur > 0) buffer = await sharp(buffer).blur(pose.blur).png().toBuffer();
  if (pose.noise > 0) {
    const noise = seededNoise(pose.width, pose.height, pose.noise, pose.seed);
    frame = sharp(buffer).composite([{ input: noise, raw: { width: pose.width, height: pose.height, channels: 3 }, blend: "overlay" }]);
    buffer = await frame.png().toBuffer();
  }
  return sharp(buffer).removeAlpha().jpeg({ quality: 85 }).toBuffer();
}
