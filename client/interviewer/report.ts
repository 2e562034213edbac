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

/** Renders the risk report panel: level, each flag with its advisory mapping and evidence, and the IPs seen. */
export function renderReport(target: Element, report: RiskReport): void {
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
