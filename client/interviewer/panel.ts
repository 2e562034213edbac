import type { InterviewWithEvents } from "../../shared/interview.js";
import { h, mount } from "../ui/dom.js";
import { eventItems, livenessVerdict, statusLabel, VERDICT_LABELS } from "../ui/labels.js";

const pill = (text: string, tone = "", id?: string) => h("span", { class: `pill ${tone}`, ...(id ? { id } : {}) }, text);

/** What the kit's monitor last said about the candidate's face, as a state and its label. */
export type FaceState = "watching" | "present" | "absent" | "multiple" | "mismatch" | "camera_off";

const FACE_LABELS: Record<FaceState, [string, string]> = {
  watching: ["watching…", ""],
  present: ["face present", "ok"],
  absent: ["no face", "bad"],
  multiple: ["more than one face", "bad"],
  mismatch: ["not the verified person", "bad"],
  camera_off: ["camera off", "bad"],
};

/** The candidate's face and camera now, from the monitor's events: the latest one that says something decides. */
export function monitorState(events: InterviewWithEvents["events"], nowMs = Date.now()): { face: FaceState; cameraOffSeconds: number } {
  let face: FaceState = "watching";
  let total = 0;
  let offSince: number | undefined;
  let mismatch = false;
  for (const e of events) {
    if (e.actor !== "monitor") continue;
    if (e.type === "face_mismatch") mismatch = true;
    else if (e.type === "face_match_restored") mismatch = false;
    else if (e.type === "face_absent") face = "absent";
    else if (e.type === "multiple_faces") face = "multiple";
    else if (e.type === "face_present" || e.type === "monitor_started") face = "present";
    else if (e.type === "camera_off") {
      face = "camera_off";
      offSince = Date.parse(e.at);
    } else if (e.type === "camera_on") {
      face = "present";
      offSince = undefined;
      if (!e.legacy) total = e.data.totalOffSeconds || total;
    }
  }
  if (mismatch && face !== "camera_off") face = "mismatch";
  const running = offSince !== undefined ? Math.max(0, (nowMs - offSince) / 1000) : 0;
  return { face, cameraOffSeconds: total + running };
}

/** Renders the verification facts and the timeline. All values go in as text, never HTML. */
export function renderInterview(iv: InterviewWithEvents): void {
  const live = monitorState(iv.events);
  const [faceLabel, faceTone] = FACE_LABELS[live.face];
  document.getElementById("candidate-name")!.textContent = iv.candidate.name;
  document.getElementById("summary")!.textContent = iv.claimedLocation
    ? `Claims to be in ${[iv.claimedLocation.city, iv.claimedLocation.country, iv.claimedLocation.timezone].filter(Boolean).join(", ")}`
    : "No location claimed";
  const { verdict } = livenessVerdict(iv.events);
  const refused = iv.events.some((e) => e.type === "camera_refused" || e.type === "camera_unavailable");
  const virtual = iv.events.some((e) => e.type === "virtual_camera_suspected");
  mount(
    document.getElementById("facts")!,
    h("dt", {}, "Status"),
    h("dd", {}, h("span", { class: "pill", id: "status", "data-status": iv.status }, statusLabel(iv.status))),
    h("dt", {}, "Liveness"),
    h("dd", {}, pill(VERDICT_LABELS[verdict], verdict === "passed" ? "ok" : verdict === "failed" ? "bad" : "")),
    h("dt", {}, "Camera"),
    h("dd", {}, refused ? pill("refused or unavailable", "bad", "camera-flag") : virtual ? pill("virtual suspected", "warn") : pill("no refusal")),
    h("dt", {}, "Face now"),
    h("dd", {}, h("span", { class: `pill ${faceTone}`, id: "face-state", "data-state": live.face }, faceLabel)),
    h("dt", {}, "Camera off"),
    h("dd", { id: "camera-off-total" }, `${live.cameraOffSeconds.toFixed(1)} s in total`),
    h("dt", {}, "IPs seen"),
    h("dd", {}, [...new Set(iv.events.map((e) => e.ip).filter(Boolean))].join(", ") || "—"),
  );
  mount(document.getElementById("events")!, ...eventItems(iv.events, (at) => at.toLocaleTimeString()));
}
