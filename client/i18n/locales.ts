import { type Strings, en } from "./en.js";
import { es } from "./es.js";
import { ja } from "./ja.js";
import { ko } from "./ko.js";
import { zhCN } from "./zh-CN.js";

/** The languages the candidate page ships, as the BCP 47 tags it puts on `<html lang>`. */
export const LOCALES = ["en", "ko", "ja", "zh-CN", "es"] as const;
export type Locale = (typeof LOCALES)[number];

/** Each language's complete table. */
export const TABLES: Readonly<Record<Locale, Strings>> = { en, ko, ja, "zh-CN": zhCN, es };

// Scripts written right to left; a locale's script comes from Intl.Locale#maximize().
const RTL_SCRIPTS = new Set(["Arab", "Hebr", "Syrc", "Thaa", "Nkoo", "Adlm", "Rohg", "Mand", "Samr"]);

/** Parses a tag as Intl.Locale does, also taking POSIX-style `zh_CN`; undefined when it is not BCP 47. */
function parse(tag: string): Intl.Locale | undefined {
  try {
    return new Intl.Locale(tag.trim().replaceAll("_", "-"));
  } catch {
    return undefined;
  }
}

/** The shipped locale a BCP 47 tag asks for, or undefined when none fits. */
export function matchLocale(tag: string): Locale | undefined {
  const locale = parse(tag);
  if (!locale) return undefined;
  switch (locale.language) {
    case "en":
      return "en";
    case "ko":
      return "ko";
    case "ja":
      return "ja";
    case "es":
      return "es";
    case "zh":
      // Only Simplified: zh, zh-Hans, zh-CN and zh-SG maximize to Hans; zh-TW, zh-HK and zh-Hant to Hant.
      return locale.maximize().script === "Hans" ? "zh-CN" : undefined;
    default:
      return undefined;
  }
}

/**
 * Picks the candidate's language: the host's request (the widget's `lang`, the page's `?lang=`)
 * first, then the browser's languages in order, then English. A tag that is malformed or asks for
 * a language not shipped (Traditional Chinese included) falls through to the next preference.
 */
export function resolveLanguage(requested: string | null | undefined, browserLanguages: readonly string[]): Locale {
  for (const tag of [requested, ...browserLanguages]) {
    const match = tag ? matchLocale(tag) : undefined;
    if (match) return match;
  }
  return "en";
}

/** The writing direction of a locale's script. */
export function directionOf(locale: string): "ltr" | "rtl" {
  const script = parse(locale)?.maximize().script;
  return script && RTL_SCRIPTS.has(script) ? "rtl" : "ltr";
}
