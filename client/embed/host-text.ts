import { defaultStrings, setStrings } from "../i18n/strings.js";

/** Longest override accepted for one entry. */
const MAX_TEXT = 2000;

/**
 * THE ONE CALL SITE for the host page's language and text (the i18n integration point).
 *
 * - `lang`: the element's `lang` attribute, forwarded as `?lang=` on the frame URL.
 * - `raw`: the element's `strings` property, unvalidated (from the URL fragment
 *   `#verify-config=` or a later `configure` message).
 *
 * TODO(i18n merge): when `client/i18n/` exports them, replace this body with
 *   `applyLanguage(lang)` and `const { unknownKeys } = applyStringOverrides(raw)`,
 *   warning once per unknown key, and drop the interim code below.
 *
 * Until then only English exists, so `lang` changes nothing, and overrides of
 * plain-text entries (top level, or one level down) are applied; entries that are
 * functions (counts, days) and unknown keys are refused with a console warning.
 */
export function applyHostText(lang: string | undefined, raw: unknown): { unknownKeys: string[] } {
  void lang;
  if (raw === undefined || raw === null) return { unknownKeys: [] };
  const unknownKeys: string[] = [];
  const accepted: Record<string, unknown> = {};
  const defaults = defaultStrings as Record<string, unknown>;
  if (typeof raw !== "object" || Array.isArray(raw)) return { unknownKeys: ["(strings must be an object)"] };
  for (const [key, value] of Object.entries(raw)) {
    const base = Object.hasOwn(defaults, key) ? defaults[key] : undefined;
    if (typeof base === "string" && typeof value === "string" && value.length <= MAX_TEXT) {
      accepted[key] = value;
    } else if (base && typeof base === "object" && value && typeof value === "object" && !Array.isArray(value)) {
      const inner: Record<string, string> = {};
      for (const [sub, text] of Object.entries(value)) {
        const subBase = Object.hasOwn(base, sub) ? (base as Record<string, unknown>)[sub] : undefined;
        if (typeof subBase === "string" && typeof text === "string" && text.length <= MAX_TEXT) inner[sub] = text;
        else unknownKeys.push(`${key}.${sub}`);
      }
      accepted[key] = inner;
    } else {
      unknownKeys.push(key);
    }
  }
  setStrings(accepted);
  for (const key of unknownKeys) console.warn(`verify-interview: string override "${key}" is not a text entry of the kit; ignored`);
  return { unknownKeys };
}
