import type { RiskReport } from "../../shared/signals.js";
import { h, mount } from "../ui/dom.js";

const TONE = { high: "bad", medium: "warn", low: "" } as const;
const LEVEL_TONE = { high: "bad", review: "warn", clear: "ok" } as const;
const ADVISORY = {
  refuses_video: "Refuses video",
  many_ips: "Many IPs",
  location_mismatch: "Location mismatch",
  payment: "Payment",
  identity: "Hidden identity",
} as const;

/** Short text for one evidence value; objects are shown as compact JSON, always as text. */
function evidenceText(value: unknown): string {
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/** What the interviewer may do from a flag; absent where the viewer only reads (the dashboard). */
export interface ReportActions {
  /** Makes a later pass's face the monitor's reference (an `identity_changed` flag names the pass's check). */
  acceptReference(challengeId: string): Promise<void>;
  /** The check whose face an interviewer accepted last, if any. */
  accepted: string | undefined;
}

/** The button under an `identity_changed` flag from a later pass in this interview, if the viewer may act. */
function flagAction(flag: RiskReport["flags"][number], actions: ReportActions | undefined) {
  const challengeId = flag.evidence.challengeId;
  if (!actions || flag.id !== "identity_changed" || typeof challengeId !== "string" || !flag.evidence.earlierPasses) return false;
  if (actions.accepted === challengeId) return h("p", { class: "muted", "data-accepted-reference": challengeId }, "Accepted as the reference: the monitor compares with this face.");
  return h(
    "button",
    { class: "secondary", "data-accept-reference": challengeId, onclick: () => void actions.acceptReference(challengeId) },
    "Accept this pass's face as the reference",
  );
}

/** Renders the risk report panel: level, each flag with its advisory mapping and evidence, and the IPs seen. */
export function renderReport(target: Element, report: RiskReport, actions?: ReportActions): void {
  const env = report.environment;
  mount(
    target,
    h(
      "p",
      {},
      "Risk: ",
      h("span", { class: `pill ${LEVEL_TONE[report.level]}`, id: "risk-level", "data-level": report.level }, report.level),
    ),
    ...report.flags.map((flag) =>
      h(
        "details",
        { class: "flag", "data-flag": flag.id },
        h(
          "summary",
          {},
          h("span", { class: `pill ${TONE[flag.severity]}` }, flag.severity),
          " ",
          flag.title,
          h("span", { class: "muted" }, ` · ${ADVISORY[flag.advisoryFlag]}`),
        ),
        h("p", {}, flag.explanation),
        h("dl", { class: "kv" }, ...Object.entries(flag.evidence).flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, evidenceText(v))])),
        flagAction(flag, actions),
      ),
    ),
    report.flags.length === 0 && h("p", { class: "muted" }, "No red flags so far."),
    h(
      "dl",
      { class: "kv", style: "margin-top:12px" },
      h("dt", {}, "Browser zone"),
      h("dd", { id: "browser-zone" }, env ? `${env.report.timeZone}${env.zoneCountry ? ` (${env.zoneCountry})` : ""}` : "—"),
      h("dt", {}, "Languages"),
      h("dd", {}, env ? env.report.languages.join(", ") : "—"),
      h("dt", {}, "Network"),
      h(
        "dd",
        {},
        report.network
          ? `${report.network.report.candidateType ?? "?"}${report.network.minRttMs !== undefined ? ` · min RTT ${report.network.minRttMs} ms` : ""}`
          : "—",
      ),
      h("dt", {}, "IPs"),
      h("dd", {}, report.ips.map((i) => `${i.ip}${i.country ? ` ${i.country}` : ""}${i.asn ? ` AS${i.asn}` : ""}${i.org ? ` ${i.org}` : ""}`).join("; ") || "—"),
    ),
    h("p", { class: "muted", style: "font-size:0.8rem" }, "IP geolocation by ", h("a", { href: "https://db-ip.com", rel: "noreferrer" }, "DB-IP")),
  );
}
