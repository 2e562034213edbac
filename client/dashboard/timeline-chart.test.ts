import { describe, expect, it } from "vitest";
import type { InterviewEvent } from "../../shared/interview.js";
import { timelineMarks } from "./timeline-chart.js";

let id = 0;
const ev = (type: InterviewEvent["type"], sec: number, extra: Partial<InterviewEvent> = {}): InterviewEvent => ({
  id: ++id,
  type,
  at: new Date(Date.UTC(2026, 0, 1, 0, 0, sec)).toISOString(),
  actor: "candidate",
  ip: null,
  userAgent: null,
  data: {},
  ...extra,
}) as InterviewEvent;

describe("timelineMarks", () => {
  it("puts camera, face and network events on their lanes", () => {
    const marks = timelineMarks([
      ev("camera_granted", 1),
      ev("liveness_passed", 2),
      ev("camera_off", 10, { actor: "interviewer" }),
      ev("face_absent", 12, { actor: "interviewer" }),
      ev("link_opened", 0, { ip: "1.96.0.1" }),
    ]);
    expect(marks.map((m) => [m.lane, m.label])).toEqual([
      ["Camera", "camera on"],
      ["Face", "liveness passed"],
      ["Camera", "camera off"],
      ["Face", "no face"],
      ["Network", "link opened"],
    ]);
  });

  it("marks an IP change and red flags on the Flags lane", () => {
    const marks = timelineMarks([
      ev("link_opened", 0, { ip: "1.96.0.1" }),
      ev("link_opened", 5, { ip: "1.48.0.1" }),
      ev("camera_refused", 6),
    ]);
    const flags = marks.filter((m) => m.lane === "Flags").map((m) => m.label);
    expect(flags).toEqual(["new IP 1.48.0.1", "camera refused"]);
  });
});
