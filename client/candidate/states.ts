import type { CameraFailure } from "../../shared/candidate.js";
import type { VerificationFailure } from "../../shared/verification.js";

/** Everything the flow remembers between states. */
export interface FlowContext {
  candidateName: string;
  attemptsLeft: number;
  /** A test configuration tolerates its own fake cameras (still reported); from the kit's view of the link. */
  allowFakeCamera: boolean;
  /** Days a face template is kept, for the consent screen; from the kit's view of the link. */
  faceTemplateDays?: number;
  /** Whether an identity document is asked for after the check; from the kit's view of the link. */
  document?: "off" | "optional" | "required";
  /** The session already has a recorded pass (a reloaded page): the camera is needed, the check is not repeated. */
  alreadyVerified: boolean;
  cameraFailure?: CameraFailure;
  livenessFailure?: VerificationFailure;
  /** The last failed check was not counted (the verifier was lost), so a retry is offered regardless of attempts left. */
  refunded?: boolean;
  linkError?: string;
  joinError?: string;
  serverError?: string;
}

/** The states of the candidate flow; `body[data-state]` shows the current one. */
export type StateName =
  | "loading"
  | "link_error"
  | "consent"
  | "camera"
  | "camera_failed"
  | "face_check"
  | "check_failed"
  | "check_busy"
  | "blocked"
  | "joining"
  | "join_failed"
  | "server_error"
  | "in_interview";

/** One state of the candidate flow with its context. */
export interface FlowState {
  name: StateName;
  context: FlowContext;
}

/** Everything that moves the flow: the server's answers, the camera, the verifier's verdict, the candidate's clicks. */
export type FlowEvent =
  | { type: "LINK_OK"; candidateName: string; attemptsLeft: number; allowFakeCamera: boolean; faceTemplateDays?: number; document?: "off" | "optional" | "required" }
  | { type: "LINK_ERROR"; message: string }
  | { type: "CONSENT" }
  /** The session was started (or resumed) with the kit; `verified` when it already has a pass. */
  | { type: "SESSION_STARTED"; verified: boolean }
  | { type: "CAMERA_READY" }
  | { type: "CAMERA_FAILED"; failure: CameraFailure }
  | { type: "CHECK_PASSED" }
  | { type: "CHECK_FAILED"; failure: VerificationFailure; attemptsLeft: number; refunded: boolean }
  /** Another check is already running for this session (another tab, or one not yet ended). */
  | { type: "CHECK_BUSY" }
  | { type: "ATTEMPTS_EXHAUSTED" }
  | { type: "JOINED" }
  | { type: "JOIN_FAILED"; message: string }
  | { type: "RETRY" }
  /** The kit could not be reached or refused a call during the camera step: not a camera failure. */
  | { type: "SERVER_ERROR"; message: string };

/** Before the link has been checked. */
export const initialState: FlowState = {
  name: "loading",
  context: { candidateName: "", attemptsLeft: 0, allowFakeCamera: false, alreadyVerified: false },
};
