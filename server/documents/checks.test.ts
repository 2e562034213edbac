import { describe, expect, it } from "vitest";
import { countryOfMrzCode, documentNumberHash, expiryDateOf, namesMatch } from "./checks.js";

describe("documentNumberHash", () => {
  it("is keyed and scoped by issuing state, and never contains the number", () => {
    const a = documentNumberHash("k".repeat(32), "KOR", "M12345678");
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(a).not.toContain("12345678");
    expect(documentNumberHash("k".repeat(32), "KOR", "M12345678")).toBe(a);
    expect(documentNumberHash("j".repeat(32), "KOR", "M12345678")).not.toBe(a);
    expect(documentNumberHash("k".repeat(32), "JPN", "M12345678")).not.toBe(a);
  });
});

describe("namesMatch", () => {
  it("accepts the claimed name in any order, case and transliteration", () => {
    expect(namesMatch("Min-jun Kim", "KIM", "MIN JUN")).toBe(true);
    expect(namesMatch("KIM Minjun", "KIM", "MIN JUN")).toBe(true);
    expect(namesMatch("José Álvarez", "ALVAREZ", "JOSE")).toBe(true);
    expect(namesMatch("Anna Maria Schmidt", "SCHMIDT", "ANNA MARIA")).toBe(true);
  });

  it("accepts the MRZ's truncation of a long last given name", () => {
    expect(namesMatch("Maximiliano Alessandro Bartholomew", "BARTHOLOMEW", "MAXIMILIANO ALESS")).toBe(true);
  });

  it("refuses another person's name, or a document word the claim lacks", () => {
    expect(namesMatch("Min-jun Kim", "PARK", "MIN JUN")).toBe(false);
    expect(namesMatch("Min-jun Kim", "KIM", "SEO YEON")).toBe(false);
    expect(namesMatch("John Smith", "SMITH", "JOHN PAUL")).toBe(false);
    expect(namesMatch("", "SMITH", "JOHN")).toBe(false);
  });
});

describe("countryOfMrzCode", () => {
  it("maps ICAO codes, Germany's D and the British variants, and leaves organisations out", () => {
    expect(countryOfMrzCode("KOR")).toBe("KR");
    expect(countryOfMrzCode("JPN")).toBe("JP");
    expect(countryOfMrzCode("D<<")).toBe("DE");
    expect(countryOfMrzCode("GBD")).toBe("GB");
    expect(countryOfMrzCode("UNO")).toBeUndefined();
  });
});

describe("expiryDateOf", () => {
  it("reads an MRZ expiry as 20YY", () => {
    expect(expiryDateOf("310415")).toBe("2031-04-15");
  });
});
