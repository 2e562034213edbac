/**
 * Types of the kit's embeddable widget, `<script src="https://YOUR-KIT/embed.js">`.
 * Served at `/embed/verify-interview.d.ts`; save it beside your code (and
 * `verify-interview-react.d.ts` for React's JSX).
 *
 * Both elements create an `<iframe>` on the kit's origin, size it to
 * its content and re-emit what the page inside posts as DOM `CustomEvent`s on
 * the element. Events never bubble; listen on the element itself.
 */

/** Named camera failures (the candidate's browser refused or lacked a camera). */
export type CameraFailure = "PermissionDenied" | "NoCamera" | "DeviceInUse" | "VirtualCameraOnly" | "Unsupported" | "Other";

/** Named verification failures, decided by the kit's server-side verifier. */
export type VerificationFailure =
  | "NoVideo"
  | "NoFace"
  | "MultipleFaces"
  | "MovedBeforePrompt"
  | "TooSlow"
  | "WrongDirection"
  | "VerifierUnavailable";

/** A move the verifier asks for. */
export type VerificationStep = "turn_left" | "turn_right" | "move_closer";

/** `light`, `dark`, or `auto` (follows the candidate's system setting). */
export type VerifyTheme = "light" | "dark" | "auto";

/**
 * Text overrides for the candidate page: keys of the kit's strings table, values
 * plain text (one level of nesting, e.g. `{ camera: { NoCamera: "…" } }`).
 * Unknown keys are ignored with a console warning.
 */
export interface VerifyInterviewStrings {
  [key: string]: string | { [key: string]: string };
}

/** Every `detail` the candidate widget's events carry, by event name. */
export interface VerifyInterviewEventDetails {
  /** The link is valid and the consent screen shows. */
  ready: { attemptsLeft: number };
  /** The candidate agreed; the camera is being asked for. */
  consent: Record<string, never>;
  /** The camera could not be used, with its named failure. */
  "camera-failed": { failure: CameraFailure };
  /** A verification attempt started (counted against the link). */
  "verification-started": { totalSteps: number; attemptsLeft: number };
  /** The verifier prompted a move: `index` counts from 0 up to `total - 1`. */
  step: { index: number; total: number; step: VerificationStep };
  /**
   * The kit recorded a pass. `token` is a short-lived ES256 JWT: verify it on your
   * backend against `<kit>/.well-known/jwks.json` with your page's origin as audience.
   */
  verified: { token: string; expiresAt: string };
  /** The attempt failed; `attemptsLeft` is the kit's count. */
  "verification-failed": { failure: VerificationFailure; attemptsLeft: number };
  /** The candidate is in the interview room. */
  joined: Record<string, never>;
  /** The candidate left the interview room (`reason`: LiveKit's, e.g. `ROOM_DELETED` when the interviewer ended it). */
  ended: { reason: string };
  /** Anything that stopped the flow: `link_error`, `server_error`, `join_failed`, `attempts_exhausted`, `completion_failed`, `frame_blocked`, `bad_src`. */
  error: { code: string; message: string };
}

/** Every `detail` the interviewer widget's events carry, by event name. */
export interface VerifyInterviewRoomEventDetails {
  /** The interviewer page has loaded its interview. */
  ready: Record<string, never>;
  /** The interviewer joined the room. */
  joined: Record<string, never>;
  /** The interviewer left, or ended the interview for everyone (`reason` `ended`). */
  ended: { reason: string };
  /** `link_error`, `join_failed`, `frame_blocked`, `bad_src`. */
  error: { code: string; message: string };
}

export type VerifyInterviewEventMap = { [K in keyof VerifyInterviewEventDetails]: CustomEvent<VerifyInterviewEventDetails[K]> };
export type VerifyInterviewRoomEventMap = { [K in keyof VerifyInterviewRoomEventDetails]: CustomEvent<VerifyInterviewRoomEventDetails[K]> };

/**
 * `<verify-interview src="CANDIDATE_URL" theme="auto" lang="ko">`: the candidate's
 * verification. Theme variables come from CSS custom properties on the element:
 * `--verify-accent` (a colour), `--verify-radius` (0–40px or 0–2.5rem),
 * `--verify-font` (a font-family list). Invalid values are ignored with a warning.
 */
export interface VerifyInterviewElement extends HTMLElement {
  /** The candidate link from `POST /v1/interviews` (`candidateUrl`). Changing it reloads the frame. */
  src: string;
  /** Reflects the `theme` attribute. */
  theme: VerifyTheme;
  /** Text overrides, sent to the frame; set it as a property (it is not an attribute). */
  strings: VerifyInterviewStrings | undefined;
  addEventListener<K extends keyof VerifyInterviewEventMap>(
    type: K,
    listener: (this: VerifyInterviewElement, ev: VerifyInterviewEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof VerifyInterviewEventMap>(
    type: K,
    listener: (this: VerifyInterviewElement, ev: VerifyInterviewEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

/** `<verify-interview-room src="INTERVIEWER_URL" theme="dark">`: the interviewer's room and verification panel. */
export interface VerifyInterviewRoomElement extends HTMLElement {
  /** The interviewer link (`interviewerUrl`). Never put it in a page a candidate can open. */
  src: string;
  theme: VerifyTheme;
  addEventListener<K extends keyof VerifyInterviewRoomEventMap>(
    type: K,
    listener: (this: VerifyInterviewRoomElement, ev: VerifyInterviewRoomEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof VerifyInterviewRoomEventMap>(
    type: K,
    listener: (this: VerifyInterviewRoomElement, ev: VerifyInterviewRoomEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

declare global {
  interface HTMLElementTagNameMap {
    "verify-interview": VerifyInterviewElement;
    "verify-interview-room": VerifyInterviewRoomElement;
  }
}
