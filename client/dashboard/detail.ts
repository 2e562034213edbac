import type { InterviewWithEvents } from "../../shared/interview.js";
import type { RiskReport } from "../../shared/signals.js";
import { renderReport } from "../interviewer/report.js";
import { h, mount } from "../ui/dom.js";
import { eventItems, livenessVerdict, statusLabel, VERDICT_LABELS } from "../ui/labels.js";
import type { DashboardApi } from "./api.js";
import { drawTimeline } from "./timeline-chart.js";

/** Object URLs of the snapshots on show: each pins a JPEG in memory until revoked. */
let snapshotUrls: string[] = [];
/** Counts renders, so a render overtaken by a newer one stops fetching snapshots for a detached view. */
let renders = 0;

function releaseSnapshots(): void {
  for (const url of snapshotUrls) URL.revokeObjectURL(url);
  snapshotUrls = [];
}

/** Renders one interview: the timeline chart, the verdict, snapshots, the risk report and the event list. */
export async function renderDetail(target: HTMLElement, api: DashboardApi, iv: InterviewWithEvents, report: RiskReport): Promise<void> {
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
    const img = h("img", { alt: `Liveness snapshot, step ${s.step + 1}`, width: "160" });
    img.src = url;
    snaps.append(img);
  }
}
