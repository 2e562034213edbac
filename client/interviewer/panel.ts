import type { InterviewWithEvents } from "../../shared/interview.js";
import { h, mount } from "../ui/dom.js";
import { describeEvent, RED_FLAGS } from "./format.js";

const pill = (text: string, tone = "", id?: string) => h("span", { class: `pill ${tone}`, ...(id ? { id } : {}) }, text);

/** Renders the verification facts and the timeline. All values go in as text, never HTML. */
export function renderInterview(iv: InterviewWithEvents, live: { face: string; cameraOff: number }): void {
  document.getElementById("candidate-name")!.textContent = iv.candidate.name;
  document.getElementById("summary")!.textContent = iv.claimedLocation
    ? `Claims to be in ${[iv.claimedLocation.city, iv.claimedLocation.country, iv.claimedLocation.timezone].filter(Boolean).join(", ")}`
    : "No location claimed";
  const verdict = [...iv.events].reverse().find((e) => e.type === "liveness_passed" || e.type === "liveness_failed");
  const refused = iv.events.some((e) => e.type === "camera_refused" || e.type === "camera_unavailable");
  const virtual = iv.events.some((e) => e.type === "virtual_camera_suspected");
  mount(
    document.getElementById("facts")!,
    h("dt", {}, "Status"),
    h("dd", {}, h("span", { class: "pill", id: "status", "data-status": iv.status }, iv.status.replace("_", " "))),
    h("dt", {}, "Liveness"),
    h("dd", {}, verdict ? (verdict.type === "liveness_passed" ? pill("passed", "ok") : pill("failed", "bad")) : pill("not yet")),
    h("dt", {}, "Camera"),
    h("dd", {}, refused ? pill("refused or unavailable", "bad", "camera-flag") : virtual ? pill("virtual suspected", "warn") : pill("no refusal")),
    h("dt", {}, "Face now"),
    h("dd", {}, pill(live.face, live.face === "face present" ? "ok" : live.face === "watching…" ? "" : "bad", "face-state")),
    h("dt", {}, "Camera off"),
    h("dd", { id: "camera-off-total" }, `${live.cameraOff.toFixed(1)} s in total`),
    h("dt", {}, "IPs seen"),
    h("dd", {}, [...new Set(iv.events.map((e) => e.ip).filter(Boolean))].join(", ") || "—"),
  );
  mount(
    document.getElementById("events")!,
    ...[...iv.events].reverse().map((e) =>
      h(
        "li",
        { "data-type": e.type },
        h("time", {}, new Date(e.at).toLocaleTimeString()),
        h("span", { class: RED_FLAGS.has(e.type) ? "pill bad" : "" }, describeEvent(e)),
      ),
    ),
  );
}
