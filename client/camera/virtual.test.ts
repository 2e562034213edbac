import { describe, expect, it } from "vitest";
import { mediaFunctionsAreNative, suspectLabel } from "./virtual.js";

describe("suspectLabel", () => {
  it.each(["OBS Virtual Camera", "ManyCam Virtual Webcam", "Snap Camera", "XSplit VCam", "mmhmm", "CamTwist", "DroidCam Source 3", "Iriun Webcam", "Some Virtual Device"])(
    "flags %s",
    (label) => {
      expect(suspectLabel(label)?.kind).toBe("virtual_label");
    },
  );

  it("flags Chromium's file-backed fake camera separately", () => {
    expect(suspectLabel("/tmp/fixtures/face.mjpeg")?.kind).toBe("fake_file");
    expect(suspectLabel("fake_device_0")?.kind).toBe("fake_file");
  });

  it("leaves real webcams alone", () => {
    for (const label of ["FaceTime HD Camera", "Integrated Camera (04f2:b604)", "Logitech BRIO", "HD Pro Webcam C920"]) {
      expect(suspectLabel(label)).toBeUndefined();
    }
  });
});

describe("mediaFunctionsAreNative", () => {
  it("accepts native functions and spots replaced ones", () => {
    const native = { getUserMedia: Math.max, enumerateDevices: Math.min } as unknown as MediaDevices;
    expect(mediaFunctionsAreNative(native)).toBe(true);
    const patched = { getUserMedia: async () => ({}), enumerateDevices: Math.min } as unknown as MediaDevices;
    expect(mediaFunctionsAreNative(patched)).toBe(false);
    expect(mediaFunctionsAreNative(undefined)).toBe(false);
  });
});
