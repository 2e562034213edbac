import { type Strings, en } from "./en.js";
import { directionOf, type Locale, TABLES } from "./locales.js";
import { type OverrideReport, type ParsedOverrides, parseOverrides } from "./overrides.js";

/**
 * The strings in effect: the active language's table with the host's overrides laid over it. The
 * page reads it at each render (`strings.consentHeading`); it is updated in place, so keep the
 * object, not a nested record taken from it.
 */
export const strings: Strings = { ...en };

let locale: Locale = "en";
let overrides: ParsedOverrides = {};
const listeners = new Set<() => void>();

function rebuild(): void {
  const table = TABLES[locale] as unknown as Record<string, unknown>;
  const next: Record<string, unknown> = { ...table };
  for (const [key, value] of Object.entries(overrides)) {
    const base = table[key];
    next[key] = typeof base === "object" && base !== null ? { ...base, ...(value as object) } : value;
  }
  Object.assign(strings, next);
  for (const listener of listeners) listener();
}

/** The active language. */
export function activeLanguage(): Locale {
  return locale;
}

/**
 * Makes `locale` the page's language: its strings (the host's overrides stay on top), and
 * `<html lang dir>` so fonts, hyphenation and screen readers follow.
 */
export function applyLanguage(next: Locale): void {
  locale = next;
  rebuild();
  if (typeof document !== "undefined") {
    document.documentElement.lang = next;
    document.documentElement.dir = directionOf(next);
  }
}

/**
 * Replaces the host's overrides (the widget's `strings` property) with the valid entries of `raw`,
 * and reports what was applied, which keys are unknown and which values were refused (dotted paths).
 * The caller warns the host about the last two. Overrides survive later language changes.
 */
export function applyStringOverrides(raw: unknown): OverrideReport {
  const { values, report } = parseOverrides(raw);
  overrides = values;
  rebuild();
  return report;
}

/** Calls `listener` after every change of language or overrides; returns the unsubscribe function. */
export function onStringsChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
