import { describe, expect, it } from "vitest";
import { CameraError, cameraFailureFrom } from "./camera-errors.js";

const domError = (name: string) => Object.assign(new Error(name), { name });

describe("cameraFailureFrom", () => {
  it.each([
    ["NotAllowedError", "PermissionDenied"],
    ["PermissionDeniedError", "PermissionDenied"],
    ["SecurityError", "PermissionDenied"],
    ["NotFoundError", "NoCamera"],
    ["DevicesNotFoundError", "NoCamera"],
    ["OverconstrainedError", "NoCamera"],
    ["NotReadableError", "DeviceInUse"],
    ["TrackStartError", "DeviceInUse"],
    ["AbortError", "DeviceInUse"],
    ["TypeError", "Unsupported"],
  ])("maps %s to %s", (name, failure) => {
    expect(cameraFailureFrom(domError(name))).toBe(failure);
  });

  it("keeps the failure of a CameraError", () => {
    expect(cameraFailureFrom(new CameraError("DeviceInUse"))).toBe("DeviceInUse");
    // An error with no known name is "Other", not a missing camera.
    expect(cameraFailureFrom(new Error("boom"))).toBe("Other");
    expect(cameraFailureFrom({ name: "SomethingNew" })).toBe("Other");
  });
});
