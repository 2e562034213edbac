import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SPECIMEN_ID_CARD, SPECIMEN_PASSPORT, type SpecimenData } from "../../../test/helpers/documents/mrz-lines.js";
import { BACKGROUND, grayFrame, holdUp, portraitOf, renderDocument, type Pose } from "../../../test/helpers/documents/specimen.js";
import { binarize, readFrame, shrink } from "./frame-reader.js";
import { locateMrz, type Gray } from "./mrz-locate.js";
import { voteReads, type FrameRead } from "./mrz-read.js";
import type { OcrReader } from "./ocr.js";
import { createTesseractReader } from "./tesseract-reader.js";

/** The width readFrame searches for the zone at (SEARCH_WIDTH in frame-reader.ts). */
const SEARCH_WIDTH = 640;
/** Frames the product votes over before it gives up on a document. */
const MAX_FRAMES = 6;

const PASSPORT = SPECIMEN_PASSPORT;
const ID_CARD = SPECIMEN_ID_CARD;
const POSE: Pose = { width: 1280, height: 720, fill: 0.6, tiltDeg: 6, blur: 0.6, noise: 4, seed: 1 };

async function frameOf(data: SpecimenData, pose: Partial<Pose> = {}): Promise<Gray> {
  const document = await renderDocument(data, await portraitOf("astronaut"));
  return grayFrame(await holdUp(document, { ...POSE, ...pose }));
}

describe("shrink", () => {
  it("box-filters by an integer factor", () => {
    const img: Gray = { width: 4, height: 2, data: Uint8Array.from([0, 10, 20, 30, 40, 50, 60, 70]) };
    const { image, scale } = shrink(img, 2);
    expect(scale).toBe(2);
    expect(image.width).toBe(2);
    expect(image.height).toBe(1);
    expect([...image.data]).toEqual([(0 + 10 + 40 + 50) / 4, (20 + 30 + 60 + 70) / 4]);
  });

  it("drops the remainder and rounds the mean", () => {
    const img: Gray = { width: 5, height: 3, data: Uint8Array.from({ length: 15 }, (_, i) => (i === 0 ? 1 : 0)) };
    const { image, scale } = shrink(img, 2);
    expect(scale).toBe(2);
    expect([image.width, image.height]).toEqual([2, 1]);
    expect([...image.data]).toEqual([0, 0]); // 1/4 rounds to 0
    const bright: Gray = { width: 4, height: 2, data: Uint8Array.from([255, 254, 0, 0, 255, 255, 0, 1]) };
    expect([...shrink(bright, 2).image.data]).toEqual([255, 0]); // 254.75 and 0.25
  });

  it("leaves an image no wider than the target alone", () => {
    const img: Gray = { width: 3, height: 2, data: Uint8Array.from([1, 2, 3, 4, 5, 6]) };
    expect(shrink(img, 640)).toEqual({ image: img, scale: 1 });
    expect(shrink(img, 2)).toEqual({ image: img, scale: 1 });
  });
});

describe("binarize", () => {
  it("splits a two-level image into black and white, each pixel on its own side", () => {
    // Dark print (30–60) on light paper (170–220), irregularly mixed.
    const values = Array.from({ length: 400 }, (_, i) => (i % 7 < 2 ? 30 + ((i * 13) % 31) : 170 + ((i * 17) % 51)));
    const out = binarize({ width: 20, height: 20, data: Uint8Array.from(values) });
    expect(out.width).toBe(20);
    expect(out.height).toBe(20);
    expect(new Set(out.data)).toEqual(new Set([0, 255]));
    values.forEach((v, i) => expect(out.data[i]).toBe(v < 128 ? 0 : 255));
  });

  it("follows the exposure, not a fixed threshold", () => {
    // An underexposed page: print at 5, paper at 90, both below the middle grey.
    const values = Array.from({ length: 100 }, (_, i) => (i % 3 === 0 ? 5 : 90));
    const out = binarize({ width: 10, height: 10, data: Uint8Array.from(values) });
    values.forEach((v, i) => expect(out.data[i]).toBe(v === 5 ? 0 : 255));
  });
});

describe("locateMrz", () => {
  it.each([
    { data: PASSPORT, rows: 2 },
    { data: ID_CARD, rows: 3 },
  ])("finds the $data.format zone of a tilted document with its skew and $rows rows", async ({ data, rows }) => {
    const frame = await frameOf(data);
    const region = locateMrz(shrink(frame, SEARCH_WIDTH).image);
    expect(region).not.toBeNull();
    if (!region) return;
    expect(Math.abs(region.angleDeg - POSE.tiltDeg)).toBeLessThanOrEqual(1.5);
    expect(region.rows).toBe(rows);
  });

  it("finds nothing in a frame with no document", async () => {
    const { data, info } = await sharp(BACKGROUND).resize(1280, 720).grayscale().raw().toBuffer({ resolveWithObject: true });
    const background: Gray = { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
    expect([background.width, background.height]).toEqual([1280, 720]);
    expect(locateMrz(shrink(background, SEARCH_WIDTH).image)).toBeNull();
  });
});

describe("readFrame with Tesseract", () => {
  let ocr: OcrReader;
  beforeAll(async () => {
    ocr = await createTesseractReader();
  }, 120_000);
  afterAll(async () => {
    await ocr?.close();
  });

  it(
    "reads a held-up passport within the frames the vote allows",
    async () => {
      const tilts = [6, -4, 8, -8, 2, -6];
      const blurs = [0.6, 0.8, 0.5, 1, 0.7, 0.9];
      const reads: FrameRead[] = [];
      let outcome = voteReads(reads);
      for (let f = 0; f < MAX_FRAMES && outcome.kind !== "read"; f += 1) {
        const frame = await frameOf(PASSPORT, { tiltDeg: tilts[f] ?? 0, blur: blurs[f] ?? 0.6, seed: 100 + f });
        reads.push(await readFrame(frame, ocr));
        outcome = voteReads(reads);
      }
      expect(outcome.kind, JSON.stringify(reads)).toBe("read");
      if (outcome.kind !== "read") return;
      expect(outcome.fields).toEqual({
        format: "TD3",
        documentCode: "P",
        issuingState: "KOR",
        nationality: "KOR",
        surname: "KIM",
        givenNames: "MIN JUN",
        documentNumber: "MK4739743",
        birthDate: "900314",
        expiryDate: "310922",
        sex: "male",
      });
      // No frame may pass its check digits with anything but the document's own fields.
      for (const read of reads) if (read.kind === "valid") expect(read.fields).toEqual(outcome.fields);
    },
    120_000,
  );

  it(
    "never reads a document whose check digit is broken as valid",
    async () => {
      const read = await readFrame(await frameOf({ ...PASSPORT, breakCheckDigit: true }, { seed: 200 }), ocr);
      expect(read.kind).not.toBe("valid");
    },
    60_000,
  );
});
