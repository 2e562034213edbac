import type { InterviewWithEvents } from "../../shared/interview.js";
import type { RiskReport } from "../../shared/signals.js";
import { renderReport } from "../interviewer/report.js";
import { h, mount } from "../ui/dom.js";
import { eventItems, livenessVerdict, statusLabel, VERDICT_LABELS } from "../ui/labels.js";
import type { DashboardApi } from "./api.js";
import { drawTimeline } from "./timeline-chart.js";

/** The snapshot step of the identity document's frame (server/documents: DOCUMENT_SNAPSHOT_STEP). */
const DOCUMENT_SNAPSHOT_STEP = 99;

/** "Other interviews" with a link to each, or nothing. */
function linkedList(report: RiskReport, open: (interviewId: string) => void): HTMLElement[] {
  const linked = linkedInterviews(report);
  if (!linked.length) return [];
  return [
    h("h2", { style: "margin-top:20px" }, "Other interviews"),
    h(
      "ul",
      { id: "linked-interviews" },
      ...linked.map((l) =>
        h(
          "li",
          {},
          h("a", { href: `#interview-${l.interviewId}`, "data-interview": l.interviewId, onclick: (e: Event) => (e.preventDefault(), open(l.interviewId)) }, l.candidateName),
          ` (${l.flag.replace(/_/g, " ")}, ${l.interviewId})`,
        ),
      ),
    ),
  ];
}

/** Object URLs of the snapshots on show: each pins a JPEG in memory until revoked. */
let snapshotUrls: string[] = [];
/** Counts renders, so a render overtaken by a newer one stops fetching snapshots for a detached view. */
let renders = 0;

function releaseSnapshots(): void {
  for (const url of snapshotUrls) URL.revokeObjectURL(url);
  snapshotUrls = [];
}

/** The other interviews a flag names (same face, network, device or document under other names), once each. */
export function linkedInterviews(report: RiskReport): { interviewId: string; candidateName: string; flag: string }[] {
  const seen = new Map<string, { interviewId: string; candidateName: string; flag: string }>();
  for (const f of report.flags) {
    const others = (f.evidence as { others?: unknown } | undefined)?.others;
    if (!Array.isArray(others)) continue;
    for (const o of others as Array<{ interviewId?: unknown; candidateName?: unknown }>) {
      if (typeof o.interviewId !== "string" || seen.has(o.interviewId)) continue;
      seen.set(o.interviewId, { interviewId: o.interviewId, candidateName: typeof o.candidateName === "string" ? o.candidateName : o.interviewId, flag: f.id });
    }
  }
  return [...seen.values()];
}

/** Renders one interview: the timeline chart, the verdict, snapshots, the risk report, the interviews it links to and the event list. */
export async function renderDetail(
  target: HTMLElement,
  api: DashboardApi,
  iv: InterviewWithEvents,
  report: RiskReport,
  open: (interviewId: string) => void = () => {},
): Promise<void> {
  const render = ++renders;
  // Every live event redraws the detail; the snapshots it replaces are let go here.
  releaseSnapshots();
  const { verdict, reasons } = livenessVerdict(iv.events);
  const reportBox = h("div", {});
  renderReport(reportBox, report);
  const snaps = h("div", { class: "snapshots", id: "snapshots" });
  mount(
    target,
    h("h2", { id: "detail-name" }, iv.candidate.name),
    h("p", { class: "muted" }, `Status: ${statusLabel(iv.status)} · expires ${new Date(iv.expiresAt).toLocaleString()}`),
    drawTimeline(iv.events),
    h(
      "div",
      { class: `banner ${verdict === "passed" ? "ok" : verdict === "failed" ? "error" : "warn"}`, id: "verdict" },
      verdict === "none" ? "No liveness verdict yet." : `Liveness ${VERDICT_LABELS[verdict]}: ${reasons.join("; ")}`,
    ),
    snaps,
    h("h2", { style: "margin-top:20px" }, "Risk report"),
    reportBox,
    ...linkedList(report, open),
    h("h2", { style: "margin-top:20px" }, "Events"),
    h("ul", { class: "events" }, ...eventItems(iv.events, (at) => at.toLocaleString())),
  );
  target.hidden = false;
  const { snapshots } = await api.snapshots(iv.id);
  for (const s of snapshots.slice(-4)) {
    if (render !== renders) return;
    const url = await api.snapshotUrl(iv.id, s.id);
    if (render !== renders) {
      URL.revokeObjectURL(url);
      return;
    }
    snapshotUrls.push(url);
    const img = h("img", { alt: s.step === DOCUMENT_SNAPSHOT_STEP ? "Identity document, as the verifier read it" : `Liveness snapshot, step ${s.step + 1}`, width: "160" });
    img.src = url;
    snaps.append(img);
  }
}
