import type { RiskFlag } from "../../shared/signals.js";
import type { SignalContext } from "./context.js";

/**
 * Laptop farms, from the kit's device checks (`device_checked`): other interviews whose candidates'
 * browsers reported the same machine (a keyed hash of user agent, platform, screen, GPU, time zone,
 * languages and camera) under other names. Review only: every value is reported and a script can vary them.
 */
export function deviceReuseRule(ctx: SignalContext): RiskFlag[] {
  const others = new Map<string, { interviewId: string; candidateName: string; candidateEmail?: string; at: string }>();
  for (const e of ctx.events) {
    if (e.type !== "device_checked" || e.legacy) continue;
    for (const m of e.data.matches) others.set(m.interviewId, m);
  }
  if (!others.size) return [];
  const list = [...others.values()].sort((a, b) => a.at.localeCompare(b.at));
  return [
    {
      id: "device_reused",
      severity: "medium",
      advisoryFlag: "identity",
      title: `The same reported device as ${list.length} other interview${list.length === 1 ? "" : "s"} under other names`,
      explanation:
        `This candidate's browser reported the same machine (user agent, platform, screen, graphics card, time zone, languages and camera) as ` +
        list.map((o) => `${o.candidateName} (interview ${o.interviewId}, ${o.at.slice(0, 10)})`).join("; ") +
        `. One machine behind several names is the pattern of a laptop farm or of one operator running several personas. ` +
        `These are values the browser reports, which a script can change: a reason to look, not proof.`,
      evidence: { others: list, reported: true },
    },
  ];
}
