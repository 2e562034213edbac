import { describe, expect, it } from "vitest";
import { deviceFingerprint, type ReportedDevice } from "./fingerprint.js";

const KEY = "k".repeat(32);
const device: ReportedDevice = {
  userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0",
  timeZone: "Asia/Seoul",
  languages: ["ko-KR", "en-US"],
  traits: { platform: "Win32", screen: { width: 1920, height: 1080, pixelRatio: 1 }, webglRenderer: "ANGLE (NVIDIA GeForce RTX 3060)", hardwareConcurrency: 12 },
  camera: { label: "HD Webcam", width: 640, height: 480 },
};

describe("deviceFingerprint", () => {
  it("is the same for the same reported machine and keyed", () => {
    const a = deviceFingerprint(KEY, device);
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(deviceFingerprint(KEY, structuredClone(device))).toBe(a);
    expect(deviceFingerprint("j".repeat(32), device)).not.toBe(a);
  });

  it("changes with any one characteristic", () => {
    const a = deviceFingerprint(KEY, device);
    const variants: ReportedDevice[] = [
      { ...device, userAgent: device.userAgent + " Edg/131.0" },
      { ...device, timeZone: "Asia/Tokyo" },
      { ...device, languages: ["ko-KR"] },
      { ...device, traits: { ...device.traits, screen: { width: 2560, height: 1440, pixelRatio: 1 } } },
      { ...device, traits: { ...device.traits, webglRenderer: "ANGLE (Intel UHD 620)" } },
      { ...device, camera: { label: "Logitech C920", width: 640, height: 480 } },
    ];
    for (const v of variants) expect(deviceFingerprint(KEY, v)).not.toBe(a);
  });
});
