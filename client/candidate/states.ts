import type { CameraFailure, LivenessFailure } from "../../shared/candidate.js";

/** Everything the flow remembers between states. */
export interface FlowContext {
  candidateName: string;
  attemptsLeft: number;
  cameraFailure?: CameraFailure;
  livenessFailure?: LivenessFailure;
  linkError?: string;
  joinError?: string;
}

export type StateName =
  | "loading"
  | "link_error"
  | "consent"
  | "camera"
  | "camera_failed"
  | "face_check"
  | "check_failed"
  | "blocked"
  | "joining"
  | "join_failed"
  | "in_interview";

export interface FlowState {
  name: StateName;
  context: FlowContext;
}

export type FlowEvent =
  | { type: "LINK_OK"; candidateName: string; attemptsLeft: number }
  | { type: "LINK_ERROR"; message: string }
  | { type: "CONSENT" }
  | { type: "CAMERA_READY" }
  | { type: "ALREADY_VERIFIED" }
  | { type: "CAMERA_FAILED"; failure: CameraFailure }
  | { type: "CHECK_PASSED" }
  | { type: "CHECK_FAILED"; failure: LivenessFailure; attemptsLeft: number }
  | { type: "JOINED" }
  | { type: "JOIN_FAILED"; message: string }
  | { type: "RETRY" };

export const initialState: FlowState = { name: "loading", context: { candidateName: "", attemptsLeft: 0 } };
