import "../ui/styles.css";
import { type RemoteTrack, type RemoteVideoTrack, type Room, RoomEvent, Track } from "livekit-client";
import { RECHALLENGE_TOPIC, type Observation, type RechallengeMessage } from "../../shared/monitoring.js";
import { FACE_MODEL_URL_PATH, wasmUrlPath } from "../../shared/paths.js";
import { loadMediaPipeDetector } from "../face/index.js";
import { connectRoom } from "../room/connect.js";
import { h, mount } from "../ui/dom.js";
import { InterviewerApi } from "./api.js";
import { CameraOffClock, FrameRateWatch } from "./monitor.js";
import { renderInterview } from "./panel.js";
import { renderReport } from "./report.js";
import { RemoteFaceWatcher } from "./watcher.js";

const token = location.pathname.split("/").filter(Boolean).at(-1) ?? "";
const api = new InterviewerApi(token);
const remoteStage = document.getElementById("remote-stage")!;
const remoteStatus = document.getElementById("remote-status")!;
const controls = document.getElementById("controls")!;
const started = performance.now();
const seconds = () => (performance.now() - started) / 1000;
let room: Room | undefined;
let remoteVideo: RemoteVideoTrack | undefined;
let watcher: RemoteFaceWatcher | undefined;
const cameraClock = new CameraOffClock();
const frameRate = new FrameRateWatch();

function observe(o: Observation | undefined): void {
  if (o) void api.observe(o).catch((err) => console.warn("observation not recorded", err));
}

async function refresh(): Promise<void> {
  try {
    const [iv, report] = await Promise.all([api.interview(), api.report()]);
    renderInterview(iv, { face: watcher?.faceState ?? "watching…", cameraOff: cameraClock.totalAt(seconds()) });
    renderReport(document.getElementById("report")!, report);
  } catch (err) {
    remoteStatus.textContent = (err as Error).message;
  }
}

function showTrack(track: RemoteTrack): void {
  if (track.kind !== Track.Kind.Video) {
    document.body.append(track.attach());
    return;
  }
  remoteVideo = track as RemoteVideoTrack;
  const el = track.attach() as HTMLVideoElement;
  el.id = "candidate-video";
  el.muted = true;
  remoteStage.querySelector("#candidate-video")?.remove();
  remoteStage.prepend(el);
  remoteStatus.textContent = "Candidate video";
  observe(cameraClock.on(seconds()));
  watcher?.watch(el);
}

function cameraGone(reason: "muted" | "unpublished"): void {
  observe(cameraClock.off(seconds(), reason));
  remoteStatus.textContent = "Candidate camera off";
  watcher?.watch(undefined);
}

/** Shows what this browser actually decodes, read from WebRTC stats, and watches for a sharp fall. */
async function updateVideoStats(): Promise<void> {
  if (!remoteVideo?.receiver) return;
  const report = await remoteVideo.receiver.getStats();
  report.forEach((s: { type: string; kind?: string; framesDecoded?: number; frameWidth?: number; frameHeight?: number; framesPerSecond?: number }) => {
    if (s.type !== "inbound-rtp" || s.kind !== "video") return;
    remoteStatus.dataset.framesDecoded = String(s.framesDecoded ?? 0);
    remoteStatus.textContent = `Candidate video · ${s.frameWidth ?? "?"}×${s.frameHeight ?? "?"} · ${Math.round(s.framesPerSecond ?? 0)} fps`;
    observe(frameRate.sample(seconds(), s.framesPerSecond ?? 0, s.frameWidth ?? 0, s.frameHeight ?? 0));
  });
}

async function rechallenge(): Promise<void> {
  if (!room || !watcher) return;
  const challenge = await api.rechallenge();
  const message: RechallengeMessage = { kind: "rechallenge", rechallengeId: challenge.rechallengeId, step: challenge.step };
  await room.localParticipant.publishData(new TextEncoder().encode(JSON.stringify(message)), {
    reliable: true,
    topic: RECHALLENGE_TOPIC,
  });
  watcher.judge(challenge);
  remoteStatus.textContent = `Re-challenge sent: ${challenge.step.replace("_", " ")}`;
}

async function join(): Promise<void> {
  const button = document.getElementById("join") as HTMLButtonElement;
  button.disabled = true;
  try {
    const [grant, detector] = await Promise.all([
      api.join(),
      loadMediaPipeDetector({ wasmPath: wasmUrlPath(__TASKS_VISION_VERSION__), modelPath: FACE_MODEL_URL_PATH, timeoutMs: 30_000 }),
    ]);
    watcher = new RemoteFaceWatcher(detector, observe);
    room = await connectRoom(grant);
    room.on(RoomEvent.TrackSubscribed, showTrack);
    room.on(RoomEvent.TrackMuted, (pub) => pub.source === Track.Source.Camera && !pub.isLocal && cameraGone("muted"));
    room.on(RoomEvent.TrackUnmuted, (pub) => {
      if (pub.source === Track.Source.Camera && pub.track && !pub.isLocal) showTrack(pub.track as RemoteTrack);
    });
    room.on(RoomEvent.TrackUnpublished, (pub) => pub.source === Track.Source.Camera && cameraGone("unpublished"));
    room.on(RoomEvent.TrackUnsubscribed, (t) => t.detach().forEach((el) => el.remove()));
    for (const p of room.remoteParticipants.values()) {
      for (const pub of p.trackPublications.values()) if (pub.track) showTrack(pub.track);
    }
    await room.localParticipant.setCameraEnabled(true).catch(() => {});
    await room.localParticipant.setMicrophoneEnabled(true).catch(() => {});
    const self = room.localParticipant.getTrackPublication(Track.Source.Camera)?.track;
    if (self) mount(document.getElementById("self")!, self.attach());
    document.body.dataset.joined = "true";
    renderControls();
  } catch (err) {
    remoteStatus.textContent = `Could not join: ${(err as Error).message}`;
    button.disabled = false;
  }
}

async function endForEveryone(r: Room): Promise<void> {
  await api.end();
  await r.disconnect();
  room = undefined;
  watcher?.stop();
  renderControls();
  void refresh();
}

function renderControls(): void {
  if (!room) {
    mount(controls, h("button", { id: "join", onclick: () => void join() }, "Join interview"));
    return;
  }
  const r = room;
  const mic = r.localParticipant.isMicrophoneEnabled;
  const cam = r.localParticipant.isCameraEnabled;
  mount(
    controls,
    h("button", { class: "secondary", onclick: () => void r.localParticipant.setMicrophoneEnabled(!mic).then(renderControls) }, mic ? "Mute" : "Unmute"),
    h("button", { class: "secondary", onclick: () => void r.localParticipant.setCameraEnabled(!cam).then(renderControls) }, cam ? "Stop camera" : "Start camera"),
    h("button", { id: "rechallenge", onclick: () => void rechallenge() }, "Re-check identity"),
    h("button", { class: "secondary", onclick: () => void r.disconnect().then(() => { room = undefined; renderControls(); }) }, "Leave"),
    h("button", {
      id: "end",
      class: "danger",
      onclick: () => void endForEveryone(r),
    }, "End for everyone"),
  );
}

renderControls();
void refresh();
setInterval(() => void refresh(), 2000);
setInterval(() => void updateVideoStats(), 1000);
