/**
 * Builds ICAO 9303 machine-readable zones with correct check digits, for the
 * synthetic specimen documents the suite and `bench:document` generate. Test
 * code only: the kit reads MRZs, it never writes them.
 */

/** ICAO 9303 check digit: weights 7, 3, 1 over digits, letters (A=10) and fillers (<=0). */
export function checkDigit(field: string): string {
  const weights = [7, 3, 1];
  let sum = 0;
  for (let i = 0; i < field.length; i++) {
    const c = field.charAt(i);
    const value = c === "<" ? 0 : /[0-9]/.test(c) ? Number(c) : c.charCodeAt(0) - 55;
    sum += value * (weights[i % 3] ?? 0);
  }
  return String(sum % 10);
}

/** The person and document a specimen describes. Dates are YYMMDD, as the MRZ writes them. */
export interface SpecimenData {
  format: "TD3" | "TD1";
  issuingState: string;
  nationality: string;
  surname: string;
  givenNames: string;
  documentNumber: string;
  birthDate: string;
  sex: "M" | "F" | "<";
  expiryDate: string;
  /** Spoils one check digit (the document number's), as a forger who edits a field without recomputing does. */
  breakCheckDigit?: boolean;
}

const pad = (s: string, n: number) => (s + "<".repeat(n)).slice(0, n);
const nameField = (d: SpecimenData, n: number) =>
  pad(`${d.surname.toUpperCase().replace(/[^A-Z]+/g, "<")}<<${d.givenNames.toUpperCase().replace(/[^A-Z]+/g, "<")}`, n);

function numberWithCheck(d: SpecimenData): string {
  const number = pad(d.documentNumber, 9);
  const digit = checkDigit(number);
  return number + (d.breakCheckDigit ? String((Number(digit) + 1) % 10) : digit);
}

/** The MRZ lines of a specimen: two of 44 characters (TD3, passports) or three of 30 (TD1, ID cards). */
export function mrzLines(d: SpecimenData): string[] {
  const birth = d.birthDate + checkDigit(d.birthDate);
  const expiry = d.expiryDate + checkDigit(d.expiryDate);
  if (d.format === "TD3") {
    const personal = pad("", 14);
    const personalWithCheck = personal + checkDigit(personal);
    const number = numberWithCheck(d);
    const composite = checkDigit(number + birth + expiry + personalWithCheck);
    return [
      `P<${pad(d.issuingState, 3)}${nameField(d, 39)}`,
      `${number}${pad(d.nationality, 3)}${birth}${d.sex}${expiry}${personalWithCheck}${composite}`,
    ];
  }
  const line1 = `I<${pad(d.issuingState, 3)}${numberWithCheck(d)}${pad("", 15)}`;
  const line2Head = `${birth}${d.sex}${expiry}${pad(d.nationality, 3)}${pad("", 11)}`;
  const composite = checkDigit(line1.slice(5, 30) + line2Head.slice(0, 7) + line2Head.slice(8, 15) + line2Head.slice(18, 29));
  return [line1, line2Head + composite, nameField(d, 30)];
}

// Fixed specimens for the unit tests. Their document numbers hold no look-alikes (S 5 O 0 I 1 Z 2 B 8 G 6 D Q),
// so a failing check digit is never explained away as the OCR's confusion.
export const SPECIMEN_PASSPORT: SpecimenData = {
  format: "TD3",
  issuingState: "KOR",
  nationality: "KOR",
  surname: "KIM",
  givenNames: "MIN JUN",
  documentNumber: "MK4739743",
  birthDate: "900314",
  sex: "M",
  expiryDate: "310922",
};
export const SPECIMEN_ID_CARD: SpecimenData = {
  format: "TD1",
  issuingState: "JPN",
  nationality: "JPN",
  surname: "TANAKA",
  givenNames: "HARUTO",
  documentNumber: "TK7493747",
  birthDate: "850727",
  sex: "F",
  expiryDate: "330105",
};
