import { describe, expect, it } from "vitest";
import type { CompletionGrant } from "../../shared/embed.js";
import { PROMPT_EVENT, type VerificationTicket } from "../../shared/verification.js";
import { transition } from "../candidate/machine.js";
import { type FlowEvent, type FlowState, initialState } from "../candidate/states.js";
import { candidateEmbedEvents } from "./candidate-events.js";
import type { FrameBridge } from "./frame.js";

/**
 * A stand-in for the frame bridge (this is a unit test of the mapping; the real bridge and
 * postMessage run in test/e2e/embed.e2e.test.ts). Like the real one, it keeps the order of
 * emits even when a detail is still a promise.
 */
function fakeBridge(embedded = true) {
  const origin = embedded ? "https://hr.example.com" : undefined;
  const emitted: Array<{ name: string; detail: Record<string, unknown> }> = [];
  let chain = Promise.resolve();
  const bridge: FrameBridge = {
    origin,
    emit(name, detail = {}) {
      chain = chain.then(async () => {
        const d = await detail;
        if (d) emitted.push({ name, detail: d });
      });
    },
  };
  return { bridge, emitted, settled: () => chain };
}

const ticket: VerificationTicket = {
  challengeId: "ch_1",
  serverUrl: "ws://127.0.0.1:7880",
  token: "t",
  room: "verify-1",
  identity: "candidate-cs_1",
  totalSteps: 3,
  expiresAt: "2026-11-26T10:00:00.000Z",
  attemptsLeft: 2,
};

/** Drives the real candidate machine, reporting each change as the page does; returns where it stands. */
function driver(hooks: ReturnType<typeof candidateEmbedEvents>) {
  let state: FlowState = initialState;
  return (events: FlowEvent[]): FlowState => {
    for (const event of events) {
      const next = transition(state, event);
      if (next === state) continue;
      const previous = state;
      state = next;
      hooks.transition(previous, state, event);
    }
    return state;
  };
}

const LINK_OK: FlowEvent = { type: "LINK_OK", candidateName: "Ada", attemptsLeft: 3, allowFakeCamera: false };
const prompt = (target: EventTarget, index: number) =>
  target.dispatchEvent(Object.assign(new Event(PROMPT_EVENT), { detail: { step: "turn_left", index, total: 3 } }));

describe("the candidate flow as widget events", () => {
  it("a pass: ready, consent, started, each prompt as a step, verified with the kit's token for this origin, joined", async () => {
    const { bridge, emitted, settled } = fakeBridge();
    const prompts = new EventTarget();
    const audiences: string[] = [];
    let release!: (g: CompletionGrant) => void;
    const completion = (audience: string) => {
      audiences.push(audience);
      return new Promise<CompletionGrant>((r) => (release = r));
    };
    const hooks = candidateEmbedEvents(bridge, completion, prompts);
    const run = driver(hooks);
    run([LINK_OK, { type: "CONSENT" }, { type: "SESSION_STARTED", verified: false }, { type: "CAMERA_READY" }]);
    hooks.verificationStarted(ticket);
    for (const i of [0, 1, 2]) prompt(prompts, i);
    const end = run([{ type: "CHECK_PASSED" }, { type: "JOINED" }]);
    expect(end.name).toBe("in_interview");
    // `joined` waits for the token the kit is still signing.
    await new Promise((r) => setTimeout(r, 10));
    expect(emitted.map((e) => e.name)).toEqual(["ready", "consent", "verification-started", "step", "step", "step"]);
    release({ token: "header.payload.signature", expiresAt: "2026-11-26T10:10:00.000Z" });
    await settled();
    expect(emitted.map((e) => e.name)).toEqual(["ready", "consent", "verification-started", "step", "step", "step", "verified", "joined"]);
    expect(audiences).toEqual(["https://hr.example.com"]);
    expect(emitted.find((e) => e.name === "verified")!.detail).toEqual({ token: "header.payload.signature", expiresAt: "2026-11-26T10:10:00.000Z" });
    expect(emitted.filter((e) => e.name === "step").map((e) => e.detail)).toEqual([0, 1, 2].map((index) => ({ index, total: 3, step: "turn_left" })));
    expect(emitted[0]!.detail).toEqual({ attemptsLeft: 3 });
    expect(emitted[2]!.detail).toEqual({ totalSteps: 3, attemptsLeft: 2 });
  });

  it("failures: a refused camera, a failed attempt, no attempts left; a prompt outside the check is no step", async () => {
    const { bridge, emitted, settled } = fakeBridge();
    const prompts = new EventTarget();
    const hooks = candidateEmbedEvents(bridge, () => Promise.reject(new Error("never asked")), prompts);
    driver(hooks)(
      [
        LINK_OK,
        { type: "CONSENT" },
        { type: "CAMERA_FAILED", failure: "PermissionDenied" },
        { type: "RETRY" },
        { type: "CAMERA_READY" },
        { type: "CHECK_FAILED", failure: "TooSlow", attemptsLeft: 1, refunded: false },
        { type: "RETRY" },
        { type: "ATTEMPTS_EXHAUSTED" },
      ],
    );
    prompt(prompts, 0);
    await settled();
    expect(emitted).toEqual([
      { name: "ready", detail: { attemptsLeft: 3 } },
      { name: "consent", detail: {} },
      { name: "camera-failed", detail: { failure: "PermissionDenied" } },
      { name: "verification-failed", detail: { failure: "TooSlow", attemptsLeft: 1 } },
      { name: "error", detail: { code: "attempts_exhausted", message: "No verification attempts are left on this link" } },
    ]);
  });

  it("a token the kit would not sign is an error, never a verified event", async () => {
    const { bridge, emitted, settled } = fakeBridge();
    const hooks = candidateEmbedEvents(bridge, () => Promise.reject(new Error("403 verification_required")), new EventTarget());
    // A reloaded page whose session had passed goes straight to joining.
    driver(hooks)([LINK_OK, { type: "CONSENT" }, { type: "SESSION_STARTED", verified: true }, { type: "CAMERA_READY" }, { type: "JOINED" }]);
    await settled();
    expect(emitted.map((e) => e.name)).toEqual(["ready", "consent", "error", "joined"]);
    expect(emitted[2]!.detail.code).toBe("completion_failed");
  });

  it("a retried join after a failure does not ask for a second token", async () => {
    const { bridge, emitted, settled } = fakeBridge();
    let asked = 0;
    const hooks = candidateEmbedEvents(bridge, async () => ({ token: `t${++asked}`, expiresAt: "2026-11-26T10:10:00.000Z" }), new EventTarget());
    driver(hooks)(
      [LINK_OK, { type: "CONSENT" }, { type: "CAMERA_READY" }, { type: "CHECK_PASSED" }, { type: "JOIN_FAILED", message: "down" }, { type: "RETRY" }, { type: "JOINED" }],
    );
    await settled();
    expect(asked).toBe(1);
    expect(emitted.map((e) => e.name)).toEqual(["ready", "consent", "verified", "error", "joined"]);
  });

  it("posts nothing, and asks for no token, when no allowed origin embeds the page", async () => {
    const { bridge, emitted, settled } = fakeBridge(false);
    let asked = 0;
    const hooks = candidateEmbedEvents(bridge, async () => ((asked++), { token: "t", expiresAt: "x" }), new EventTarget());
    driver(hooks)([LINK_OK, { type: "CONSENT" }, { type: "CAMERA_READY" }, { type: "CHECK_PASSED" }, { type: "JOINED" }]);
    await settled();
    expect(emitted).toEqual([]);
    expect(asked).toBe(0);
  });
});
