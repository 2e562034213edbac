import { describe, expect, it } from "vitest";
import { transition } from "./machine.js";
import { type FlowEvent, type FlowState, initialState } from "./states.js";

const at = (name: FlowState["name"], context: Partial<FlowState["context"]> = {}): FlowState => ({
  name,
  context: { candidateName: "Ada", attemptsLeft: 3, ...context },
});
const run = (events: FlowEvent[], from = initialState) => events.reduce(transition, from);

describe("candidate flow", () => {
  it("walks consent → camera → face check → joining → in interview", () => {
    const end = run([
      { type: "LINK_OK", candidateName: "Ada", attemptsLeft: 3 },
      { type: "CONSENT" },
      { type: "CAMERA_READY" },
      { type: "CHECK_PASSED" },
      { type: "JOINED" },
    ]);
    expect(end.name).toBe("in_interview");
    expect(end.context.candidateName).toBe("Ada");
  });

  it("shows a link error for an unknown or expired link", () => {
    const s = transition(initialState, { type: "LINK_ERROR", message: "expired" });
    expect(s).toMatchObject({ name: "link_error", context: { linkError: "expired" } });
  });

  it("goes from camera straight to joining when the session already passed", () => {
    expect(transition(at("camera"), { type: "ALREADY_VERIFIED" }).name).toBe("joining");
    // Not from consent: the camera is still required.
    expect(transition(at("consent"), { type: "ALREADY_VERIFIED" }).name).toBe("consent");
  });

  it("cannot skip consent", () => {
    expect(transition(at("consent"), { type: "CAMERA_READY" }).name).toBe("consent");
    expect(transition(at("consent"), { type: "CHECK_PASSED" }).name).toBe("consent");
  });

  it("names the camera failure and allows a retry", () => {
    const failed = transition(at("camera"), { type: "CAMERA_FAILED", failure: "PermissionDenied" });
    expect(failed).toMatchObject({ name: "camera_failed", context: { cameraFailure: "PermissionDenied" } });
    expect(transition(failed, { type: "RETRY" }).name).toBe("camera");
  });

  it("does not retry a browser that cannot use a camera at all", () => {
    const failed = transition(at("camera"), { type: "CAMERA_FAILED", failure: "Unsupported" });
    expect(transition(failed, { type: "RETRY" }).name).toBe("camera_failed");
  });

  it("cannot reach the room from a camera failure", () => {
    const failed = at("camera_failed", { cameraFailure: "NoCamera" });
    expect(transition(failed, { type: "CHECK_PASSED" }).name).toBe("camera_failed");
    expect(transition(failed, { type: "JOINED" }).name).toBe("camera_failed");
  });

  it("lets a failed check retry while attempts remain", () => {
    const failed = transition(at("face_check"), { type: "CHECK_FAILED", failure: "NoFace", attemptsLeft: 2 });
    expect(failed).toMatchObject({ name: "check_failed", context: { livenessFailure: "NoFace", attemptsLeft: 2 } });
    expect(transition(failed, { type: "RETRY" }).name).toBe("face_check");
  });

  it("blocks when the last attempt fails", () => {
    const s = transition(at("face_check"), { type: "CHECK_FAILED", failure: "MultipleFaces", attemptsLeft: 0 });
    expect(s.name).toBe("blocked");
    expect(transition(s, { type: "RETRY" }).name).toBe("blocked");
  });

  it("moves to camera_failed if the camera dies during the check", () => {
    expect(transition(at("face_check"), { type: "CAMERA_FAILED", failure: "ModelLoadTimeout" }).name).toBe(
      "camera_failed",
    );
  });

  it("lets a failed join retry", () => {
    const failed = transition(at("joining"), { type: "JOIN_FAILED", message: "offline" });
    expect(failed).toMatchObject({ name: "join_failed", context: { joinError: "offline" } });
    expect(transition(failed, { type: "RETRY" }).name).toBe("joining");
  });
});
