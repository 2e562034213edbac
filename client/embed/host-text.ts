import { applyStringOverrides } from "../i18n/index.js";

/**
 * The one call site for the host page's text: the element's `strings` property, unvalidated
 * (from the URL fragment `#verify-config=` or a later `configure` message). The language itself
 * arrives as `?lang=` on the frame URL, which the page's language setup reads.
 *
 * Overrides are checked against the kit's keys (client/i18n/overrides.ts); each unknown key and
 * each refused value is reported once on the console, never injected. Each call replaces the
 * previous overrides; the page redraws when the strings change.
 */
export function applyHostText(lang: string | undefined, raw: unknown): { unknownKeys: string[]; invalid: string[] } {
  void lang;
  const { unknownKeys, invalid } = applyStringOverrides(raw ?? undefined);
  for (const key of unknownKeys) console.warn(`verify-interview: string override "${key}" is not a text entry of the kit; ignored`);
  for (const key of invalid) console.warn(`verify-interview: string override "${key}" has a value the kit does not accept; ignored`);
  return { unknownKeys, invalid };
}
