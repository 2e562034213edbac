import "../ui/styles.css";
import type { Room } from "livekit-client";
import { FACE_MODEL_URL_PATH, wasmUrlPath } from "../../shared/paths.js";
import { ApiError } from "../api/http.js";
import {
  CameraError,
  cameraFailureFrom,
  listCameras,
  mediaFunctionsAreNative,
  openCamera,
  rememberCamera,
  stopStream,
  suspectLabel,
} from "../camera/index.js";
import { candidateEmbedEvents, startFrameBridge } from "../embed/index.js";
import { type FaceDetector, loadMediaPipeDetector } from "../face/index.js";
import { strings } from "../i18n/index.js";
import { collectEnvironment } from "../signals/index.js";
import { h, mount } from "../ui/dom.js";
import { CandidateApi } from "./api.js";
import { showChecking, showConnecting, showDocumentStep, showFit, showGuidance, showPrompt, showStepDone, showTarget } from "./check-view.js";
import { guideFit } from "./fit-guidance.js";
import { transition } from "./machine.js";
import { startLanguage } from "./language.js";
import { joinInterviewRoom, roomControls } from "./room.js";
import { type FlowEvent, type FlowState, initialState } from "./states.js";
import { type RunningVerification, startVerification } from "./verification.js";

const token = location.pathname.split("/").filter(Boolean).at(-1) ?? "";
// Test configurations fix the step order with a seed; production servers refuse it.
const testSeed = new URLSearchParams(location.search).get("testSeed") ?? undefined;
const api = new CandidateApi(token);
// Inside the widget (embed.js): the host's theme and text before the first render, the flow's events to the host.
// Text changes redraw through the page's language setup, which leaves a running face check alone.
const embed = candidateEmbedEvents(startFrameBridge(), (audience) => api.completionToken(audience));
const panel = document.getElementById("panel")!;
const stage = document.getElementById("stage")!;
const video = document.getElementById("camera") as HTMLVideoElement;
const hintEl = document.getElementById("hint")!;
const oval = document.getElementById("oval")!;

let state: FlowState = initialState;
let stream: MediaStream | undefined;
let detector: FaceDetector | undefined;
let detectorLoading = false;
let verification: RunningVerification | undefined;
let room: Room | undefined;
let sessionStarted = false;

function send(event: FlowEvent): void {
  const next = transition(state, event);
  if (next === state) return;
  // Whatever ends the check also leaves its room; the camera stays open for the interview.
  if (state.name === "face_check") {
    verification?.stop();
    verification = undefined;
  }
  const previous = state;
  state = next;
  document.body.dataset.state = state.name;
  render();
  embed.transition(previous, state, event);
  void enter(state);
}

const linkMessage = (err: unknown) => (err instanceof ApiError ? err.message : strings.linkErrorHeading);

/** Side effects on entering a state. */
async function enter(s: FlowState): Promise<void> {
  try {
    if (s.name === "camera") await startCamera();
    else if (s.name === "face_check") await faceCheck();
    else if (s.name === "joining") await join();
  } catch (err) {
    if (state !== s) return;
    if (err instanceof ApiError && ["link_expired", "not_found"].includes(err.code)) {
      send({ type: "LINK_ERROR", message: err.message });
    } else if (s.name === "camera" && err instanceof ApiError) {
      // The camera worked (or was never reached); the kit did not answer. Not a camera failure for the interviewer.
      send({ type: "SERVER_ERROR", message: err.message });
    } else if (s.name === "joining") {
      send({ type: "JOIN_FAILED", message: err instanceof Error ? err.message : String(err) });
    } else if (s.name === "face_check" && err instanceof ApiError) {
      if (err.code === "attempts_exhausted") send({ type: "ATTEMPTS_EXHAUSTED" });
      else if (err.code === "challenge_open") send({ type: "CHECK_BUSY" });
      // The check could not start (the kit could not dispatch a verifier, or could not be reached):
      // the kit refunds a start it could not run, and refuses the retry itself if none is left.
      else send({ type: "CHECK_FAILED", failure: "VerifierUnavailable", attemptsLeft: s.context.attemptsLeft, refunded: true });
    } else {
      cameraFailed(err);
    }
  }
}

function cameraFailed(err: unknown): void {
  const failure = cameraFailureFrom(err);
  void api.reportCamera({ status: "failed", failure, detail: String((err as Error)?.message ?? err).slice(0, 500) }).catch(() => {});
  stopStream(stream);
  stream = undefined;
  send({ type: "CAMERA_FAILED", failure });
}

async function startCamera(): Promise<void> {
  if (!sessionStarted) {
    send({ type: "SESSION_STARTED", verified: (await api.startSession()).verified });
    sessionStarted = true;
    // Evidence for the interviewer; a failure here must never block the candidate.
    void collectEnvironment()
      .then((report) => api.reportEnvironment(report))
      .catch(() => {});
  }
  await openCheckedCamera();
  if (!state.context.alreadyVerified) loadDetector();
  send({ type: "CAMERA_READY" });
}

/**
 * Opens the camera, reports it with any suspicions, and refuses a virtual one.
 * A test configuration also tolerates its file-backed fake camera and the
 * test-only player that replaces getUserMedia; both are still reported.
 */
async function openCheckedCamera(deviceId?: string): Promise<void> {
  stream = await openCamera(deviceId);
  performance.mark("verify-kit:camera-granted");
  video.srcObject = stream;
  await video.play().catch(() => {});
  const track = stream.getVideoTracks()[0];
  const settings = track?.getSettings() ?? {};
  const label = track?.label.slice(0, 300) ?? "";
  const suspicions = [];
  const labelSuspicion = suspectLabel(label);
  if (labelSuspicion) suspicions.push(labelSuspicion);
  if (!mediaFunctionsAreNative(navigator.mediaDevices)) suspicions.push({ kind: "patched_media_functions" as const });
  await api.reportCamera({
    status: "granted",
    label,
    width: settings.width,
    height: settings.height,
    ...(suspicions.length ? { suspicions } : {}),
  });
  const tolerated = (kind: string) => state.context.allowFakeCamera && (kind === "fake_file" || kind === "patched_media_functions");
  if (suspicions.some((s) => !tolerated(s.kind))) {
    const others = (await listCameras().catch(() => [])).filter((c) => c.deviceId !== settings.deviceId && !suspectLabel(c.label));
    throw new CameraError(
      "VirtualCameraOnly",
      others.length ? "choose a real camera" : `virtual camera: ${suspicions.map((s) => s.kind).join(", ")}`,
    );
  }
  if (settings.deviceId) rememberCamera(settings.deviceId);
}

/** Loads the guidance detector in the background; without it the check simply runs without browser hints. */
function loadDetector(): void {
  if (detector || detectorLoading) return;
  detectorLoading = true;
  loadMediaPipeDetector({ wasmPath: wasmUrlPath(__TASKS_VISION_VERSION__), modelPath: FACE_MODEL_URL_PATH, timeoutMs: 30_000 })
    .then((d) => (detector = d))
    .catch(() => {})
    .finally(() => (detectorLoading = false));
}

async function faceCheck(): Promise<void> {
  const entered = state;
  const current = () => state === entered;
  void renderDevicePicker(stream?.getVideoTracks()[0]?.getSettings().deviceId);
  await guideFit({ video, detector: () => detector, onHint: (hint) => current() && showGuidance(hint) });
  if (!current()) return;
  // From here the published track must stay the same one: no switching cameras mid-check.
  document.getElementById("device-picker")?.remove();
  const track = stream?.getVideoTracks()[0];
  if (!track || track.readyState !== "live") throw new CameraError("NoCamera", "the camera stopped before the check");
  showConnecting();
  const ticket = await api.startLiveness(testSeed);
  if (!current()) return;
  embed.verificationStarted(ticket);
  verification = startVerification({
    ticket,
    track,
    api,
    view: { fit: showFit, prompt: showPrompt, stepDone: showStepDone, target: showTarget, checking: showChecking, document: showDocumentStep },
  });
  const outcome = await verification.outcome;
  if (!current()) return;
  if (outcome.passed) send({ type: "CHECK_PASSED" });
  else send({ type: "CHECK_FAILED", failure: outcome.failure, attemptsLeft: outcome.attemptsLeft, refunded: outcome.refunded });
}

async function join(): Promise<void> {
  room = await joinInterviewRoom(await api.join(), stream, api, panel);
  embed.watchRoom(room);
  send({ type: "JOINED" });
}

/** Lets the candidate switch cameras before the check starts; the new camera is checked like the first. */
async function renderDevicePicker(current?: string): Promise<void> {
  const cameras = await listCameras().catch(() => []);
  const holder = document.getElementById("device-picker");
  if (!holder || cameras.length < 2) return;
  const select = h("select", {
    id: "camera-select",
    onchange: () => {
      stopStream(stream);
      void openCheckedCamera(select.value).catch(cameraFailed);
    },
  });
  for (const cam of cameras) {
    const opt = h("option", { value: cam.deviceId }, cam.label || cam.deviceId.slice(0, 8));
    if (cam.deviceId === current) opt.selected = true;
    select.append(opt);
  }
  mount(holder, h("label", { for: "camera-select" }, strings.chooseCamera), select);
}

function render(): void {
  const s = strings;
  const ctx = state.context;
  stage.hidden = !["camera", "face_check", "check_failed", "check_busy", "joining"].includes(state.name);
  if (state.name !== "face_check") {
    document.getElementById("document-skip")?.remove();
    hintEl.textContent = "";
    oval.classList.remove("good");
  }
  oval.hidden = state.name === "in_interview";
  document.getElementById("subtitle")!.textContent = ctx.candidateName ? `${ctx.candidateName}` : "";
  const failureBanner = () =>
    h("div", { class: "banner error", id: "liveness-failure", "data-failure": ctx.livenessFailure ?? "" }, s.liveness[ctx.livenessFailure ?? "NoFace"]);
  const retry = () => h("button", { id: "retry", onclick: () => send({ type: "RETRY" }) }, s.retry);
  switch (state.name) {
    case "loading":
      return mount(panel, h("p", { class: "muted" }, s.loading));
    case "link_error":
      return mount(panel, h("h2", {}, s.linkErrorHeading), h("div", { class: "banner error" }, ctx.linkError ?? ""));
    case "consent":
      return mount(
        panel,
        h("h2", {}, s.consentHeading),
        h("p", {}, s.consentBody),
        ...(state.context.faceTemplateDays
          ? [h("p", { id: "consent-template", class: "muted" }, s.consentFaceTemplate(state.context.faceTemplateDays))]
          : []),
        ...(state.context.document && state.context.document !== "off" ? [h("p", { id: "consent-document", class: "muted" }, s.consentDocument)] : []),
        h("div", { class: "actions" }, h("button", { id: "consent", onclick: () => send({ type: "CONSENT" }) }, s.consentAccept)),
      );
    case "camera":
      return mount(panel, h("p", { class: "muted" }, s.cameraRequesting));
    case "camera_failed":
      return mount(
        panel,
        h("div", { class: "banner error", id: "camera-failure", "data-failure": ctx.cameraFailure ?? "" }, s.camera[ctx.cameraFailure ?? "NoCamera"]),
        ctx.cameraFailure !== "Unsupported" && h("div", { class: "actions" }, retry()),
      );
    case "face_check":
      return mount(
        panel,
        h("p", { class: "muted", id: "step-label" }, s.checkIntro),
        h("h2", { id: "instruction", "aria-live": "assertive", "data-phase": "guidance" }, s.checkHeading),
        h("div", { class: "progress" }, h("div", { id: "progress-bar", style: "width:0%" })),
        h("div", { id: "device-picker" }),
      );
    case "check_failed":
      return mount(
        panel,
        h("h2", {}, s.failedHeading),
        failureBanner(),
        // A refunded attempt may be retried with none left on the count; "0 attempts left" would contradict the button.
        !(ctx.refunded && ctx.attemptsLeft === 0) && h("p", { class: "muted", id: "attempts-left" }, s.attemptsLeft(ctx.attemptsLeft)),
        h("div", { class: "actions" }, retry()),
      );
    case "check_busy":
      return mount(panel, h("div", { class: "banner warn", id: "check-busy" }, s.checkBusy), h("div", { class: "actions" }, retry()));
    case "blocked":
      stopStream(stream);
      return mount(panel, h("h2", {}, s.blockedHeading), ctx.livenessFailure && failureBanner(), h("div", { class: "banner error" }, s.blockedBody));
    case "joining":
      hintEl.textContent = "";
      return mount(panel, h("div", { class: "banner ok" }, h("strong", {}, s.verifiedHeading), " — ", s.verifiedBody));
    case "server_error":
      return mount(panel, h("div", { class: "banner error", id: "server-error" }, s.serverError), h("div", { class: "actions" }, retry()));
    case "join_failed":
      return mount(panel, h("div", { class: "banner error" }, s.joinFailed), h("div", { class: "actions" }, retry()));
    case "in_interview":
      document.getElementById("title")!.textContent = s.inInterview;
      return mount(
        panel,
        room && roomControls(room),
        h(
          "div",
          { class: "stage" },
          h("div", { id: "remote", style: "height:100%" }, h("p", { class: "overlay" }, s.waitingForInterviewer)),
          // The candidate's own camera moves into a small self-view.
          h("div", { class: "selfview" }, video),
        ),
      );
  }
}

/** The strings changed after start (a host's overrides): redraw, but never a screen that live work is updating. */
function restring(): void {
  document.getElementById("title")!.textContent = state.name === "in_interview" ? strings.inInterview : strings.title;
  if (state.name !== "face_check" && state.name !== "in_interview") render();
}

startLanguage(restring);
document.getElementById("title")!.textContent = strings.title;
render();
api
  .open()
  .then((view) => {
    send({
      type: "LINK_OK",
      candidateName: view.candidateName,
      attemptsLeft: view.attemptsLeft,
      allowFakeCamera: view.allowFakeCamera,
      faceTemplateDays: view.faceTemplateDays,
      document: view.document,
    });
  })
  .catch((err) => send({ type: "LINK_ERROR", message: linkMessage(err) }));
