import { createRequire } from "node:module";
import sharp from "sharp";
import { createWorker, OEM, PSM, type Worker } from "tesseract.js";
import type { Gray } from "./mrz-locate.js";
import { MRZ_ALPHABET, type OcrReader } from "./ocr.js";

const require = createRequire(import.meta.url);
/** Tesseract's English LSTM model from npm (@tesseract.js-data/eng): read from disk, never fetched. */
const ENGLISH: { langPath: string } = require("@tesseract.js-data/eng");

/**
 * tesseract.js (Tesseract 5 compiled to WebAssembly) restricted to the MRZ
 * alphabet, reading the crop as one uniform block of text. It runs Tesseract's
 * legacy (character-shape) engine: on OCR-B the LSTM engine reads runs of the
 * `<` filler as L and K (measured in docs/documents.md), the legacy one does not. The LSTM engine
 * reads letters better, so it gives the second opinion on names (`lettersAgree`). Fully offline: the
 * model comes from the npm package and nothing is cached to disk.
 */
export async function createTesseractReader(engine: "legacy" | "lstm" = "legacy"): Promise<OcrReader> {
  const worker: Worker = await createWorker("eng", engine === "legacy" ? OEM.TESSERACT_ONLY : OEM.LSTM_ONLY, {
    langPath: ENGLISH.langPath,
    gzip: true,
    cacheMethod: "none",
  }, {
    // An MRZ is not prose: no dictionary may "correct" a name or a number (set only at load).
    load_system_dawg: "0",
    load_freq_dawg: "0",
  });
  await worker.setParameters({
    tessedit_char_whitelist: MRZ_ALPHABET,
    tessedit_pageseg_mode: PSM.SINGLE_BLOCK,
  });
  return {
    async readLines(image: Gray) {
      const png = await sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.length), {
        raw: { width: image.width, height: image.height, channels: 1 },
      })
        // Tesseract warns on a PNG without a resolution; 300 dpi is what it assumes for print.
        .withMetadata({ density: 300 })
        .png()
        .toBuffer();
      const { data } = await worker.recognize(png);
      return data.text
        .split("\n")
        .map((line) => line.replace(/\s+/g, ""))
        .filter((line) => line.length > 0);
    },
    close: () => worker.terminate().then(() => undefined),
  };
}
