/**
 * MRZ read rate, errors and cost of the verifier's document reader, offline:
 * generated specimen documents (test/helpers/documents) held at random tilts,
 * blurs and noise over a real background, at 1280×720 and at 640×480, three
 * frames each, read by the real locator, Tesseract and the `mrz` parser, then
 * voted as the verifier votes. Usage: npm run bench:document -- [--docs N]
 */
import { readFrame } from "../../server/verifier/document/frame-reader.js";
import { voteReads, type FrameRead, type MrzFields } from "../../server/verifier/document/mrz-read.js";
import { createTesseractReader } from "../../server/verifier/document/tesseract-reader.js";
import type { SpecimenData } from "../helpers/documents/mrz-lines.js";
import { randomPose, randomSpecimen, seeded } from "../helpers/documents/random-specimen.js";
import { grayFrame, holdUp, portraitOf, renderDocument } from "../helpers/documents/specimen.js";
import { fmt, median, pct, quantile, table } from "./stats.js";

const docsArg = process.argv.indexOf("--docs");
const DOCS = docsArg > 0 ? Number(process.argv[docsArg + 1]) : 50;
const FRAMES_PER_DOC = 6;
const RESOLUTIONS = [
  { width: 1280, height: 720 },
  { width: 640, height: 480 },
];

/** The fields a read got wrong: the error that matters is a wrong read accepted. */
function wrongFields(fields: MrzFields, truth: SpecimenData): string[] {
  const expected: Partial<Record<keyof MrzFields, string>> = {
    documentNumber: truth.documentNumber,
    birthDate: truth.birthDate,
    expiryDate: truth.expiryDate,
    issuingState: truth.issuingState,
    nationality: truth.nationality,
    surname: truth.surname.replace(/[^A-Z]+/g, " ").trim(),
    givenNames: truth.givenNames.replace(/[^A-Z]+/g, " ").trim(),
  };
  return Object.entries(expected).flatMap(([key, value]) => (fields[key as keyof MrzFields] === value ? [] : [key]));
}
const matches = (fields: MrzFields, truth: SpecimenData) => wrongFields(fields, truth).length === 0;
/** Which fields the documents read wrong got wrong, over the run. */
const wrongFieldCounts = new Map<string, number>();

const reader = await createTesseractReader();
// `--one-engine`: the legacy engine alone, without the LSTM engine's second opinion on the names.
const secondOpinion = process.argv.includes("--one-engine") ? undefined : await createTesseractReader("lstm");
const portrait = await portraitOf("astronaut");
const rows: string[][] = [];
for (const res of RESOLUTIONS) {
  const rand = seeded(20261207);
  let frameCorrect = 0;
  let frameWrongValid = 0;
  let frames = 0;
  const outcomes = { correct: 0, wrong: 0, invalid: 0, unreadable: 0 };
  const ms: number[] = [];
  const cpuMs: number[] = [];
  for (let d = 0; d < DOCS; d += 1) {
    const truth = randomSpecimen(rand);
    const doc = await renderDocument(truth, portrait);
    const pose = randomPose(rand, res.width, res.height);
    const reads: FrameRead[] = [];
    for (let f = 0; f < FRAMES_PER_DOC; f += 1) {
      const frame = await grayFrame(await holdUp(doc, { ...pose, tiltDeg: pose.tiltDeg + (rand() - 0.5) * 2, seed: pose.seed + f }));
      const cpu = process.cpuUsage();
      const t = performance.now();
      const read = await readFrame(frame, reader, secondOpinion);
      ms.push(performance.now() - t);
      const used = process.cpuUsage(cpu);
      cpuMs.push((used.user + used.system) / 1000);
      reads.push(read);
      if (process.env.DOCUMENT_BENCH_DEBUG && !(read.kind === "valid" && matches(read.fields, truth)))
        console.log(res.width, d, truth.documentNumber, truth.surname, truth.givenNames, truth.format, pose.tiltDeg.toFixed(1), pose.fill.toFixed(2), read.kind, "text" in read ? read.text.replace(/\n/g, "|") : "");
      frames += 1;
      if (read.kind === "valid") (matches(read.fields, truth) ? (frameCorrect += 1) : (frameWrongValid += 1));
    }
    const outcome = voteReads(reads);
    if (outcome.kind === "read") {
      const wrong = wrongFields(outcome.fields, truth);
      outcomes[wrong.length === 0 ? "correct" : "wrong"] += 1;
      for (const field of wrong) wrongFieldCounts.set(`${res.width}: ${field}`, (wrongFieldCounts.get(`${res.width}: ${field}`) ?? 0) + 1);
    }
    else outcomes[outcome.kind] += 1;
  }
  rows.push([
    `${res.width}×${res.height}`,
    `${frameCorrect}/${frames} (${pct(frameCorrect / frames)})`,
    String(frameWrongValid),
    `${outcomes.correct}/${DOCS} (${pct(outcomes.correct / DOCS)})`,
    String(outcomes.wrong),
    String(outcomes.invalid),
    String(outcomes.unreadable),
    `${fmt(median(ms), 0)} / ${fmt(quantile(ms, 0.9), 0)} ms`,
    `${fmt(median(cpuMs), 0)} ms`,
  ]);
}
await reader.close();
await secondOpinion?.close();
console.log(
  `MRZ reads: ${DOCS} generated documents per resolution (TD3 and TD1 mixed), ${FRAMES_PER_DOC} frames each, tilt ±10°, blur σ 0.4–1.2, noise 2–8 levels; ` +
    (secondOpinion ? "names confirmed by the LSTM engine" : "legacy engine alone"),
);
console.log(
  table(
    ["frames", "frames read right", "frames read wrong (valid)", "documents read right (2 frames agree)", "documents read wrong", "invalid", "unreadable", "time per frame (median / p90)", "CPU per frame (median)"],
    rows,
  ),
);
console.log(`fields wrong in documents read wrong: ${[...wrongFieldCounts].map(([k, n]) => `${k} ×${n}`).join(", ") || "none"}`);
