import type { CameraFailure, LivenessFailure } from "../../shared/candidate.js";

/** Every candidate-facing text. Embedders override any entry with `setStrings`. */
export const defaultStrings = {
  title: "Identity check before your interview",
  loading: "Loading…",
  consentHeading: "Before you join",
  consentBody:
    "This interview needs your camera. We check that one real person is in front of it before you join, and we record the time, your network address and browser details for the interviewer. Nothing is shared with anyone else.",
  consentAccept: "I agree, turn on my camera",
  cameraRequesting: "Waiting for camera permission…",
  chooseCamera: "Camera",
  retry: "Try again",
  checkHeading: "Look at the camera",
  checkIntro: "Fit your face in the oval. Then follow a few short moves — it takes a few seconds.",
  hintNoFace: "We can't see a face. Move into the frame and face the camera.",
  hintMultipleFaces: "Only one person should be in view.",
  hintMoveCloser: "Move closer",
  hintMoveBack: "Move back a little",
  hintCentre: "Centre your face in the oval",
  hintFaceCamera: "Face the camera",
  hintHold: "Hold still…",
  stepOf: (i: number, n: number) => `Step ${i} of ${n}`,
  steps: {
    turn_left: "Slowly turn your head to your left",
    turn_right: "Slowly turn your head to your right",
    move_closer: "Move closer to the camera",
    center: "Now look straight at the camera again",
  },
  hintLoadingModel: "Starting the face check…",
  verifying: "Checking…",
  verifiedHeading: "You're verified",
  verifiedBody: "Joining the interview room…",
  inInterview: "You're in the interview",
  waitingForInterviewer: "Waiting for the interviewer to join…",
  rechallenge: "Your interviewer asks for a quick check:",
  mute: "Mute",
  unmute: "Unmute",
  stopCamera: "Turn camera off",
  startCamera: "Turn camera on",
  failedHeading: "We couldn't verify you",
  blockedHeading: "No attempts left",
  blockedBody: "You have used all verification attempts. Please contact your interviewer.",
  attemptsLeft: (n: number) => `${n} attempt${n === 1 ? "" : "s"} left.`,
  linkErrorHeading: "This link can't be used",
  joinFailed: "We couldn't connect you to the interview room. Check your connection and try again.",
  camera: {
    PermissionDenied:
      "Camera access was blocked. Allow the camera for this site in your browser's address bar, then try again. The interviewer will see that the camera was refused.",
    NoCamera: "We couldn't find a camera. Connect a webcam and try again.",
    DeviceInUse: "Your camera is being used by another app. Close apps like Zoom or Teams, then try again.",
    VirtualCameraOnly: "Only a virtual camera was found. Please use a real webcam.",
    LowFrameRate: "Your camera is too slow for the check. Close other apps using it, or try another camera.",
    ModelLoadTimeout: "The face check could not start. Check your connection and try again.",
    Unsupported: "This browser can't use a camera here. Use a recent Chrome, Edge, Firefox or Safari.",
  } satisfies Record<CameraFailure, string>,
  liveness: {
    NoFace: "We couldn't see your face clearly. Face the camera in good light.",
    MultipleFaces: "More than one face was in view. Make sure you're alone in the frame.",
    TooFewFrames: "The check ended too soon. Keep the page open and try again.",
    Timeout: "The check took too long. Try again.",
    WrongDirection: "You turned the other way. Follow each instruction as it appears.",
    StepNotCompleted: "We didn't see the move we asked for. Follow each instruction as it appears.",
    AlreadyInPose: "Start each move from looking straight at the camera.",
    EvidenceRejected: "Something went wrong with the check. Try again.",
  } satisfies Record<LivenessFailure, string>,
};

export type Strings = typeof defaultStrings;
type DeepPartial<T> = { [K in keyof T]?: T[K] extends (...a: never[]) => unknown ? T[K] : T[K] extends object ? DeepPartial<T[K]> : T[K] };

let current: Strings = defaultStrings;

/** Overrides some or all strings, for translation or an embedder's tone of voice. */
export function setStrings(overrides: DeepPartial<Strings>): void {
  current = {
    ...current,
    ...overrides,
    camera: { ...current.camera, ...overrides.camera },
    liveness: { ...current.liveness, ...overrides.liveness },
    steps: { ...current.steps, ...overrides.steps },
  } as Strings;
}

/** The strings in effect. */
export function strings(): Strings {
  return current;
}
