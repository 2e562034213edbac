import { Room, RoomEvent, Track } from "livekit-client";
import {
  type FitHint,
  type PromptStep,
  type VerificationFailure,
  type VerificationStatus,
  type VerificationTicket,
  VERIFIER_TOPIC,
  VerifierMessage,
} from "../../shared/verification.js";
import { ApiError } from "../api/http.js";
import { CAMERA_SIZE, DOCUMENT_CAMERA_SIZE } from "../camera/camera.js";
import { connectOptions } from "../room/connect.js";
import type { CandidateApi } from "./api.js";

/** What the page shows while the verifier works; every call must update the screen synchronously. */
export interface VerificationView {
  fit(hint: FitHint): void;
  prompt(step: PromptStep, index: number, total: number): void;
  stepDone(index: number, total: number): void;
  /** The follow target's pose now, degrees (yaw + = the candidate's left, pitch + = up). */
  target(yaw: number, pitch: number): void;
  checking(): void;
  /** After a pass: hold an identity document up to the camera; `skip` ends the step (the kit records no document). */
  document(skip: () => void): void;
}

/** The verdict as the kit recorded it. `attemptsLeft` comes from the server and is authoritative. */
export type VerificationOutcome =
  | { passed: true; attemptsLeft: number }
  | { passed: false; failure: VerificationFailure; attemptsLeft: number; refunded: boolean };

/** A running verification: its outcome, and a way to abandon it. */
export interface RunningVerification {
  /** Settles once the kit has a verdict; rejects only for a link that can no longer be used. */
  outcome: Promise<VerificationOutcome>;
  /** Leaves the verification room and stops polling. The camera track is never stopped. */
  stop(): void;
}

export interface VerificationOptions {
  ticket: VerificationTicket;
  /** The page's camera track; it outlives the verification room and is reused for the interview. */
  track: MediaStreamTrack;
  api: CandidateApi;
  view: VerificationView;
  pollMs?: number;
}

/** Codes that end the flow as a link error rather than a failed check. */
const LINK_ERRORS = new Set(["link_expired", "not_found"]);
/** How long past the ticket's expiry the page waits for a verdict it cannot read before giving up. */
const VERDICT_GRACE_MS = 30_000;
/** After a pass, how long the page waits for the document prompt, and past its look-for time for the step's end. */
const DOCUMENT_WAIT_MS = 10_000;

/**
 * Publishes the camera into the verification room, shows the verifier's
 * prompts the moment they arrive, and reads the verdict from the kit. The
 * `finished` message only triggers a read; the verdict itself always comes
 * from the kit, which is also polled in case the verifier dies.
 */
export function startVerification(options: VerificationOptions): RunningVerification {
  const { ticket, track, api, view, pollMs = 1000 } = options;
  // Publish-only: no subscriptions to adapt, and the verifier must get the one full-resolution layer at once.
  const room = new Room({ adaptiveStream: false, dynacast: false, stopLocalTrackOnUnpublish: false });
  const decoder = new TextDecoder();
  // The expiry is on the kit's clock; the floor keeps a fast client clock from giving up early.
  const deadline = performance.now() + Math.max(Date.parse(ticket.expiresAt) - Date.now(), 60_000) + VERDICT_GRACE_MS;
  let settled = false;
  let polling = false;
  let pollAgain = false;
  let timer: ReturnType<typeof setInterval> | undefined;
  let resolve!: (o: VerificationOutcome) => void;
  let reject!: (err: unknown) => void;
  const outcome = new Promise<VerificationOutcome>((res, rej) => {
    resolve = res;
    reject = rej;
  });

  // The document step after a pass: the outcome is held until the verifier says the step is over.
  let passed: VerificationOutcome | undefined;
  let documentTimer: ReturnType<typeof setTimeout> | undefined;
  const endDocumentStep = () => {
    clearTimeout(documentTimer);
    // Back to the interview's size; the same track goes on into the interview room.
    void track.applyConstraints(CAMERA_SIZE).catch(() => {});
    if (passed) settle(passed);
  };
  const awaitDocument = (waitMs: number) => {
    clearTimeout(documentTimer);
    documentTimer = setTimeout(endDocumentStep, waitMs);
  };

  const stop = () => {
    settled = true;
    clearInterval(timer);
    clearTimeout(documentTimer);
    // `false`: the camera track belongs to the page, not to this room.
    void room.disconnect(false).catch(() => {});
  };
  const settle = (o: VerificationOutcome) => {
    if (settled) return;
    stop();
    resolve(o);
  };

  const poll = async (): Promise<void> => {
    if (settled) return;
    // A read already in flight may have left before the verifier finished: read once more after it.
    if (polling) {
      pollAgain = true;
      return;
    }
    polling = true;
    pollAgain = false;
    try {
      const status = await api.livenessStatus(ticket.challengeId);
      const o = toOutcome(status);
      const next = afterStatus(o, ticket.document !== undefined, passed !== undefined);
      if (next === "document_step") {
        // Passed: the verifier now asks for the document in this room; polling has nothing more to read.
        passed = o;
        clearInterval(timer);
        awaitDocument(DOCUMENT_WAIT_MS);
      } else if (next === "settle" && o) settle(o);
    } catch (err) {
      if (err instanceof ApiError && LINK_ERRORS.has(err.code) && !settled) {
        stop();
        reject(err);
      }
    } finally {
      polling = false;
    }
    // The kit is unreachable or never decided: offer a retry and let the kit count attempts when asked again.
    if (!settled && performance.now() > deadline) {
      settle({ passed: false, failure: "VerifierUnavailable", attemptsLeft: ticket.attemptsLeft, refunded: true });
    }
    if (pollAgain) return poll();
  };

  room.on(RoomEvent.DataReceived, (payload: Uint8Array, _p?: unknown, _k?: unknown, topic?: string) => {
    if (settled) return;
    const said = handleVerifierData(payload, topic, ticket.challengeId, view, decoder);
    if (said === "finished") void poll();
    else if (said?.type === "document_prompt") {
      void track.applyConstraints(DOCUMENT_CAMERA_SIZE).catch(() => {});
      view.document(endDocumentStep);
      awaitDocument(said.lookForMs + DOCUMENT_WAIT_MS);
    } else if (said?.type === "document_done") endDocumentStep();
  });

  timer = setInterval(() => void poll(), pollMs);
  void publish(room, ticket, track, () => settled).catch(() => {
    // Without video the verifier fails the check as NoVideo; the kit's verdict still ends it.
  });
  return { outcome, stop };
}

/** Connects and publishes the camera, trying once more after a second: a blip should not cost an attempt. */
async function publish(room: Room, ticket: VerificationTicket, track: MediaStreamTrack, stopped: () => boolean): Promise<void> {
  for (let attempt = 0; !stopped(); attempt++) {
    try {
      await room.connect(ticket.serverUrl, ticket.token, connectOptions(ticket.serverUrl));
      if (!stopped()) await room.localParticipant.publishTrack(track, {
          source: Track.Source.Camera,
          simulcast: false,
          // The verifier analyses at most 15 frames a second; sending more only costs it decoding.
          videoEncoding: { maxBitrate: 1_200_000, maxFramerate: 15 },
          // The verifier measures landmarks: on a busy laptop, drop frames, never pixels.
          degradationPreference: "maintain-resolution",
        });
      // Stopped while connecting: leave what `stop` could not yet close.
      if (stopped()) await room.disconnect(false);
      return;
    } catch (err) {
      await room.disconnect(false).catch(() => {});
      if (attempt >= 1 || stopped()) throw err;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

/**
 * Shows one data message from the verification room, synchronously. Anything
 * not on the verifier's topic, malformed, or for another check is ignored.
 * Says `finished` when the verifier has decided, so the verdict can be read.
 */
export function handleVerifierData(
  payload: Uint8Array,
  topic: string | undefined,
  challengeId: string,
  view: VerificationView,
  decoder = new TextDecoder(),
): "finished" | { type: "document_prompt"; lookForMs: number } | { type: "document_done" } | undefined {
  if (topic !== VERIFIER_TOPIC) return undefined;
  let message: VerifierMessage;
  try {
    const parsed = VerifierMessage.safeParse(JSON.parse(decoder.decode(payload)));
    if (!parsed.success) return undefined;
    message = parsed.data;
  } catch {
    return undefined;
  }
  if (message.challengeId !== challengeId) return undefined;
  switch (message.type) {
    case "fit":
      view.fit(message.hint);
      return undefined;
    case "prompt":
      view.prompt(message.step, message.index, message.total);
      return undefined;
    case "step_done":
      view.stepDone(message.index, message.total);
      return undefined;
    case "target":
      view.target(message.yaw, message.pitch);
      return undefined;
    case "finished":
      view.checking();
      return "finished";
    case "document_prompt":
      return { type: "document_prompt", lookForMs: message.lookForMs };
    case "document_done":
      return { type: "document_done" };
  }
}

/**
 * What the page does with a status it read: keep waiting (pending, or a pass whose document step is
 * under way), start the document step (a first pass when the ticket asks for a document), or settle.
 */
export function afterStatus(o: VerificationOutcome | undefined, expectsDocument: boolean, documentStepStarted: boolean): "wait" | "document_step" | "settle" {
  if (!o) return "wait";
  if (!o.passed) return "settle";
  if (!expectsDocument) return "settle";
  return documentStepStarted ? "wait" : "document_step";
}

/** The outcome of a recorded status, or nothing while the check is pending. */
export function toOutcome(status: VerificationStatus): VerificationOutcome | undefined {
  switch (status.state) {
    case "pending":
      return undefined;
    case "passed":
      return { passed: true, attemptsLeft: status.attemptsLeft };
    case "failed":
      return { passed: false, failure: status.failure, attemptsLeft: status.attemptsLeft, refunded: status.refunded };
  }
}
