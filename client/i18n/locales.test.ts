import { describe, expect, it } from "vitest";
import { type Strings, en } from "./en.js";
import { directionOf, LOCALES, matchLocale, resolveLanguage, TABLES } from "./locales.js";
import { TEMPLATE_PARAMS, type TemplateParams } from "./overrides.js";

// Compile-time checks: `tsc --noEmit` fails if any of these stops being an error.
const { title: _dropped, ...withoutTitle } = en;
// @ts-expect-error a table missing a key is not a Strings
const _missingKey: Strings = withoutTitle;
// @ts-expect-error text where a function belongs
const _wrongShape: Strings = { ...en, stepOf: "Step" };
// @ts-expect-error a nested record missing most of its keys
const _partialRecord: Strings = { ...en, guidance: { noFace: "x" } };
// @ts-expect-error a key no language has
const _extraKey: Strings = { ...en, bogus: "x" };
// @ts-expect-error stepOf takes two placeholder names, one per parameter
const _wrongArity: TemplateParams = { ...TEMPLATE_PARAMS, stepOf: ["i"] };

describe("resolveLanguage", () => {
  it.each([
    // [requested, browser languages, expected]
    ["ja", [], "ja"],
    ["ja-JP", ["en-US"], "ja"],
    ["ko-KR", [], "ko"],
    ["es-419", [], "es"],
    ["es-MX", ["ko"], "es"],
    ["en-GB", ["ja"], "en"],
    ["zh", [], "zh-CN"],
    ["zh-Hans", [], "zh-CN"],
    ["zh-CN", [], "zh-CN"],
    ["zh-SG", [], "zh-CN"],
    ["zh_CN", [], "zh-CN"],
    ["ZH-hans-cn", [], "zh-CN"],
    // Traditional Chinese is not shipped: the next preference decides.
    ["zh-TW", ["ja-JP"], "ja"],
    ["zh-Hant", ["ko"], "ko"],
    ["zh-HK", [], "en"],
    ["zh-Hant-CN", ["es"], "es"],
    // Unknown or malformed requests fall through to the browser's order.
    ["fr", ["de-DE", "ko-KR", "ja"], "ko"],
    ["not a tag!", ["es-ES"], "es"],
    ["", ["ja"], "ja"],
    [null, ["zh-TW", "zh-CN", "en"], "zh-CN"],
    [undefined, ["*", "ko"], "ko"],
    [undefined, ["de", "fr"], "en"],
    [undefined, [], "en"],
  ] as const)("%j with browser %j → %s", (requested, browser, expected) => {
    expect(resolveLanguage(requested, browser)).toBe(expected);
  });

  it("returns only shipped locales, whatever the input", () => {
    for (const tag of ["x-private", "i-klingon", "ar", "he-IL", "pt-BR", "zh-Latn", "en-u-ca-buddhist"]) {
      const chosen = resolveLanguage(tag, []);
      expect(LOCALES).toContain(chosen);
      expect(matchLocale(tag) === undefined || LOCALES.includes(matchLocale(tag)!)).toBe(true);
    }
    expect(matchLocale("en-u-ca-buddhist")).toBe("en");
    expect(matchLocale("ar")).toBeUndefined();
  });
});

describe("directionOf", () => {
  it("is rtl for right-to-left scripts and ltr for every shipped locale", () => {
    expect(directionOf("ar")).toBe("rtl");
    expect(directionOf("he-IL")).toBe("rtl");
    expect(directionOf("fa")).toBe("rtl");
    expect(directionOf("az-Arab")).toBe("rtl");
    expect(directionOf("az")).toBe("ltr");
    for (const locale of LOCALES) expect(directionOf(locale)).toBe("ltr");
    expect(directionOf("garbage tag")).toBe("ltr");
  });
});

type Leaf = { path: string; value: unknown };
const leaves = (table: object, prefix = ""): Leaf[] =>
  Object.entries(table).flatMap(([key, value]) =>
    typeof value === "object" && value !== null ? leaves(value, `${prefix}${key}.`) : [{ path: `${prefix}${key}`, value }],
  );

describe("every locale", () => {
  const reference = leaves(en);

  it.each(LOCALES)("%s has every key of English, with the same kind of value, and no blank text", (locale) => {
    const table = leaves(TABLES[locale]);
    expect(table.map((l) => l.path)).toEqual(reference.map((l) => l.path));
    for (const [i, leaf] of table.entries()) {
      const ref = reference[i]!.value;
      expect(typeof leaf.value, leaf.path).toBe(typeof ref);
      if (typeof leaf.value === "string") expect(leaf.value.trim(), leaf.path).not.toBe("");
      if (typeof leaf.value === "function") expect(leaf.value.length, leaf.path).toBe((ref as () => string).length);
    }
  });

  it.each(LOCALES.filter((l) => l !== "en"))("%s translates every text (none left in English)", (locale) => {
    const english = new Map(reference.map((l) => [l.path, l.value]));
    for (const leaf of leaves(TABLES[locale])) {
      if (typeof leaf.value === "string") expect(leaf.value, leaf.path).not.toBe(english.get(leaf.path));
      else expect((leaf.value as (...a: number[]) => string)(2, 5), leaf.path).not.toBe((english.get(leaf.path) as (...a: number[]) => string)(2, 5));
    }
  });

  it.each(LOCALES)("%s shows the numbers its functions are given", (locale) => {
    const s = TABLES[locale];
    for (const days of [1, 2, 30]) expect(s.consentFaceTemplate(days)).toMatch(new RegExp(`(^|\\D)${days}(\\D|$)`));
    expect(s.stepOf(2, 3)).toMatch(/2\D+3|3\D+2/);
    for (const n of [0, 1, 2, 11]) expect(s.attemptsLeft(n)).toMatch(new RegExp(`(^|\\D)${n}(\\D|$)`));
  });

  it("uses the singular only for one in English and Spanish", () => {
    expect(TABLES.en.attemptsLeft(1)).toMatch(/\battempt\b/);
    expect(TABLES.es.attemptsLeft(1)).toMatch(/\bqueda 1 intento\b/);
    expect(TABLES.es.consentFaceTemplate(1)).toMatch(/\b1 día\b/);
    for (const n of [0, 2, 21]) {
      expect(TABLES.en.attemptsLeft(n)).toMatch(/\battempts\b/);
      expect(TABLES.es.attemptsLeft(n)).toMatch(/\bquedan \d+ intentos\b/);
      expect(TABLES.es.consentFaceTemplate(n)).toMatch(/\b\d+ días\b/);
    }
  });

  it.each(LOCALES)("%s keeps left and right as the candidate's own", (locale) => {
    // Each language names the candidate's own side (本人/ご自身/您自己/su/your), never the screen's.
    const own = { en: /your/, ko: /본인/, ja: /ご自身/, "zh-CN": /您自己/, es: /\bsu\b/ }[locale];
    expect(TABLES[locale].steps.turn_left).toMatch(own);
    expect(TABLES[locale].steps.turn_right).toMatch(own);
    expect(TABLES[locale].steps.turn_left).not.toBe(TABLES[locale].steps.turn_right);
  });
});
