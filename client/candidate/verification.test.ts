import { describe, expect, it, vi } from "vitest";
import { VERIFIER_TOPIC } from "../../shared/verification.js";
import { afterStatus, handleVerifierData, toOutcome, type VerificationView } from "./verification.js";

const bytes = (value: unknown) => new TextEncoder().encode(typeof value === "string" ? value : JSON.stringify(value));
const view = () => ({
  fit: vi.fn<VerificationView["fit"]>(),
  prompt: vi.fn<VerificationView["prompt"]>(),
  stepDone: vi.fn<VerificationView["stepDone"]>(),
  target: vi.fn<VerificationView["target"]>(),
  checking: vi.fn<VerificationView["checking"]>(),
  document: vi.fn<VerificationView["document"]>(),
});

describe("handleVerifierData", () => {
  it("shows a prompt synchronously", () => {
    const v = view();
    const payload = bytes({ type: "prompt", challengeId: "ch_1", index: 1, total: 3, step: "turn_left" });
    expect(handleVerifierData(payload, VERIFIER_TOPIC, "ch_1", v)).toBeUndefined();
    expect(v.prompt).toHaveBeenCalledWith("turn_left", 1, 3);
  });

  it("shows fit hints and done steps", () => {
    const v = view();
    handleVerifierData(bytes({ type: "fit", challengeId: "ch_1", hint: "noVideo" }), VERIFIER_TOPIC, "ch_1", v);
    handleVerifierData(bytes({ type: "step_done", challengeId: "ch_1", index: 0, total: 3 }), VERIFIER_TOPIC, "ch_1", v);
    expect(v.fit).toHaveBeenCalledWith("noVideo");
    expect(v.stepDone).toHaveBeenCalledWith(0, 3);
  });

  it("moves the follow target to each point as it arrives, and refuses a pose out of range", () => {
    const v = view();
    handleVerifierData(bytes({ type: "target", challengeId: "ch_1", index: 0, seq: 3, yaw: 12.5, pitch: -4 }), VERIFIER_TOPIC, "ch_1", v);
    handleVerifierData(bytes({ type: "target", challengeId: "ch_1", index: 0, seq: 4, yaw: 90, pitch: 0 }), VERIFIER_TOPIC, "ch_1", v);
    expect(v.target.mock.calls).toEqual([[12.5, -4]]);
  });

  it("says when the verifier asks for the document and when that step is over, for this check only", () => {
    const v = view();
    expect(handleVerifierData(bytes({ type: "document_prompt", challengeId: "ch_1", lookForMs: 20_000 }), VERIFIER_TOPIC, "ch_1", v)).toEqual({ type: "document_prompt", lookForMs: 20_000 });
    expect(handleVerifierData(bytes({ type: "document_done", challengeId: "ch_1", outcome: "read" }), VERIFIER_TOPIC, "ch_1", v)).toEqual({ type: "document_done" });
    expect(handleVerifierData(bytes({ type: "document_prompt", challengeId: "ch_2", lookForMs: 20_000 }), VERIFIER_TOPIC, "ch_1", v)).toBeUndefined();
    expect(handleVerifierData(bytes({ type: "document_prompt", challengeId: "ch_1", lookForMs: 20_000 }), "other-topic", "ch_1", v)).toBeUndefined();
  });

  it("says when the verifier has finished, whatever it claims the verdict is", () => {
    const v = view();
    const payload = bytes({ type: "finished", challengeId: "ch_1", passed: true });
    expect(handleVerifierData(payload, VERIFIER_TOPIC, "ch_1", v)).toBe("finished");
    expect(v.checking).toHaveBeenCalled();
  });

  it("ignores other topics, malformed payloads and other checks", () => {
    const v = view();
    const prompt = { type: "prompt", challengeId: "ch_1", index: 0, total: 3, step: "turn_right" };
    expect(handleVerifierData(bytes(prompt), "verify-kit.rechallenge", "ch_1", v)).toBeUndefined();
    expect(handleVerifierData(bytes(prompt), undefined, "ch_1", v)).toBeUndefined();
    expect(handleVerifierData(bytes(prompt), VERIFIER_TOPIC, "ch_2", v)).toBeUndefined();
    expect(handleVerifierData(bytes("{not json"), VERIFIER_TOPIC, "ch_1", v)).toBeUndefined();
    expect(handleVerifierData(bytes({ ...prompt, step: "center" }), VERIFIER_TOPIC, "ch_1", v)).toBeUndefined();
    expect(handleVerifierData(bytes({ type: "finished", challengeId: "ch_2", passed: true }), VERIFIER_TOPIC, "ch_1", v)).toBeUndefined();
    for (const fn of Object.values(v)) expect(fn).not.toHaveBeenCalled();
  });
});

describe("toOutcome", () => {
  it("waits while pending and passes the kit's verdict through", () => {
    expect(toOutcome({ state: "pending", phase: "running" })).toBeUndefined();
    expect(toOutcome({ state: "passed", reasons: [], attemptsLeft: 2 })).toEqual({ passed: true, attemptsLeft: 2 });
    expect(toOutcome({ state: "failed", failure: "VerifierUnavailable", reasons: [], attemptsLeft: 0, refunded: true })).toEqual({
      passed: false,
      failure: "VerifierUnavailable",
      attemptsLeft: 0,
      refunded: true,
    });
  });
});

describe("afterStatus", () => {
  const pass = { passed: true as const, attemptsLeft: 2 };
  const fail = { passed: false as const, failure: "NoFace" as const, attemptsLeft: 1, refunded: false };
  it("settles a pass at once when no document is asked for, and any failure", () => {
    expect(afterStatus(pass, false, false)).toBe("settle");
    expect(afterStatus(fail, false, false)).toBe("settle");
    expect(afterStatus(fail, true, false)).toBe("settle");
  });
  it("holds a pass for the document step when the ticket asks for one, once", () => {
    expect(afterStatus(pass, true, false)).toBe("document_step");
    expect(afterStatus(pass, true, true)).toBe("wait");
  });
  it("waits while the check is pending", () => {
    expect(afterStatus(undefined, false, false)).toBe("wait");
    expect(afterStatus(undefined, true, false)).toBe("wait");
  });
});
