import { describe, expect, it } from "vitest";
import { CameraOffClock, FaceWatch, FrameRateWatch } from "./monitor.js";

describe("FaceWatch", () => {
  it("records a face once, an absence after 3 s, and the return", () => {
    const w = new FaceWatch();
    expect(w.sample(0, 1)).toEqual([{ type: "face_present" }]);
    expect(w.sample(0.25, 1)).toEqual([]);
    expect(w.sample(1, 0)).toEqual([]);
    expect(w.sample(3, 0)).toEqual([]);
    expect(w.sample(3.5, 0)).toEqual([{ type: "face_absent", seconds: 3.3 }]);
    expect(w.sample(4, 0)).toEqual([]);
    expect(w.sample(6, 1)).toEqual([{ type: "face_present", afterSeconds: 5.8 }]);
  });

  it("records absence when no face was ever seen", () => {
    const w = new FaceWatch();
    expect(w.sample(0, 0)).toEqual([]);
    expect(w.sample(3, 0)).toEqual([{ type: "face_absent", seconds: 3 }]);
  });

  it("records multiple faces once per episode, not on a single glitchy sample", () => {
    const w = new FaceWatch();
    w.sample(0, 1);
    expect(w.sample(0.25, 2)).toEqual([]);
    expect(w.sample(0.5, 2)).toEqual([{ type: "multiple_faces", count: 2 }]);
    expect(w.sample(0.75, 2)).toEqual([]);
    w.sample(1, 1);
    w.sample(1.25, 3);
    expect(w.sample(1.5, 3)).toEqual([{ type: "multiple_faces", count: 3 }]);
  });
});

describe("CameraOffClock", () => {
  it("accrues total camera-off time across outages", () => {
    const c = new CameraOffClock();
    expect(c.off(10, "muted")).toEqual({ type: "camera_off", reason: "muted" });
    expect(c.off(11, "unpublished")).toBeUndefined();
    expect(c.totalAt(14)).toBe(4);
    expect(c.on(15)).toEqual({ type: "camera_on", offSeconds: 5, totalOffSeconds: 5 });
    expect(c.on(16)).toBeUndefined();
    c.off(20, "unpublished");
    expect(c.on(22.5)).toEqual({ type: "camera_on", offSeconds: 2.5, totalOffSeconds: 7.5 });
  });
});

describe("FrameRateWatch", () => {
  it("records a sustained fall below half the baseline, once", () => {
    const f = new FrameRateWatch();
    expect(f.sample(0, 30, 640, 480)).toBeUndefined();
    expect(f.sample(1, 12, 640, 480)).toBeUndefined();
    expect(f.sample(3, 10, 320, 240)).toBeUndefined();
    expect(f.sample(4, 10, 320, 240)).toEqual({ type: "video_degraded", fps: 10, baselineFps: 30, width: 320, height: 240 });
    expect(f.sample(5, 9, 320, 240)).toBeUndefined();
  });

  it("ignores a short dip", () => {
    const f = new FrameRateWatch();
    f.sample(0, 30, 640, 480);
    f.sample(1, 10, 640, 480);
    expect(f.sample(2, 29, 640, 480)).toBeUndefined();
    expect(f.sample(5, 10, 640, 480)).toBeUndefined();
  });
});
