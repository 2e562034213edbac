import { describe, expect, it } from "vitest";
import { transition } from "./machine.js";
import { type FlowEvent, type FlowState, initialState } from "./states.js";

const at = (name: FlowState["name"], context: Partial<FlowState["context"]> = {}): FlowState => ({
  name,
  context: { candidateName: "Ada", attemptsLeft: 3, allowFakeCamera: false, alreadyVerified: false, ...context },
});
const run = (events: FlowEvent[], from = initialState) => events.reduce(transition, from);

describe("candidate flow", () => {
  it("walks consent → camera → face check → joining → in interview", () => {
    const end = run([
      { type: "LINK_OK", candidateName: "Ada", attemptsLeft: 3, allowFakeCamera: false, faceTemplateDays: 30 },
      { type: "CONSENT" },
      { type: "SESSION_STARTED", verified: false },
      { type: "CAMERA_READY" },
      { type: "CHECK_PASSED" },
      { type: "JOINED" },
    ]);
    expect(end.name).toBe("in_interview");
    expect(end.context).toMatchObject({ candidateName: "Ada", allowFakeCamera: false, faceTemplateDays: 30, alreadyVerified: false });
  });

  it("shows a link error for an unknown or expired link", () => {
    const s = transition(initialState, { type: "LINK_ERROR", message: "expired" });
    expect(s).toMatchObject({ name: "link_error", context: { linkError: "expired" } });
  });

  it("goes from camera straight to joining when the session already passed", () => {
    const resumed = transition(at("camera"), { type: "SESSION_STARTED", verified: true });
    expect(resumed).toMatchObject({ name: "camera", context: { alreadyVerified: true } });
    expect(transition(resumed, { type: "CAMERA_READY" }).name).toBe("joining");
    // A fresh session checks; and from consent nothing moves: the camera is still required.
    expect(transition(transition(at("camera"), { type: "SESSION_STARTED", verified: false }), { type: "CAMERA_READY" }).name).toBe("face_check");
    expect(transition(at("consent"), { type: "SESSION_STARTED", verified: true }).name).toBe("consent");
  });

  it("keeps the link's settings in the context", () => {
    const s = transition(initialState, { type: "LINK_OK", candidateName: "Ada", attemptsLeft: 2, allowFakeCamera: true, faceTemplateDays: 7 });
    expect(s).toMatchObject({ name: "consent", context: { allowFakeCamera: true, faceTemplateDays: 7, attemptsLeft: 2 } });
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
    const failed = transition(at("face_check"), { type: "CHECK_FAILED", failure: "NoFace", attemptsLeft: 2, refunded: false });
    expect(failed).toMatchObject({ name: "check_failed", context: { livenessFailure: "NoFace", attemptsLeft: 2 } });
    expect(transition(failed, { type: "RETRY" }).name).toBe("face_check");
  });

  it("blocks when the last attempt fails", () => {
    const s = transition(at("face_check"), { type: "CHECK_FAILED", failure: "MultipleFaces", attemptsLeft: 0, refunded: false });
    expect(s).toMatchObject({ name: "blocked", context: { livenessFailure: "MultipleFaces", attemptsLeft: 0 } });
    expect(transition(s, { type: "RETRY" }).name).toBe("blocked");
  });

  it("offers a retry after a lost verifier even with no attempts counted left", () => {
    const s = transition(at("face_check"), { type: "CHECK_FAILED", failure: "VerifierUnavailable", attemptsLeft: 0, refunded: true });
    expect(s).toMatchObject({ name: "check_failed", context: { livenessFailure: "VerifierUnavailable", refunded: true } });
    const retried = transition(s, { type: "RETRY" });
    expect(retried.name).toBe("face_check");
    // The refund covers one retry only; the next counted failure blocks.
    expect(retried.context.refunded).toBeUndefined();
    expect(transition(retried, { type: "CHECK_FAILED", failure: "TooSlow", attemptsLeft: 0, refunded: false }).name).toBe("blocked");
  });

  it("refuses a retry from check_failed with no attempts left and nothing refunded", () => {
    expect(transition(at("check_failed", { attemptsLeft: 0 }), { type: "RETRY" }).name).toBe("check_failed");
  });

  it("blocks when the kit says no attempts are left", () => {
    const s = transition(at("face_check"), { type: "ATTEMPTS_EXHAUSTED" });
    expect(s).toMatchObject({ name: "blocked", context: { attemptsLeft: 0 } });
  });

  it("offers a retry when a check is already running for the session", () => {
    const busy = transition(at("face_check"), { type: "CHECK_BUSY" });
    expect(busy).toMatchObject({ name: "check_busy", context: { attemptsLeft: 3 } });
    expect(transition(busy, { type: "RETRY" }).name).toBe("face_check");
  });

  it("clears the last failure once a check passes", () => {
    const s = transition(at("face_check", { livenessFailure: "NoFace", refunded: true }), { type: "CHECK_PASSED" });
    expect(s).toMatchObject({ name: "joining", context: { livenessFailure: undefined, refunded: undefined } });
  });

  it("moves to camera_failed if the camera dies during the check", () => {
    expect(transition(at("face_check"), { type: "CAMERA_FAILED", failure: "DeviceInUse" }).name).toBe(
      "camera_failed",
    );
  });

  it("lets a failed join retry", () => {
    const failed = transition(at("joining"), { type: "JOIN_FAILED", message: "offline" });
    expect(failed).toMatchObject({ name: "join_failed", context: { joinError: "offline" } });
    expect(transition(failed, { type: "RETRY" }).name).toBe("joining");
  });
});

/** One example of every event type. */
const EVENTS: FlowEvent[] = [
  { type: "LINK_OK", candidateName: "Ada", attemptsLeft: 3, allowFakeCamera: false },
  { type: "LINK_ERROR", message: "expired" },
  { type: "CONSENT" },
  { type: "SESSION_STARTED", verified: true },
  { type: "CAMERA_READY" },
  { type: "CAMERA_FAILED", failure: "NoCamera" },
  { type: "CHECK_PASSED" },
  { type: "CHECK_FAILED", failure: "TooSlow", attemptsLeft: 2, refunded: false },
  { type: "CHECK_BUSY" },
  { type: "ATTEMPTS_EXHAUSTED" },
  { type: "JOINED" },
  { type: "JOIN_FAILED", message: "offline" },
  { type: "RETRY" },
  { type: "SERVER_ERROR", message: "network" },
];

/** Every transition of the flow (with 3 attempts left); any pair not listed must leave the state unchanged. */
const EXPECTED: Record<FlowState["name"], Partial<Record<FlowEvent["type"], FlowState["name"]>>> = {
  loading: { LINK_OK: "consent", LINK_ERROR: "link_error" },
  link_error: {},
  consent: { CONSENT: "camera" },
  camera: {
    // Stays in camera, remembering whether the session already passed.
    SESSION_STARTED: "camera",
    CAMERA_READY: "face_check",
    CAMERA_FAILED: "camera_failed",
    SERVER_ERROR: "server_error",
    LINK_ERROR: "link_error",
  },
  server_error: { RETRY: "camera" },
  camera_failed: { RETRY: "camera" },
  face_check: {
    CHECK_PASSED: "joining",
    CHECK_FAILED: "check_failed",
    CHECK_BUSY: "check_busy",
    ATTEMPTS_EXHAUSTED: "blocked",
    CAMERA_FAILED: "camera_failed",
    LINK_ERROR: "link_error",
  },
  check_failed: { RETRY: "face_check" },
  check_busy: { RETRY: "face_check" },
  blocked: {},
  joining: { JOINED: "in_interview", JOIN_FAILED: "join_failed" },
  join_failed: { RETRY: "joining" },
  in_interview: {},
};

describe("transition table", () => {
  for (const [name, moves] of Object.entries(EXPECTED) as [FlowState["name"], (typeof EXPECTED)[FlowState["name"]]][]) {
    it(`${name}: accepts exactly its listed events`, () => {
      for (const event of EVENTS) {
        const from = at(name);
        const next = transition(from, event);
        expect([event.type, next.name]).toEqual([event.type, moves[event.type] ?? name]);
        if (!moves[event.type]) expect(next).toBe(from);
      }
    });
  }
});
