import { describe, expect, it } from "vitest";
import { MonitorTracker, type TrackerOutput } from "./tracker.js";

const SETTINGS = { matchThreshold: 0.55, mismatchMs: 3_000, absentMs: 3_000, noVideoMs: 20_000 };
const types = (out: TrackerOutput[]) => out.map((o) => o.event.type);

/** A tracker with the camera on since t=0 and frames arriving at 15 fps up to `until`. */
function watching(until = 0) {
  const tr = new MonitorTracker(SETTINGS);
  tr.candidateJoined(0);
  tr.videoStarted(0);
  for (let t = 0; t <= until; t += 1000 / 15) tr.frame(t, 640, 480);
  return tr;
}

describe("MonitorTracker", () => {
  it("flags a candidate who joins and publishes no camera, once, after noVideoMs", () => {
    const tr = new MonitorTracker(SETTINGS);
    tr.candidateJoined(1_000);
    expect(types(tr.tick(20_000))).toEqual([]);
    const out = tr.tick(21_000);
    expect(out.map((o) => o.event)).toEqual([{ type: "no_video", seconds: 20 }]);
    expect(tr.tick(40_000)).toEqual([]);
  });

  it("does not flag no_video when the camera arrives in time", () => {
    const tr = new MonitorTracker(SETTINGS);
    tr.candidateJoined(0);
    tr.videoStarted(5_000);
    expect(types(tr.tick(25_000))).not.toContain("no_video");
  });

  it("records camera off and on with the off time accrued over several gaps", () => {
    const tr = watching();
    expect(tr.videoOff(10_000, "muted").map((o) => o.event)).toEqual([{ type: "camera_off", reason: "muted" }]);
    expect(tr.videoStarted(14_000).map((o) => o.event)).toEqual([{ type: "camera_on", offSeconds: 4, totalOffSeconds: 4 }]);
    tr.videoOff(20_000, "unpublished");
    expect(tr.videoStarted(22_500).map((o) => o.event)).toEqual([{ type: "camera_on", offSeconds: 2.5, totalOffSeconds: 6.5 }]);
  });

  it("raises face_absent only after absentMs without a face, then face_present", () => {
    const tr = watching(10_000);
    expect(types(tr.faces(1_000, 0))).toEqual([]);
    expect(types(tr.faces(3_500, 0))).toEqual([]);
    expect(tr.faces(4_000, 0).map((o) => o.event)).toEqual([{ type: "face_absent", seconds: 3 }]);
    expect(types(tr.faces(4_500, 0))).toEqual([]);
    expect(tr.faces(6_000, 1).map((o) => o.event)).toEqual([{ type: "face_present", afterSeconds: 5 }]);
  });

  it("does not raise face_absent while the camera is off", () => {
    const tr = watching();
    tr.faces(1_000, 0);
    tr.videoOff(1_500, "muted");
    expect(types(tr.tick(10_000))).not.toContain("face_absent");
  });

  it("needs two samples with several faces, and reports each episode once", () => {
    const tr = watching(10_000);
    expect(types(tr.faces(500, 2))).toEqual([]);
    expect(tr.faces(1_000, 2).map((o) => o.event)).toEqual([{ type: "multiple_faces", count: 2 }]);
    expect(types(tr.faces(1_500, 3))).toEqual([]);
    tr.faces(2_000, 1);
    tr.faces(2_500, 1);
    tr.faces(3_000, 2);
    expect(types(tr.faces(3_500, 2))).toEqual(["multiple_faces"]);
  });

  it("raises face_mismatch after mismatchMs of low similarity, with the values and a snapshot request", () => {
    const tr = watching();
    expect(tr.similarity(0, 0.8)).toEqual([]);
    expect(tr.similarity(1_000, 0.2)).toEqual([]);
    expect(tr.similarity(2_000, 0.25)).toEqual([]);
    expect(tr.similarity(3_000, 0.3)).toEqual([]);
    const out = tr.similarity(4_000, 0.21);
    expect(out).toEqual([
      { event: { type: "face_mismatch", similarities: [0.2, 0.25, 0.3, 0.21], threshold: 0.55, seconds: 3 }, wantsSnapshot: true },
    ]);
    expect(tr.similarity(5_000, 0.2)).toEqual([]);
  });

  it("forgives a single low comparison among matches", () => {
    const tr = watching();
    for (let t = 0; t < 20_000; t += 1_000) expect(tr.similarity(t, t % 5_000 === 0 ? 0.3 : 0.8)).toEqual([]);
  });

  it("restores the match after two good comparisons following a mismatch", () => {
    const tr = watching();
    for (let t = 0; t <= 4_000; t += 1_000) tr.similarity(t, 0.2);
    expect(tr.similarity(5_000, 0.8)).toEqual([]);
    expect(tr.similarity(6_000, 0.81).map((o) => o.event)).toEqual([{ type: "face_match_restored", similarity: 0.81, threshold: 0.55 }]);
  });

  it("reports degraded video when the frame rate falls to under half its best for 5 s", () => {
    const tr = watching(4_000);
    expect(types(tr.tick(4_000))).toEqual([]);
    let out: TrackerOutput[] = [];
    for (let t = 4_000; t <= 12_000; t += 250) {
      tr.frame(t, 320, 240);
      out = [...out, ...tr.tick(t)];
    }
    expect(out.map((o) => o.event)).toEqual([{ type: "video_degraded", fps: 4, width: 320, height: 240 }]);
  });
});
