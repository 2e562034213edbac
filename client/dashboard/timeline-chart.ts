import type { InterviewEvent } from "../../shared/interview.js";

/** The chart's lanes, top to bottom. */
export const LANES = ["Camera", "Face", "Network", "Flags"] as const;
export type Lane = (typeof LANES)[number];

export interface Mark {
  lane: Lane;
  at: number;
  label: string;
  tone: "ok" | "bad" | "warn" | "info";
}

const MARKS: Partial<Record<InterviewEvent["type"], [Lane, Mark["tone"], string]>> = {
  camera_granted: ["Camera", "ok", "camera on"],
  camera_refused: ["Camera", "bad", "camera refused"],
  camera_unavailable: ["Camera", "bad", "no camera"],
  camera_off: ["Camera", "bad", "camera off"],
  camera_on: ["Camera", "ok", "camera back"],
  virtual_camera_suspected: ["Camera", "warn", "virtual camera"],
  face_present: ["Face", "ok", "face"],
  face_absent: ["Face", "bad", "no face"],
  multiple_faces: ["Face", "bad", "2+ faces"],
  extra_video_track: ["Camera", "bad", "extra video track"],
  static_video: ["Camera", "bad", "still picture"],
  looped_video: ["Camera", "bad", "looped clip"],
  liveness_passed: ["Face", "ok", "liveness passed"],
  liveness_failed: ["Face", "bad", "liveness failed"],
  no_reference_face: ["Face", "warn", "no reference face"],
  rechallenge_result: ["Face", "info", "re-check"],
  link_opened: ["Network", "info", "link opened"],
  network_reported: ["Network", "info", "network path"],
  video_degraded: ["Network", "warn", "video degraded"],
  signals_missing: ["Network", "warn", "no browser reports"],
};

/**
 * Places events on lanes. A link open from an IP not seen before is an IP
 * change and goes on the Flags lane too.
 */
export function timelineMarks(events: InterviewEvent[]): Mark[] {
  const marks: Mark[] = [];
  const ips = new Set<string>();
  for (const e of events) {
    const at = Date.parse(e.at);
    const m = MARKS[e.type];
    if (m) marks.push({ lane: m[0], tone: m[1], label: e.type === "rechallenge_result" ? (!e.legacy && e.data.passed ? "re-check passed" : "re-check failed") : m[2], at });
    if (e.actor === "candidate" && e.ip && !ips.has(e.ip)) {
      if (ips.size > 0) marks.push({ lane: "Flags", tone: "warn", label: `new IP ${e.ip}`, at });
      ips.add(e.ip);
    }
    if (e.type === "camera_refused" || e.type === "liveness_failed" || e.type === "multiple_faces" || e.type === "extra_video_track" || e.type === "static_video" || e.type === "looped_video") {
      marks.push({ lane: "Flags", tone: "bad", label: m?.[2] ?? e.type, at });
    }
  }
  return marks;
}

const COLOURS = { ok: "#12805c", bad: "#c0332b", warn: "#b25e09", info: "#2f5bea" } as const;
const SVG = "http://www.w3.org/2000/svg";

function el(tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Draws the lanes as an SVG: one dot per mark, its label as a tooltip (text, never HTML). */
export function drawTimeline(events: InterviewEvent[], width = 640): SVGElement {
  const marks = timelineMarks(events);
  const laneH = 34;
  const left = 80;
  const height = LANES.length * laneH + 24;
  const svg = el("svg", { viewBox: `0 0 ${width} ${height}`, width: "100%", role: "img", "aria-label": "Interview timeline" });
  const times = marks.map((m) => m.at);
  const t0 = Math.min(...times, Date.now());
  const t1 = Math.max(...times, t0 + 60_000);
  const x = (t: number) => left + ((t - t0) / (t1 - t0)) * (width - left - 16);
  LANES.forEach((lane, i) => {
    const y = i * laneH + 20;
    svg.append(el("text", { x: 0, y: y + 4, "font-size": 12, fill: "#5b6577" }, lane));
    svg.append(el("line", { x1: left, x2: width - 16, y1: y, y2: y, stroke: "#e3e6eb" }));
  });
  for (const m of marks) {
    const dot = el("circle", { cx: x(m.at), cy: LANES.indexOf(m.lane) * laneH + 20, r: 6, fill: COLOURS[m.tone], "data-lane": m.lane });
    dot.append(el("title", {}, `${new Date(m.at).toLocaleTimeString()} ${m.label}`));
    svg.append(dot);
  }
  svg.append(el("text", { x: left, y: height - 2, "font-size": 11, fill: "#5b6577" }, new Date(t0).toLocaleTimeString()));
  svg.append(el("text", { x: width - 16, y: height - 2, "font-size": 11, fill: "#5b6577", "text-anchor": "end" }, new Date(t1).toLocaleTimeString()));
  return svg;
}
