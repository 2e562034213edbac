import type { VerifyTheme } from "./verify-interview.js";

/**
 * The widget's theme: a colour scheme and three CSS custom properties a host
 * may set. Every value is checked against a narrow grammar on both sides of the
 * frame; anything else is dropped with a console warning, never written into a
 * style. No `url(…)`, `var(…)`, `;`, braces or escapes can get through.
 */

export const THEMES = ["light", "dark", "auto"] as const satisfies readonly VerifyTheme[];

/** The host-settable variables, and the CSS custom property a host sets on the element for each. */
export const THEME_VARS = { accent: "--verify-accent", radius: "--verify-radius", font: "--verify-font" } as const;
export type ThemeVar = keyof typeof THEME_VARS;
export type ThemeVars = Partial<Record<ThemeVar, string>>;

const NUMBER = String.raw`[-+]?(?:\d{1,3}(?:\.\d{1,4})?|\.\d{1,4})`;
const COMPONENT = String.raw`(?:${NUMBER}(?:%|deg|rad|turn)?|none)`;
const COLOR_FUNCTION = new RegExp(String.raw`^(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch)\(\s*${COMPONENT}(?:\s*[,/]?\s*${COMPONENT}){2,3}\s*\)$`, "i");
const HEX = /^#(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i;
/** Named colours are letters only; the keywords that are not a colour are refused by name. */
const NAMED = /^[a-z]{3,20}$/i;
const NOT_COLORS = new Set(["inherit", "initial", "unset", "revert", "currentcolor", "transparent", "none", "auto"]);
const RADIUS = /^(?:0|(\d{1,2}(?:\.\d{1,2})?)(px|rem|em))$/;
const FAMILY = /^(?:"[A-Za-z0-9 _.-]{1,60}"|'[A-Za-z0-9 _.-]{1,60}'|[A-Za-z][A-Za-z0-9 _-]{0,59})$/;

/** The theme name, or undefined for anything else. */
export function checkTheme(value: unknown): VerifyTheme | undefined {
  return typeof value === "string" && (THEMES as readonly string[]).includes(value) ? (value as VerifyTheme) : undefined;
}

/** Whether `value` is acceptable for `name`. `isColor` adds the browser's own check where there is a browser. */
export function checkThemeVar(name: ThemeVar, value: string, isColor?: (v: string) => boolean): boolean {
  if (value.length > 200) return false;
  switch (name) {
    case "accent":
      if (HEX.test(value) || COLOR_FUNCTION.test(value)) return isColor?.(value) ?? true;
      return NAMED.test(value) && !NOT_COLORS.has(value.toLowerCase()) && (isColor?.(value) ?? true);
    case "radius": {
      const m = RADIUS.exec(value);
      if (!m) return false;
      if (value === "0") return true;
      return Number(m[1]) <= (m[2] === "px" ? 40 : 2.5);
    }
    case "font":
      return value.split(",").every((part) => FAMILY.test(part.trim()));
  }
}

/**
 * Keeps the acceptable variables of a host's input and names each one dropped,
 * for the console warning. Unknown names and non-string values are dropped too.
 */
export function checkThemeVars(raw: unknown, isColor?: (v: string) => boolean): { vars: ThemeVars; rejected: string[] } {
  const vars: ThemeVars = {};
  const rejected: string[] = [];
  if (raw === undefined || raw === null) return { vars, rejected };
  if (typeof raw !== "object" || Array.isArray(raw)) return { vars, rejected: ["theme variables must be an object"] };
  for (const [name, value] of Object.entries(raw)) {
    if (!Object.hasOwn(THEME_VARS, name)) {
      rejected.push(`unknown theme variable "${name}"`);
    } else if (typeof value !== "string" || !checkThemeVar(name as ThemeVar, value.trim(), isColor)) {
      rejected.push(`${THEME_VARS[name as ThemeVar]}: ${JSON.stringify(value)} is not allowed`);
    } else {
      vars[name as ThemeVar] = value.trim();
    }
  }
  return { vars, rejected };
}

/**
 * Dark text on light accents: the accent is a button's background, so its text
 * colour follows the accent's luminance (hex colours only; others keep white).
 */
export function accentInk(accent: string): string {
  const hex = HEX.test(accent) ? accent.slice(1) : undefined;
  if (!hex) return "#ffffff";
  const full = hex.length <= 4 ? [...hex.slice(0, 3)].map((c) => c + c).join("") : hex.slice(0, 6);
  const [r, g, b] = [0, 2, 4].map((i) => {
    const c = parseInt(full.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  // Contrast with white vs with near-black: pick the larger.
  return (1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.05 ? "#ffffff" : "#111827");
}
