import type { RiskFlag, RiskLevel, Severity } from "../../shared/signals.js";

/** Claimed countries the advisory says workers pose as. */
const COVER_COUNTRIES: ReadonlySet<string> = new Set(["KR", "JP"]);
/** Countries the advisory says they actually work from. */
const CONCEALED_COUNTRIES: ReadonlySet<string> = new Set(["CN", "RU", "KP"]);

/**
 * True for the advisory's own pattern: a claim of South Korea or Japan with
 * evidence in China, Russia or North Korea; or North Korea behind any claim.
 */
export function isAdvisoryPattern(claimed: string | undefined, actual: string | undefined): boolean {
  if (!claimed || !actual || claimed === actual) return false;
  if (actual === "KP") return true;
  return COVER_COUNTRIES.has(claimed) && CONCEALED_COUNTRIES.has(actual);
}

const RANK: Record<Severity, number> = { low: 1, medium: 2, high: 3 };

/** The more severe of the given severities. */
export function maxSeverity(...severities: Severity[]): Severity {
  return severities.reduce((a, b) => (RANK[b] > RANK[a] ? b : a), "low");
}

/** The most severe of the given flags; the first one wins a tie. */
export function mostSevere(flags: RiskFlag[]): RiskFlag | undefined {
  return flags.reduce<RiskFlag | undefined>((a, b) => (!a || RANK[b.severity] > RANK[a.severity] ? b : a), undefined);
}

/**
 * The report's level: `high` with any high flag, `review` with any medium
 * flag or two low ones, otherwise `clear`. One low flag alone (a slow clock,
 * a TURN relay) is common on honest machines and does not ask for review.
 */
export function levelFor(flags: RiskFlag[]): RiskLevel {
  if (flags.some((f) => f.severity === "high")) return "high";
  if (flags.some((f) => f.severity === "medium")) return "review";
  return flags.length >= 2 ? "review" : "clear";
}

/** Orders flags most severe first, keeping rule order within a severity. */
export function sortFlags(flags: RiskFlag[]): RiskFlag[] {
  return flags
    .map((f, i) => ({ f, i }))
    .sort((a, b) => RANK[b.f.severity] - RANK[a.f.severity] || a.i - b.i)
    .map(({ f }) => f);
}

/** A country code with its English name, for explanations: "China (CN)". */
export function countryName(code: string | undefined): string {
  if (!code) return "an unknown country";
  try {
    const name = new Intl.DisplayNames(["en"], { type: "region" }).of(code);
    return name && name !== code ? `${name} (${code})` : code;
  } catch {
    return code;
  }
}
