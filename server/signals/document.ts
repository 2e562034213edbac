import type { EventData } from "../../shared/events.js";
import type { RiskFlag } from "../../shared/signals.js";
import type { SignalContext } from "./context.js";
import { countryName, isAdvisoryPattern } from "./flags.js";

type DocumentChecked = EventData<"document_checked">;

/**
 * The flags of one document check, from the kit's own checks (`document_checked`). `ipCountries`
 * are the countries of the candidate's measured addresses, for the nationality explanation.
 */
export function documentFindings(d: DocumentChecked, ipCountries: string[] = []): RiskFlag[] {
  const flags: RiskFlag[] = [];
  const flag = (f: Omit<RiskFlag, "advisoryFlag"> & { advisoryFlag?: RiskFlag["advisoryFlag"] }) => flags.push({ advisoryFlag: "identity", ...f } as RiskFlag);
  if (d.outcome === "unreadable") {
    flag({
      id: "document_unreadable",
      severity: d.mode === "required" ? "high" : "medium",
      title: "No identity document could be read",
      explanation:
        `The verifier looked for a document's machine-readable zone for ${Math.round(d.lookedMs / 1000)} s after the liveness pass and read ${d.framesRead} frame(s) ` +
        `without two agreeing reads. The candidate may have shown none (or left the step), or held it too far, blurred or in glare. The interview's setting is "${d.mode}".`,
      evidence: { framesRead: d.framesRead, lookedMs: d.lookedMs, mode: d.mode },
    });
    return flags;
  }
  if (d.outcome === "invalid") {
    flag({
      id: "document_invalid",
      severity: "high",
      title: "The document's check digits fail",
      explanation:
        `${d.agreeingFrames} frames read the same machine-readable zone, and its check digits (${(d.failedChecks ?? []).join(", ") || "some"}) do not add up. ` +
        `A genuine document's do; an edited field (a forged number or date) breaks them.`,
      evidence: { failedChecks: d.failedChecks ?? [], agreeingFrames: d.agreeingFrames },
    });
    return flags;
  }
  const doc = d.document;
  const checks = d.checks;
  if (!doc || !checks) return flags;
  if (d.portrait.kind === "compared" && d.portrait.similarity < d.portrait.threshold) {
    flag({
      id: "document_face_mismatch",
      severity: "high",
      title: "The document's photograph is not the verified face",
      explanation: `The face in the document's portrait scored ${d.portrait.similarity.toFixed(2)} against the face that passed the liveness check (the same person scores at least ${d.portrait.threshold}).`,
      evidence: { similarity: d.portrait.similarity, threshold: d.portrait.threshold },
    });
  }
  if (!checks.nameMatches) {
    flag({
      id: "document_name_mismatch",
      severity: "high",
      title: "The document is in another name",
      explanation: `The document reads ${doc.givenNames} ${doc.surname}, which is not the name the candidate was invited under (order, case, accents and the zone's truncation are allowed for).`,
      evidence: { surname: doc.surname, givenNames: doc.givenNames },
    });
  }
  if (checks.nationalityMatches === false) {
    const claimed = checks.claimedCountry;
    const documentCountry = checks.documentCountry;
    const evidence = ipCountries.filter((c) => c !== claimed);
    flag({
      id: "document_nationality_mismatch",
      severity: isAdvisoryPattern(claimed, documentCountry) || evidence.some((c) => isAdvisoryPattern(claimed, c)) ? "high" : "medium",
      advisoryFlag: "location_mismatch",
      title: "The document's country is not the claimed one",
      explanation:
        `The candidate claims to live in ${countryName(claimed)}; the document was issued by ${doc.issuingState} to a national of ${doc.nationality} (${countryName(documentCountry)}).` +
        (evidence.length ? ` The candidate's measured addresses are in ${evidence.map(countryName).join(", ")}.` : ""),
      evidence: { claimedCountry: claimed, documentCountry, issuingState: doc.issuingState, nationality: doc.nationality, ipCountries },
    });
  }
  if (checks.expired) {
    flag({
      id: "document_expired",
      severity: "medium",
      title: "The document has expired",
      explanation: `The document's expiry date (${doc.expiryDate.slice(4, 6)}.${doc.expiryDate.slice(2, 4)}.20${doc.expiryDate.slice(0, 2)}) has passed.`,
      evidence: { expiryDate: doc.expiryDate },
    });
  }
  if (d.matches.length) {
    flag({
      id: "document_reused",
      severity: "high",
      title: `The same document was shown in ${d.matches.length} other interview${d.matches.length === 1 ? "" : "s"} under other names`,
      explanation:
        `The kit saw this document (the same issuing state and number, compared by a keyed hash) in ` +
        d.matches.map((m) => `${m.candidateName} (interview ${m.interviewId}, ${m.at.slice(0, 10)})`).join("; ") +
        `. One document behind several personas is the pattern of an identity farm.`,
      evidence: { others: d.matches },
    });
  }
  return flags;
}

/** The flag ids of one document check, for the webhook (which carries no document fields). */
export function documentFlags(d: DocumentChecked): string[] {
  return documentFindings(d).map((f) => f.id);
}

/** Flags from the interview's latest document check (a later pass's document replaces an earlier one). */
export function documentRule(ctx: SignalContext): RiskFlag[] {
  const latest = ctx.events.filter((e) => e.type === "document_checked" && !e.legacy).at(-1);
  if (!latest || latest.type !== "document_checked" || latest.legacy) return [];
  const ipCountries = [...new Set(ctx.ips.filter((o) => !o.private && o.country).map((o) => o.country!))];
  return documentFindings(latest.data, ipCountries);
}
