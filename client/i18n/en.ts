import type { CameraFailure } from "../../shared/candidate.js";
import type { FitHint as GuidanceHint } from "../candidate/trace.js";
import type { FitHint, PromptStep, VerificationFailure } from "../../shared/verification.js";

/**
 * Every candidate-facing text, in English: the reference every other language translates, and the
 * fallback. Embedders override single entries with `applyStringOverrides` (see `./overrides.ts`).
 */
export const en = {
  title: "Identity check before your interview",
  loading: "Loading…",
  consentHeading: "Before you join",
  consentBody:
    "This interview needs your camera. We check that one real person is in front of it before you join, and we record the time, your network address and browser details for the interviewer, with a code made from your device's characteristics that shows whether one device is used under several names. Nothing is shared with anyone else.",
  /** Shown under the consent text: what the face template is, why it is kept, and for how long. */
  consentFaceTemplate: (days: number) =>
    `When you pass the check, we keep a face template (a list of numbers computed from your face, not a photo) for ${days} day${days === 1 ? "" : "s"}, then delete it. It is used only to confirm that the person in the interview, and in any later interview round, is the person who passed this check.`,
  consentDocument: "If the interviewer asks for it, you will then hold an identity document up to the camera. The kit reads its machine-readable zone (name, nationality, dates of birth and expiry) and compares its photo with your face; it keeps those fields and one picture of the document with the interview, and the document number only as a code that cannot be turned back into it.",
  consentAccept: "I agree, turn on my camera",
  cameraRequesting: "Waiting for camera permission…",
  chooseCamera: "Camera",
  retry: "Try again",
  checkHeading: "Look at the camera",
  checkIntro: "Fit your face in the oval. Then follow a few short moves — it takes a few seconds.",
  /** Browser-side guidance before the verification starts (the page's own detector; advisory only). */
  guidance: {
    noFace: "We can't see a face. Move into the frame and face the camera.",
    multipleFaces: "Only one person should be in view.",
    moveCloser: "Move closer",
    moveBack: "Move back a little",
    centre: "Centre your face in the oval",
    faceCamera: "Face the camera",
    hold: "Hold still…",
  } satisfies Record<GuidanceHint, string>,
  /** The verifier's guidance while it waits for a steady single face before the first instruction. */
  fit: {
    noVideo: "Waiting for your camera video to reach the check…",
    noFace: "We can't see a face. Move into the frame and face the camera.",
    multipleFaces: "Only one person should be in view.",
    faceCamera: "Look straight at the camera",
    hold: "Hold still…",
  } satisfies Record<FitHint, string>,
  /** Above the instruction while the moves run: the move's number and how many there are. */
  stepOf: (i: number, n: number) => `Step ${i} of ${n}`,
  /** Instructions, from the candidate's own point of view: "left" is the candidate's left. */
  steps: {
    turn_left: "Turn your head to your left",
    turn_right: "Turn your head to your right",
    move_closer: "Move closer to the camera",
    follow: "Follow the target with your nose, smoothly, until it stops",
  } satisfies Record<PromptStep, string>,
  waitNext: "Face the camera and wait for the next instruction",
  /** Text alternative of the moving target, in words: where it is from the candidate's point of view. */
  target: {
    left: "to your left",
    right: "to your right",
    up: "up",
    down: "down",
  },
  /** The target's place in words: `h` and `v` are from `target` (either may be empty). */
  targetWhere: (h: string, v: string) => `Target: ${h}${h && v ? ", " : ""}${v}${!h && !v ? "centre" : ""}`,
  connectingVerifier: "Connecting to the verifier…",
  verifying: "Checking…",
  /** After the check, when the interview asks for an identity document. */
  documentHeading: "Show your identity document",
  documentPrompt: "Hold your passport photo page or ID card up to the camera, close enough to fill most of the picture, and keep it still for a few seconds.",
  documentSkip: "I don't have one with me",
  checkBusy: "A check is already running for this link, perhaps in another tab or window. Close it, wait a moment, then try again.",
  /** The joining banner reads "<verifiedHeading> — <verifiedBody>". */
  verifiedHeading: "You're verified",
  verifiedBody: "Joining the interview room…",
  inInterview: "You're in the interview",
  waitingForInterviewer: "Waiting for the interviewer to join…",
  /** Followed by a space and one of `steps`. */
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
  serverError: "We couldn't reach the verification service. Your camera is fine; check your connection and try again.",
  camera: {
    PermissionDenied:
      "Camera access was blocked. Allow the camera for this site in your browser's address bar, then try again. The interviewer will see that the camera was refused.",
    NoCamera: "We couldn't find a camera. Connect a webcam and try again.",
    DeviceInUse: "Your camera is being used by another app. Close apps like Zoom or Teams, then try again.",
    VirtualCameraOnly: "Only a virtual camera was found. Please use a real webcam.",
    Unsupported: "This browser can't use a camera here. Use a recent Chrome, Edge, Firefox or Safari.",
    Other: "Your camera could not be started. Close other apps that may use it and try again, or try another browser.",
  } satisfies Record<CameraFailure, string>,
  liveness: {
    NoVideo: "Your camera video didn't reach the check. Keep this page open and in front, check your connection, and try again.",
    NoFace: "We couldn't see your face clearly. Face the camera in good light.",
    MultipleFaces: "More than one face was in view. Make sure you're alone in the frame.",
    MovedBeforePrompt: "You moved before an instruction appeared. Keep looking at the camera and move only when asked.",
    TooSlow: "We didn't see the move in time. Start each move as soon as its instruction appears and hold it for a moment.",
    WrongDirection: "You turned the other way. Left and right are your own left and right.",
    VerifierUnavailable: "The check couldn't be completed on our side. This attempt wasn't counted — please try again.",
    NotFollowing: "Your head didn't follow the target. Keep your face in view and move your head so your nose stays on the target, without hurrying ahead of it.",
    Discontinuous: "The video jumped between frames instead of moving smoothly. Use your own camera, not a recording, and try again.",
    FlatFace: "The face moved like a flat picture, not a head. Show your own face to the camera, not a photo or a screen.",
  } satisfies Record<VerificationFailure, string>,
};

/**
 * The shape every language must fill: each key, each nested record, each function with the same
 * parameters. A translation declared `: Strings` that misses a key or changes a shape does not compile.
 */
export type Strings = typeof en;
