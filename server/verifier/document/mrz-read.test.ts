import { describe, expect, it } from "vitest";
import { mrzLines, SPECIMEN_ID_CARD, SPECIMEN_PASSPORT, type SpecimenData } from "../../../test/helpers/documents/mrz-lines.js";
import { readMrzLines, voteReads, type FrameRead, lettersAgree } from "./mrz-read.js";

const PASSPORT = SPECIMEN_PASSPORT;
const ID_CARD = SPECIMEN_ID_CARD;

const read = (data: SpecimenData) => readMrzLines(mrzLines(data));
const replaceAt = (line: string, index: number, c: string) => line.slice(0, index) + c + line.slice(index + 1);

describe("readMrzLines", () => {
  it("reads a TD3 passport zone with its fields", () => {
    const result = read(PASSPORT);
    expect(result.kind).toBe("valid");
    if (result.kind !== "valid") return;
    expect(result.fields).toMatchObject({
      format: "TD3",
      documentCode: "P",
      surname: "KIM",
      givenNames: "MIN JUN",
      documentNumber: "MK4739743",
      birthDate: "900314",
      expiryDate: "310922",
      nationality: "KOR",
      issuingState: "KOR",
      sex: "male",
    });
    expect(result.text).toBe(mrzLines(PASSPORT).join("\n"));
  });

  it("reads a TD1 card zone with its fields", () => {
    const result = read(ID_CARD);
    expect(result.kind).toBe("valid");
    if (result.kind !== "valid") return;
    expect(result.fields).toMatchObject({
      format: "TD1",
      documentCode: "I",
      surname: "TANAKA",
      givenNames: "HARUTO",
      documentNumber: "TK7493747",
      birthDate: "850727",
      expiryDate: "330105",
      nationality: "JPN",
      issuingState: "JPN",
      sex: "female",
    });
  });

  it("ignores a stray character at the start or the end of a line", () => {
    const [line1 = "", line2 = ""] = mrzLines(PASSPORT);
    for (const lines of [
      [`K${line1}`, line2],
      [line1, `${line2}<`],
      [`<${line1}`, `${line2}K`],
    ]) {
      expect(lines.some((l) => l.length === 45)).toBe(true);
      const result = readMrzLines(lines);
      expect(result.kind).toBe("valid");
      if (result.kind === "valid") expect(result.fields.documentNumber).toBe("MK4739743");
    }
  });

  it("ignores whitespace and lower case from the OCR", () => {
    const [line1 = "", line2 = ""] = mrzLines(PASSPORT);
    expect(readMrzLines([` ${line1.toLowerCase()} `, `${line2.slice(0, 20)} ${line2.slice(20)}`]).kind).toBe("valid");
  });

  it("names a failing check digit; a number without look-alikes is not confusable", () => {
    for (const data of [PASSPORT, ID_CARD]) {
      const result = read({ ...data, breakCheckDigit: true });
      expect(result.kind).toBe("check_failed");
      if (result.kind !== "check_failed") return;
      expect(result.failed).toContain("documentNumberCheckDigit");
      expect(result.confusable).toBe(false);
    }
  });

  it("marks a failure a look-alike swap in the number explains (5 read as S) as confusable", () => {
    const data = { ...PASSPORT, documentNumber: "MK4735743" };
    const [line1 = "", line2 = ""] = mrzLines(data);
    expect(read(data).kind).toBe("valid");
    const misread = [line1, line2.replace("MK4735743", "MK473S743")];
    expect(misread[1]).not.toBe(line2);
    const result = readMrzLines(misread);
    expect(result.kind).toBe("check_failed");
    if (result.kind !== "check_failed") return;
    expect(result.failed).toContain("documentNumberCheckDigit");
    expect(result.confusable).toBe(true);
  });

  it("reads nothing from characters outside the MRZ alphabet", () => {
    const [line1 = "", line2 = ""] = mrzLines(PASSPORT);
    expect(readMrzLines([replaceAt(line1, 10, "."), line2])).toEqual({ kind: "none" });
    expect(readMrzLines([line1, replaceAt(line2, 30, "«")])).toEqual({ kind: "none" });
  });

  it("reads nothing from lines of the wrong length or count", () => {
    const [line1 = "", line2 = ""] = mrzLines(PASSPORT);
    expect(readMrzLines([line1.slice(0, 43), line2])).toEqual({ kind: "none" });
    expect(readMrzLines([line1, line2.slice(1)])).toEqual({ kind: "none" });
    expect(readMrzLines([line1])).toEqual({ kind: "none" });
    expect(readMrzLines(mrzLines(ID_CARD).slice(0, 2))).toEqual({ kind: "none" });
    expect(readMrzLines([])).toEqual({ kind: "none" });
  });
});

describe("voteReads", () => {
  const valid = read(PASSPORT);
  const failing = read({ ...PASSPORT, breakCheckDigit: true });
  const confusableData = { ...PASSPORT, documentNumber: "MK4735743" };
  const [cLine1 = "", cLine2 = ""] = mrzLines(confusableData);
  const confusable = readMrzLines([cLine1, cLine2.replace("MK4735743", "MK473S743")]);
  const [line1 = "", line2 = ""] = mrzLines(PASSPORT);
  // The name is covered by no check digit: a misread there still passes them all.
  const misreadName = readMrzLines([line1.replace("KIM<<", "KIN<<"), line2]);

  it("builds the reads it votes on", () => {
    expect(valid.kind).toBe("valid");
    expect(failing).toMatchObject({ kind: "check_failed", confusable: false });
    expect(confusable).toMatchObject({ kind: "check_failed", confusable: true });
    expect(misreadName).toMatchObject({ kind: "valid", fields: { surname: "KIN" } });
  });

  it("accepts a valid zone read identically in two frames", () => {
    const outcome = voteReads([valid, { kind: "none" }, valid]);
    expect(outcome).toMatchObject({ kind: "read", agreeingFrames: 2, framesRead: 3 });
    if (outcome.kind === "read") expect(outcome.fields).toEqual(valid.kind === "valid" ? valid.fields : null);
  });

  it("does not accept a valid read seen in one frame only", () => {
    expect(voteReads([valid])).toEqual({ kind: "unreadable", framesRead: 1 });
    expect(voteReads([valid, { kind: "none" }, { kind: "none" }])).toEqual({ kind: "unreadable", framesRead: 3 });
  });

  it("calls a document invalid when the same non-confusable failure repeats and nothing reads valid", () => {
    expect(voteReads([failing, failing])).toEqual({ kind: "invalid", failed: ["documentNumberCheckDigit"], agreeingFrames: 2, framesRead: 2 });
  });

  it("does not call a repeated confusable failure invalid", () => {
    expect(voteReads([confusable, confusable])).toEqual({ kind: "unreadable", framesRead: 2 });
  });

  it("does not call a document invalid when one frame read it valid", () => {
    const outcome = voteReads([valid, failing, failing]);
    expect(outcome.kind).not.toBe("invalid");
    expect(outcome.kind).toBe("unreadable");
  });

  it("does not accept two valid reads that disagree", () => {
    expect(voteReads([valid, misreadName])).toEqual({ kind: "unreadable", framesRead: 2 });
  });

  it("reads nothing from no frames", () => {
    expect(voteReads([])).toEqual({ kind: "unreadable", framesRead: 0 });
  });

  it("keeps the two frames that agree among disagreeing ones", () => {
    const reads: FrameRead[] = [misreadName, valid, failing, valid];
    const outcome = voteReads(reads);
    expect(outcome).toMatchObject({ kind: "read", agreeingFrames: 2, framesRead: 4, fields: { surname: "KIM" } });
  });
});

describe("lettersAgree: a second engine's opinion on the names, which no check digit covers", () => {
  const legacy = "P<KORKIM<<MIN<JUN<<<<<<<<<<<<<<<<<<<<<<<<<<<";

  it("accepts a second reading that finds every word near its place, whatever it makes of the fillers", () => {
    // Tesseract's LSTM engine on OCR-B: fillers as L and K, one character of drift.
    expect(lettersAgree(legacy, ["M123456788KOR", "P<KORKIM<K<KMIN<SJUN<LLLLLLLLLLLLLLLLLLLLLLLKLKL"])).toBe(true);
  });

  it("refuses a name the second reading does not confirm (the legacy engine's W read as N)", () => {
    expect(lettersAgree("P<CHNNANG<<NEI<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<", ["P<CHNWANG<<WEI<LLLLLLLLLLLLLLLLLLLLLLLLLLLLL"])).toBe(false);
  });

  it("refuses when the word is there but far from its place, or when there is no second reading", () => {
    expect(lettersAgree(legacy, ["LLLLLLLLLLP<KORKIM<<MIN<JUN<<<<<<<<<<<<<<<<<<"])).toBe(false);
    expect(lettersAgree(legacy, [])).toBe(false);
  });
});
