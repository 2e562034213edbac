import { createHmac } from "node:crypto";
import countries from "i18n-iso-countries";

/**
 * A keyed hash of a document's number, scoped by issuing state: enough to find the same document
 * under two names (`document_reused`), useless to anyone without the key. The number itself is
 * never stored.
 */
export function documentNumberHash(key: string, issuingState: string, documentNumber: string): string {
  return createHmac("sha256", key).update(`vk document number v1\n${issuingState}\n${documentNumber}`).digest("hex").slice(0, 32);
}

/** ICAO 9303 codes that are not ISO 3166 alpha-3 (Germany's `D`, the British variants, Kosovo). */
const ICAO_ONLY: Record<string, string> = { D: "DE", GBD: "GB", GBN: "GB", GBO: "GB", GBP: "GB", GBS: "GB", RKS: "XK" };

/** The ISO alpha-2 country of an MRZ state or nationality code, or undefined for an organisation or unknown code. */
export function countryOfMrzCode(code: string): string | undefined {
  const clean = code.replace(/</g, "").toUpperCase();
  return ICAO_ONLY[clean] ?? countries.alpha3ToAlpha2(clean) ?? undefined;
}

/** Letters only, upper case, diacritics folded: "Kim Min-jun" and "KIM<MIN<JUN" give the same words. */
function words(name: string): string[] {
  return name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toUpperCase()
    .split(/[^A-Z]+/)
    .filter((w) => w.length > 0);
}

/**
 * Whether the document's name is the claimed candidate's, tolerant of order (given names first or
 * last), case, diacritics, hyphens and MRZ transliteration (`<` for spaces), and of the MRZ's
 * truncation of long names (a truncated last word matches a claimed word it begins). Every word on
 * the document must be claimed, and the surname's words too: initials or a missing word do not pass.
 */
export function namesMatch(claimed: string, surname: string, givenNames: string): boolean {
  const claimedWords = words(claimed);
  const surnameWords = words(surname);
  const documentWords = [...surnameWords, ...words(givenNames)];
  if (!surnameWords.length || !claimedWords.length) return false;
  const joinedClaim = claimedWords.join("");
  // A hyphenated or spaced given name ("Min-jun") may be one word in one place and two in the other.
  const claimedOrJoined = (w: string, truncated: boolean) => claimedWords.some((c) => c === w || (truncated && c.startsWith(w))) || joinedClaim.includes(w);
  return documentWords.every((w, i) => claimedOrJoined(w, i === documentWords.length - 1 && w.length >= 2));
}

/** YYMMDD (an MRZ expiry: always 20YY) as an ISO date. */
export function expiryDateOf(yymmdd: string): string {
  return `20${yymmdd.slice(0, 2)}-${yymmdd.slice(2, 4)}-${yymmdd.slice(4, 6)}`;
}
