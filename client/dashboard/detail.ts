import type { InterviewWithEvents } from "../../shared/interview.js";
import type { RiskReport } from "../../shared/signals.js";
import { describeEvent, RED_FLAGS } from "../interviewer/format.js";
import { renderReport } from "../interviewer/report.js";
import { h, mount } from "../ui/dom.js";
import type { DashboardApi } from "./api.js";
import { drawTimeline } from "./timeline-chart.js";

/** Renders one interview: the timeline chart, the verdict, snapshots, the risk report and the event list. */
export async function renderDetail(target: HTMLElement, api: DashboardApi, iv: InterviewWithEvents, report: RiskReport): Promise<void> {
  const verdict = [...iv.events].reverse().find((e) => e.type === "liveness_passed" || e.type === "liveness_failed");
  const reportBox = h("div", {});
  renderReport(reportBox, report);
  const snaps = h("div", { class: "snapshots", id: "snapshots" });
  mount(
    target,
    h("h2", { id: "detail-name" }, iv.candidate.name),
    h("p", { class: "muted" }, `Status: ${iv.status.replace("_", " ")} · expires ${new Date(iv.expiresAt).toLocaleString()}`),
    drawTimeline(iv.events),
    h(
      "div",
      { class: `banner ${verdict?.type === "liveness_passed" ? "ok" : verdict ? "error" : "warn"}`, id: "verdict" },
      verdict
        ? `${verdict.type === "liveness_passed" ? "Liveness passed" : "Liveness failed"}: ${((verdict.data.reasons as string[] | undefined) ?? []).join("; ")}`
        : "No liveness verdict yet.",
    ),
    snaps,
    h("h2", { style: "margin-top:20px" }, "Risk report"),
    reportBox,
    h("h2", { style: "margin-top:20px" }, "Events"),
    h(
      "ul",
      { class: "events" },
      ...[...iv.events].reverse().map((e) =>
        h("li", { "data-type": e.type }, h("time", {}, new Date(e.at).toLocaleString()), h("span", { class: RED_FLAGS.has(e.type) ? "pill bad" : "" }, describeEvent(e))),
      ),
    ),
  );
  target.hidden = false;
  const { snapshots } = await api.snapshots(iv.id);
  for (const s of snapshots.slice(-4)) {
    const img = h("img", { alt: `Liveness snapshot, step ${s.step + 1}`, width: "160" });
    img.src = await api.snapshotUrl(iv.id, s.id);
    snaps.append(img);
  }
}
