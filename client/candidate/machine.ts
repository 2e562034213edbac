import { cameraRetryable, canRetryCheck, skipsCheck } from "./guards.js";
import type { FlowEvent, FlowState, StateName } from "./states.js";

type Handler<E extends FlowEvent["type"]> = (
  state: FlowState,
  event: Extract<FlowEvent, { type: E }>,
) => FlowState | undefined;
type Table = { [S in StateName]?: { [E in FlowEvent["type"]]?: Handler<E> } };

const go = (name: StateName, state: FlowState, patch: Partial<FlowState["context"]> = {}): FlowState => ({
  name,
  context: { ...state.context, ...patch },
});

/**
 * The candidate flow: consent → camera → face check → join. Each state lists
 * the events it accepts; anything else leaves the state unchanged.
 */
const TABLE: Table = {
  loading: {
    LINK_OK: (s, e) =>
      go("consent", s, {
        candidateName: e.candidateName,
        attemptsLeft: e.attemptsLeft,
        allowFakeCamera: e.allowFakeCamera,
        faceTemplateDays: e.faceTemplateDays,
        document: e.document,
      }),
    LINK_ERROR: (s, e) => go("link_error", s, { linkError: e.message }),
  },
  consent: { CONSENT: (s) => go("camera", s) },
  camera: {
    SESSION_STARTED: (s, e) => go("camera", s, { alreadyVerified: e.verified }),
    // A reloaded page whose session already passed: the camera is still required, the check is not repeated.
    CAMERA_READY: (s) => go(skipsCheck(s.context) ? "joining" : "face_check", s, { cameraFailure: undefined }),
    CAMERA_FAILED: (s, e) => go("camera_failed", s, { cameraFailure: e.failure }),
    SERVER_ERROR: (s, e) => go("server_error", s, { serverError: e.message }),
    LINK_ERROR: (s, e) => go("link_error", s, { linkError: e.message }),
  },
  server_error: { RETRY: (s) => go("camera", s, { serverError: undefined }) },
  camera_failed: { RETRY: (s) => (cameraRetryable(s.context) ? go("camera", s) : undefined) },
  face_check: {
    CHECK_PASSED: (s) => go("joining", s, { livenessFailure: undefined, refunded: undefined }),
    CHECK_FAILED: (s, e) => {
      const next = go("check_failed", s, { livenessFailure: e.failure, attemptsLeft: e.attemptsLeft, refunded: e.refunded });
      return canRetryCheck(next.context) ? next : go("blocked", next);
    },
    CHECK_BUSY: (s) => go("check_busy", s),
    ATTEMPTS_EXHAUSTED: (s) => go("blocked", s, { attemptsLeft: 0, refunded: undefined }),
    CAMERA_FAILED: (s, e) => go("camera_failed", s, { cameraFailure: e.failure }),
    LINK_ERROR: (s, e) => go("link_error", s, { linkError: e.message }),
  },
  check_failed: { RETRY: (s) => (canRetryCheck(s.context) ? go("face_check", s, { refunded: undefined }) : undefined) },
  check_busy: { RETRY: (s) => go("face_check", s) },
  joining: {
    JOINED: (s) => go("in_interview", s),
    JOIN_FAILED: (s, e) => go("join_failed", s, { joinError: e.message }),
  },
  join_failed: { RETRY: (s) => go("joining", s, { joinError: undefined }) },
};

/** The one transition function: the next state, or the same state when the event does not apply. */
export function transition(state: FlowState, event: FlowEvent): FlowState {
  const handler = TABLE[state.name]?.[event.type] as Handler<typeof event.type> | undefined;
  return handler?.(state, event as never) ?? state;
}
