import "../ui/styles.css";
import type { Room } from "livekit-client";
import { FACE_MODEL_URL_PATH, wasmUrlPath } from "../../shared/paths.js";
import type { LivenessFailure } from "../../shared/candidate.js";
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
import { type FaceDetector, loadMediaPipeDetector } from "../face/index.js";
import { strings } from "../i18n/strings.js";
import { collectEnvironment } from "../signals/index.js";
import { joinInterviewRoom, roomControls } from "./room.js";
import { h, mount } from "../ui/dom.js";
import { CandidateApi } from "./api.js";
import { type ChallengeProgress, runChallenge } from "./challenge-runner.js";
import { transition } from "./machine.js";
import { type FlowEvent, type FlowState, initialState } from "./states.js";

const token = location.pathname.split("/").filter(Boolean).at(-1) ?? "";
// Test configurations fix the step order with a seed; production servers refuse it.
const testSeed = new URLSearchParams(location.search).get("testSeed") ?? undefined;
let allowFakeCamera = false;
const api = new CandidateApi(token);
const panel = document.getElementById("panel")!;
const stage = document.getElementById("stage")!;
const video = document.getElementById("camera") as HTMLVideoElement;
const hintEl = document.getElementById("hint")!;
const oval = document.getElementById("oval")!;

let state: FlowState = initialState;
let stream: MediaStream | undefined;
let detector: FaceDetector | undefined;
let room: Room | undefined;
let sessionStarted = false;
let alreadyVerified = false;

function send(event: FlowEvent): void {
  const next = transition(state, event);
  if (next === state) return;
  state = next;
  document.body.dataset.state = state.name;
  render();
  void enter(state);
}

/** Codes with which the server refuses evidence after counting the attempt. */
const EVIDENCE_REFUSALS = new Set(["nonce_mismatch", "steps_out_of_order", "impossible_timing", "bad_snapshot"]);

const linkMessage = (err: unknown) => (err instanceof ApiError ? err.message : strings().linkErrorHeading);

/** Side effects on entering a state. */
async function enter(s: FlowState): Promise<void> {
  try {
    if (s.name === "camera") await startCamera();
    else if (s.name === "face_check") await faceCheck();
    else if (s.name === "joining") await join();
  } catch (err) {
    if (err instanceof ApiError && ["link_expired", "not_found"].includes(err.code)) {
      send({ type: "LINK_ERROR", message: err.message });
    } else if (s.name === "joining") {
      send({ type: "JOIN_FAILED", message: err instanceof Error ? err.message : String(err) });
    } else if (s.name === "face_check" && err instanceof ApiError) {
      // A server error is not a camera failure: the candidate retries the check, and the count of
      // attempts left drops only when the server used one up on refused evidence.
      const used = EVIDENCE_REFUSALS.has(err.code) ? 1 : 0;
      const attemptsLeft = err.code === "attempts_exhausted" ? 0 : Math.max(0, s.context.attemptsLeft - used);
      send({ type: "CHECK_FAILED", failure: "EvidenceRejected", attemptsLeft });
    } else {
      const failure = cameraFailureFrom(err);
      void api.reportCamera({ status: "failed", failure, detail: String((err as Error)?.message ?? err).slice(0, 500) }).catch(() => {});
      stopStream(stream);
      stream = undefined;
      send({ type: "CAMERA_FAILED", failure });
    }
  }
}

async function startCamera(): Promise<void> {
  if (!sessionStarted) {
    alreadyVerified = (await api.startSession()).verified;
    sessionStarted = true;
    // Evidence for the interviewer; a failure here must never block the candidate.
    void collectEnvironment()
      .then((report) => api.reportEnvironment(report))
      .catch(() => {});
  }
  stream = await openCamera();
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
  const refuse = suspicions.some((s) => s.kind !== "fake_file" || !allowFakeCamera);
  if (refuse) {
    const others = (await listCameras().catch(() => [])).filter((c) => c.deviceId !== settings.deviceId && !suspectLabel(c.label));
    throw new CameraError(
      "VirtualCameraOnly",
      others.length ? "choose a real camera" : `virtual camera: ${suspicions.map((s) => s.kind).join(", ")}`,
    );
  }
  if (settings.deviceId) rememberCamera(settings.deviceId);
  renderDevicePicker(settings.deviceId);
  if (!alreadyVerified) detector ??= await loadMediaPipeDetector({
    wasmPath: wasmUrlPath(__TASKS_VISION_VERSION__),
    modelPath: FACE_MODEL_URL_PATH,
    timeoutMs: 30_000,
  });
  send({ type: alreadyVerified ? "ALREADY_VERIFIED" : "CAMERA_READY" });
}

async function faceCheck(): Promise<void> {
  const challenge = await api.startLiveness(testSeed);
  const evidence = await runChallenge({ video, detector: detector!, challenge, onProgress: showProgress });
  hintEl.textContent = strings().verifying;
  const verdict = await api.submitEvidence(challenge.challengeId, evidence);
  if (verdict.passed) send({ type: "CHECK_PASSED" });
  else send({ type: "CHECK_FAILED", failure: (verdict.failure ?? "NoFace") as LivenessFailure, attemptsLeft: verdict.attemptsLeft });
}

async function join(): Promise<void> {
  room = await joinInterviewRoom(await api.join(), stream, api, panel);
  send({ type: "JOINED" });
}

const FIT_HINTS = {
  noFace: "hintNoFace",
  multipleFaces: "hintMultipleFaces",
  moveCloser: "hintMoveCloser",
  moveBack: "hintMoveBack",
  centre: "hintCentre",
  faceCamera: "hintFaceCamera",
  hold: "hintHold",
} as const;

function showProgress(p: ChallengeProgress): void {
  const s = strings();
  const instruction = document.getElementById("instruction");
  const stepLabel = document.getElementById("step-label");
  if (p.phase === "fit") {
    hintEl.textContent = s[FIT_HINTS[p.hint]];
    oval.classList.toggle("good", p.hint === "hold");
  } else {
    oval.classList.add("good");
    hintEl.textContent = s.steps[p.step];
    if (instruction) {
      instruction.textContent = s.steps[p.step];
      instruction.dataset.step = p.step;
      instruction.dataset.index = String(p.index);
    }
    if (stepLabel) stepLabel.textContent = s.stepOf(p.index + 1, p.total);
  }
  const bar = document.getElementById("progress-bar");
  if (bar) bar.style.width = `${Math.round(p.progress * 100)}%`;
}

async function renderDevicePicker(current?: string): Promise<void> {
  const cameras = await listCameras().catch(() => []);
  const holder = document.getElementById("device-picker");
  if (!holder || cameras.length < 2) return;
  const select = h("select", { id: "camera-select", onchange: async () => {
    rememberCamera(select.value);
    stopStream(stream);
    stream = await openCamera(select.value);
    video.srcObject = stream;
  } });
  for (const cam of cameras) {
    const opt = h("option", { value: cam.deviceId }, cam.label || cam.deviceId.slice(0, 8));
    if (cam.deviceId === current) opt.selected = true;
    select.append(opt);
  }
  mount(holder, h("label", { for: "camera-select" }, strings().chooseCamera), select);
}

function render(): void {
  const s = strings();
  const ctx = state.context;
  stage.hidden = !["camera", "face_check", "check_failed", "joining"].includes(state.name);
  oval.hidden = state.name === "in_interview";
  document.getElementById("subtitle")!.textContent = ctx.candidateName ? `${ctx.candidateName}` : "";
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
        h("div", { class: "actions" }, h("button", { id: "consent", onclick: () => send({ type: "CONSENT" }) }, s.consentAccept)),
      );
    case "camera":
      hintEl.textContent = s.hintLoadingModel;
      return mount(panel, h("p", { class: "muted" }, s.cameraRequesting), h("div", { id: "device-picker" }));
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
        h("h2", { id: "instruction", "aria-live": "assertive" }, s.checkHeading),
        h("div", { class: "progress" }, h("div", { id: "progress-bar", style: "width:0%" })),
        h("div", { id: "device-picker" }),
      );
    case "check_failed":
      return mount(
        panel,
        h("h2", {}, s.failedHeading),
        h("div", { class: "banner error", id: "liveness-failure", "data-failure": ctx.livenessFailure ?? "" }, s.liveness[ctx.livenessFailure ?? "NoFace"]),
        h("p", { class: "muted" }, s.attemptsLeft(ctx.attemptsLeft)),
        h("div", { class: "actions" }, retry()),
      );
    case "blocked":
      stopStream(stream);
      return mount(panel, h("h2", {}, s.blockedHeading), h("div", { class: "banner error" }, s.blockedBody));
    case "joining":
      hintEl.textContent = "";
      return mount(panel, h("div", { class: "banner ok" }, h("strong", {}, s.verifiedHeading), " — ", s.verifiedBody));
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

document.getElementById("title")!.textContent = strings().title;
render();
api
  .open()
  .then((view) => {
    allowFakeCamera = view.allowFakeCamera;
    send({ type: "LINK_OK", candidateName: view.candidateName, attemptsLeft: view.attemptsLeft });
  })
  .catch((err) => send({ type: "LINK_ERROR", message: linkMessage(err) }));
