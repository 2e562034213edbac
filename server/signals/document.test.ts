import { describe, expect, it } from "vitest";
import type { EventData } from "../../shared/events.js";
import { documentFindings } from "./document.js";

type Checked = EventData<"document_checked">;

const read = (over: Partial<Checked> = {}): Checked => ({
  challengeId: "ch_1",
  mode: "optional",
  outcome: "read",
  framesRead: 4,
  agreeingFrames: 2,
  lookedMs: 3_000,
  document: {
    format: "TD3",
    documentCode: "P",
    issuingState: "KOR",
    nationality: "KOR",
    surname: "KIM",
    givenNames: "MIN JUN",
    birthDate: "900314",
    expiryDate: "310922",
    sex: "male",
    numberHash: "ab".repeat(16),
  },
  checks: { expired: false, nameMatches: true, nationalityMatches: true, claimedCountry: "KR", documentCountry: "KR" },
  portrait: { kind: "compared", similarity: 0.8, threshold: 0.5 },
  matches: [],
  ...over,
});
const ids = (d: Checked, ips: string[] = []) => documentFindings(d, ips).map((f) => `${f.id}:${f.severity}`);

describe("documentFindings", () => {
  it("raises nothing for a matching, valid, unexpired document seen nowhere else", () => {
    expect(ids(read())).toEqual([]);
  });

  it("raises each check's flag on its own", () => {
    expect(ids(read({ portrait: { kind: "compared", similarity: 0.2, threshold: 0.5 } }))).toEqual(["document_face_mismatch:high"]);
    expect(ids(read({ checks: { expired: false, nameMatches: false } }))).toEqual(["document_name_mismatch:high"]);
    expect(ids(read({ checks: { expired: true, nameMatches: true } }))).toEqual(["document_expired:medium"]);
    expect(ids(read({ matches: [{ interviewId: "iv_2", candidateName: "Ji-ho Lee", at: "2026-12-01T00:00:00.000Z" }] }))).toEqual(["document_reused:high"]);
  });

  it("makes a country mismatch high on the advisory's pattern, in the document or the addresses", () => {
    const kr = { expired: false, nameMatches: true, nationalityMatches: false, claimedCountry: "JP", documentCountry: "KR" };
    expect(ids(read({ checks: kr }))).toEqual(["document_nationality_mismatch:medium"]);
    expect(ids(read({ checks: kr }), ["CN"])).toEqual(["document_nationality_mismatch:high"]);
    expect(documentFindings(read({ checks: kr }), ["CN"])[0]!.explanation).toContain("China (CN)");
    expect(ids(read({ checks: { ...kr, documentCountry: "CN" } }))).toEqual(["document_nationality_mismatch:high"]);
  });

  it("does not compare what it could not: no face in the portrait or no reference raises no face flag", () => {
    expect(ids(read({ portrait: { kind: "no_face_in_portrait" } }))).toEqual([]);
    expect(ids(read({ portrait: { kind: "no_reference" } }))).toEqual([]);
  });

  it("names an invalid document's failed checks, and an unreadable one by the setting", () => {
    const invalid = read({ outcome: "invalid", document: undefined, checks: undefined, failedChecks: ["documentNumber"], portrait: { kind: "not_read" } });
    expect(ids(invalid)).toEqual(["document_invalid:high"]);
    const unreadable = read({ outcome: "unreadable", document: undefined, checks: undefined, portrait: { kind: "not_read" }, lookedMs: 20_000 });
    expect(ids(unreadable)).toEqual(["document_unreadable:medium"]);
    expect(ids({ ...unreadable, mode: "required" })).toEqual(["document_unreadable:high"]);
  });
});
