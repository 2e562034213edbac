import type { Room } from "livekit-client";
import type { CompletionGrant } from "../../shared/embed.js";
import { PROMPT_EVENT, type PromptStep, type VerificationTicket } from "../../shared/verification.js";
import type { FlowEvent, FlowState } from "../candidate/states.js";
import type { FrameBridge } from "./frame.js";
import { emitEndedWhenLeft } from "./room-events.js";

export interface CandidateEmbedEvents {
  /** Call after every state change of the candidate flow. */
  transition(from: FlowState, to: FlowState, event: FlowEvent): void;
  /** The kit issued a verification ticket: an attempt has started. */
  verificationStarted(ticket: VerificationTicket): void;
  /** The candidate is in the interview room; `ended` follows when the room disconnects. */
  watchRoom(room: Room): void;
}

/**
 * Turns the candidate flow into the widget's events. The `verified` event's
 * token is minted by the kit for this session's recorded pass and this page's
 * embedder (`completion`), never made up here; `joined` waits for it.
 */
export function candidateEmbedEvents(
  bridge: FrameBridge,
  completion: (audience: string) => Promise<CompletionGrant>,
  /** Where the page announces prompts ({@link PROMPT_EVENT}); `window` in the page. */
  prompts: EventTarget = window,
): CandidateEmbedEvents {
  let checking = false;
  let minted = false;
  // Verifier prompts; the interviewer's re-checks during the interview use the same page event and are not steps.
  prompts.addEventListener(PROMPT_EVENT, (e) => {
    const detail = (e as CustomEvent<{ step: PromptStep; index: number; total: number }>).detail;
    if (checking) bridge.emit("step", { index: detail.index, total: detail.total, step: detail.step });
  });

  /** Asks the kit for the token; `verified` carries it, or an `error` takes its place in the sequence. */
  const askForToken = () => {
    const outcome = completion(bridge.origin!).then(
      (grant) => ({ verified: { token: grant.token, expiresAt: grant.expiresAt } }),
      (err: unknown) => ({ error: { code: "completion_failed", message: `The kit did not sign the pass: ${(err as Error).message}` } }),
    );
    bridge.emit("verified", outcome.then((o) => ("verified" in o ? o.verified : undefined)));
    bridge.emit("error", outcome.then((o) => ("error" in o ? o.error : undefined)));
  };

  return {
    transition(_from, to, event) {
      if (!bridge.origin) return;
      checking = to.name === "face_check";
      const ctx = to.context;
      if (event.type === "LINK_OK") bridge.emit("ready", { attemptsLeft: ctx.attemptsLeft });
      else if (event.type === "CONSENT") bridge.emit("consent");
      else if (to.name === "camera_failed" && ctx.cameraFailure) bridge.emit("camera-failed", { failure: ctx.cameraFailure });
      else if (event.type === "CHECK_FAILED") bridge.emit("verification-failed", { failure: event.failure, attemptsLeft: event.attemptsLeft });
      else if (event.type === "ATTEMPTS_EXHAUSTED") {
        bridge.emit("error", { code: "attempts_exhausted", message: "No verification attempts are left on this link" });
      } else if (to.name === "joining" && !minted) {
        minted = true;
        askForToken();
      } else if (to.name === "in_interview") bridge.emit("joined");
      else if (to.name === "link_error") bridge.emit("error", { code: "link_error", message: ctx.linkError ?? "" });
      else if (to.name === "server_error") bridge.emit("error", { code: "server_error", message: ctx.serverError ?? "" });
      else if (to.name === "join_failed") bridge.emit("error", { code: "join_failed", message: ctx.joinError ?? "" });
    },
    verificationStarted(ticket) {
      bridge.emit("verification-started", { totalSteps: ticket.totalSteps, attemptsLeft: ticket.attemptsLeft });
    },
    watchRoom(room) {
      emitEndedWhenLeft(bridge, room);
    },
  };
}
