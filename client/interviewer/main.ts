import "../ui/styles.css";
import { type RemoteTrack, type RemoteTrackPublication, type RemoteVideoTrack, type Room, RoomEvent, Track, VideoQuality } from "livekit-client";
import { emitEndedWhenLeft, startFrameBridge } from "../embed/index.js";
import { connectRoom } from "../room/connect.js";
import { mediaToggles } from "../room/controls.js";
import { h, mount } from "../ui/dom.js";
import { InterviewerApi } from "./api.js";
import { renderChecklist } from "./checklist.js";
import { renderInterview } from "./panel.js";
import { renderReport } from "./report.js";

const token = location.pathname.split("/").filter(Boolean).at(-1) ?? "";
const api = new InterviewerApi(token);
// Inside `<verify-interview-room>`: the host's theme, and the room's events to the host.
const bridge = startFrameBridge();
let announced = false;
const remoteStage = document.getElementById("remote-stage")!;
const remoteStatus = document.getElementById("remote-status")!;
const controls = document.getElementById("controls")!;
let room: Room | undefined;
let remoteVideo: RemoteVideoTrack | undefined;
/** The camera track the kit's monitor judges (from its `camera_judged` event): the only video shown as the candidate. */
let judgedSid: string | undefined;

/** Re-reads the interview when its timeline changes, coalescing a burst of events into one read. */
function watchTimeline(): void {
  let pending: ReturnType<typeof setTimeout> | undefined;
  const source = new EventSource(api.streamUrl);
  source.addEventListener("interview", () => {
    pending ??= setTimeout(() => {
      pending = undefined;
      void refresh();
    }, 300);
  });
  source.addEventListener("ready", () => {
    document.body.dataset.live = "true";
    void refresh();
  });
}

async function refresh(): Promise<void> {
  try {
    const [iv, report] = await Promise.all([api.interview(), api.report()]);
    renderInterview(iv);
    const judged = iv.events.filter((e) => e.type === "camera_judged" && e.actor === "monitor").at(-1);
    const sid = judged && !judged.legacy && judged.type === "camera_judged" ? judged.data.trackSid : undefined;
    if (sid && sid !== judgedSid) {
      judgedSid = sid;
      rebind();
    }
    const accepted = iv.events.filter((e) => e.type === "reference_accepted").at(-1);
    renderReport(document.getElementById("report")!, report, {
      accepted: accepted && !accepted.legacy && accepted.type === "reference_accepted" ? accepted.data.challengeId : undefined,
      acceptReference: async (challengeId) => {
        await api.acceptReference(challengeId).catch((err: Error) => (remoteStatus.textContent = `Reference not changed: ${err.message}`));
        void refresh();
      },
    });
    if (!announced) bridge.emit("ready");
    announced = true;
  } catch (err) {
    remoteStatus.textContent = (err as Error).message;
    if (!announced) bridge.emit("error", { code: "link_error", message: (err as Error).message });
    announced = true;
  }
}

/** Shows the judged camera once the monitor has named it (its track may have arrived before the name). */
function rebind(): void {
  for (const p of room?.remoteParticipants.values() ?? []) {
    for (const pub of p.trackPublications.values()) if (pub.trackSid === judgedSid && pub.track) showTrack(pub.track, pub);
  }
}

function showTrack(track: RemoteTrack, pub?: RemoteTrackPublication): void {
  if (track.kind !== Track.Kind.Video) {
    document.body.append(track.attach());
    return;
  }
  // The candidate is the camera the kit judges, and nothing else: a video track under another source,
  // or another camera, is never shown in its place. Until the monitor names its camera, a camera-source
  // track is shown as not yet confirmed.
  if (judgedSid ? pub?.trackSid !== judgedSid : pub?.source !== Track.Source.Camera) return;
  // The top simulcast layer: the interviewer judges a face, and a thumbnail layer hides a swap.
  pub?.setVideoQuality(VideoQuality.HIGH);
  remoteVideo = track as RemoteVideoTrack;
  const el = track.attach() as HTMLVideoElement;
  el.id = "candidate-video";
  el.muted = true;
  el.dataset.trackSid = pub?.trackSid ?? "";
  el.dataset.judged = String(judgedSid !== undefined && pub?.trackSid === judgedSid);
  remoteStage.querySelector("#candidate-video")?.remove();
  remoteStage.prepend(el);
  remoteStatus.dataset.judged = el.dataset.judged;
  remoteStatus.textContent = judgedLabel();
}

/** Says whether the video shown is the camera the kit's monitor judges. */
function judgedLabel(): string {
  return remoteStatus.dataset.judged === "true" ? "Candidate camera — the one the kit watches" : "Candidate camera — not yet confirmed by the kit's monitor";
}

function cameraGone(): void {
  remoteStatus.textContent = "Candidate camera off";
}

/** Shows what this browser actually decodes, read from WebRTC stats. */
async function updateVideoStats(): Promise<void> {
  if (!remoteVideo?.receiver) return;
  const report = await remoteVideo.receiver.getStats();
  report.forEach((s: { type: string; kind?: string; framesDecoded?: number; frameWidth?: number; frameHeight?: number; framesPerSecond?: number }) => {
    if (s.type !== "inbound-rtp" || s.kind !== "video") return;
    remoteStatus.dataset.framesDecoded = String(s.framesDecoded ?? 0);
    remoteStatus.dataset.frameWidth = String(s.frameWidth ?? 0);
    remoteStatus.dataset.frameHeight = String(s.frameHeight ?? 0);
    remoteStatus.textContent = `${judgedLabel()} · ${s.frameWidth ?? "?"}×${s.frameHeight ?? "?"} · ${Math.round(s.framesPerSecond ?? 0)} fps`;
  });
}

/** Asks the kit's monitor to re-check the candidate; its result arrives on the timeline. */
async function rechallenge(): Promise<void> {
  try {
    const challenge = await api.rechallenge();
    remoteStatus.textContent = `Re-check requested (${challenge.step}): the candidate follows a moving target; the kit's monitor judges it`;
  } catch (err) {
    remoteStatus.textContent = `Re-check not started: ${(err as Error).message}`;
  }
}

async function join(): Promise<void> {
  const button = document.getElementById("join") as HTMLButtonElement;
  button.disabled = true;
  try {
    const grant = await api.join();
    room = await connectRoom(grant, { adaptiveStream: false });
    room.on(RoomEvent.TrackSubscribed, (track, pub) => showTrack(track, pub));
    room.on(RoomEvent.TrackMuted, (pub) => pub.source === Track.Source.Camera && !pub.isLocal && cameraGone());
    room.on(RoomEvent.TrackUnmuted, (pub) => {
      if (pub.source === Track.Source.Camera && pub.track && !pub.isLocal) showTrack(pub.track as RemoteTrack, pub as RemoteTrackPublication);
    });
    room.on(RoomEvent.TrackUnpublished, (pub) => pub.source === Track.Source.Camera && cameraGone());
    room.on(RoomEvent.TrackUnsubscribed, (t) => t.detach().forEach((el) => el.remove()));
    for (const p of room.remoteParticipants.values()) {
      for (const pub of p.trackPublications.values()) if (pub.track) showTrack(pub.track, pub);
    }
    await room.localParticipant.setCameraEnabled(true).catch(() => {});
    await room.localParticipant.setMicrophoneEnabled(true).catch(() => {});
    const self = room.localParticipant.getTrackPublication(Track.Source.Camera)?.track;
    if (self) mount(document.getElementById("self")!, self.attach());
    document.body.dataset.joined = "true";
    renderControls();
    emitEndedWhenLeft(bridge, room);
    bridge.emit("joined");
  } catch (err) {
    remoteStatus.textContent = `Could not join: ${(err as Error).message}`;
    bridge.emit("error", { code: "join_failed", message: (err as Error).message });
    button.disabled = false;
  }
}

async function endForEveryone(r: Room): Promise<void> {
  await api.end();
  await r.disconnect();
  room = undefined;
  renderControls();
  void refresh();
}

const TOGGLE_LABELS = { mute: "Mute", unmute: "Unmute", stopCamera: "Stop camera", startCamera: "Start camera" };

function renderControls(): void {
  if (!room) {
    mount(controls, h("button", { id: "join", onclick: () => void join() }, "Join interview"));
    return;
  }
  const r = room;
  mount(
    controls,
    ...mediaToggles(r, TOGGLE_LABELS, renderControls),
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
renderChecklist(document.getElementById("checklist")!, async (input) => {
  await api.observe(input);
  void refresh();
});
void refresh();
watchTimeline();
// The stream carries this process's events; a slow full refresh covers other kit processes and a dropped stream.
setInterval(() => void refresh(), 15_000);
setInterval(() => void updateVideoStats(), 1000);
