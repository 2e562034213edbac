import type { RiskFlag } from "../../shared/signals.js";
import type { SignalContext } from "./context.js";

/**
 * Laptop farms, from the kit's own network checks (`network_checked`): other interviews whose
 * candidates used this candidate's address, or its /24 (/48) on a residential or business network,
 * under other names. Two identities on one network is for review; three or more is high.
 */
export function networkReuseRule(ctx: SignalContext): RiskFlag[] {
  const others = new Map<string, { interviewId: string; candidateName: string; candidateEmail?: string; ip?: string; at: string; sameAddress: boolean; prefix: string }>();
  const prefixes = new Set<string>();
  for (const e of ctx.events) {
    if (e.type !== "network_checked" || e.legacy) continue;
    prefixes.add(e.data.prefix);
    for (const m of e.data.matches) {
      const known = others.get(m.interviewId);
      if (!known || (m.sameAddress && !known.sameAddress)) others.set(m.interviewId, { ...m, prefix: e.data.prefix });
    }
  }
  if (!others.size) return [];
  const identities = new Set([...others.values()].map((o) => o.candidateEmail?.toLowerCase() ?? `${o.candidateName}:${o.interviewId}`)).size + 1;
  const list = [...others.values()].sort((a, b) => a.at.localeCompare(b.at));
  const sameAddress = list.filter((o) => o.sameAddress).length;
  return [
    {
      id: "network_reused",
      severity: identities >= 3 ? "high" : "medium",
      advisoryFlag: "identity",
      title: `The same ${sameAddress ? "address" : "network"} as ${list.length} other interview${list.length === 1 ? "" : "s"} under other names`,
      explanation:
        `This candidate connected from ${[...prefixes].join(", ")}, where the kit also saw ` +
        list.map((o) => `${o.candidateName} (interview ${o.interviewId}, ${o.sameAddress ? "the same address" : "the same network"}, ${o.at.slice(0, 10)})`).join("; ") +
        `. ${identities} identities on one home or office network is the pattern of a laptop farm, where one facilitator hosts the computers of workers hired under different names. ` +
        `Hosting and VPN networks are not counted.`,
      evidence: { identities, prefixes: [...prefixes], others: list.map(({ prefix: _p, ...o }) => o) },
    },
  ];
}
