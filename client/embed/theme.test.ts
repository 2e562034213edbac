import { describe, expect, it } from "vitest";
import { accentInk, checkTheme, checkThemeVar, checkThemeVars } from "./theme.js";

describe("widget theme validation", () => {
  it("accepts the three themes and nothing else", () => {
    expect(["light", "dark", "auto"].map(checkTheme)).toEqual(["light", "dark", "auto"]);
    for (const bad of ["Dark", "blue", "", " dark", undefined, 1, { theme: "dark" }]) expect(checkTheme(bad)).toBeUndefined();
  });

  it("accepts colours in hex, functional and named notation", () => {
    for (const ok of ["#0a7", "#0a7f", "#00aa77", "#00aa77cc", "rgb(0, 170, 119)", "rgb(0 170 119 / 50%)", "hsl(160deg 100% 33%)", "oklch(0.62 0.15 160)", "teal"]) {
      expect(checkThemeVar("accent", ok), ok).toBe(true);
    }
  });

  it("refuses anything that could load a URL, read another variable or escape the declaration", () => {
    for (const bad of [
      "url(https://evil.example/x.png)",
      "var(--secret)",
      "red; background: url(https://evil.example)",
      "red}body{display:none",
      "rgb(0,0,0) url(x)",
      "rgb(calc(1), 2, 3)",
      "\\72 ed",
      "expression(alert(1))",
      "inherit",
      "currentColor",
      "#12345",
      "",
    ]) {
      expect(checkThemeVar("accent", bad), bad).toBe(false);
    }
    // The browser's own parser gets the last word on names.
    expect(checkThemeVar("accent", "notacolour", () => false)).toBe(false);
  });

  it("bounds the radius and keeps the font to a plain family list", () => {
    for (const ok of ["0", "8px", "12.5px", "40px", "1rem", "2.5em"]) expect(checkThemeVar("radius", ok), ok).toBe(true);
    for (const bad of ["41px", "3rem", "-4px", "10", "10vh", "calc(10px)", "10px 2px"]) expect(checkThemeVar("radius", bad), bad).toBe(false);
    for (const ok of ["Inter", '"Noto Sans KR", system-ui, sans-serif', "'IBM Plex Sans', Arial"]) expect(checkThemeVar("font", ok), ok).toBe(true);
    for (const bad of ['"x"; color: red', "url(x)", "Inter, ", '"unterminated', "a{b}"]) expect(checkThemeVar("font", bad), bad).toBe(false);
  });

  it("keeps the good variables and names every dropped one", () => {
    const { vars, rejected } = checkThemeVars({ accent: " #0a7 ", radius: "99px", font: "Inter", shadow: "none", extra: 3 });
    expect(vars).toEqual({ accent: "#0a7", font: "Inter" });
    expect(rejected).toEqual([
      '--verify-radius: "99px" is not allowed',
      'unknown theme variable "shadow"',
      'unknown theme variable "extra"',
    ]);
    expect(checkThemeVars({ accent: 123 }).rejected).toEqual(["--verify-accent: 123 is not allowed"]);
    expect(checkThemeVars("accent:red").rejected).toEqual(["theme variables must be an object"]);
    expect(checkThemeVars(undefined)).toEqual({ vars: {}, rejected: [] });
  });

  it("puts dark text on a light accent and white text on a dark one", () => {
    expect(accentInk("#ffd400")).toBe("#111827");
    expect(accentInk("#fff")).toBe("#111827");
    expect(accentInk("#2f5bea")).toBe("#ffffff");
    expect(accentInk("#0b3d2e")).toBe("#ffffff");
    expect(accentInk("teal")).toBe("#ffffff");
  });
});
