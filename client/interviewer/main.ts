import "../ui/styles.css";
import { type RemoteTrack, type RemoteVideoTrack, type Room, RoomEvent, Track } from "livekit-client";
import type { InterviewWithEvents } from "../../shared/interview.js";
import { connectRoom } from "../room/connect.js";
import { h, mount } from "../ui/dom.js";
import { InterviewerApi } from "./api.js";
import { describeEvent, RED_FLAGS } from "./format.js";

const token = location.pathname.split("/").filter(Boolean).at(-1) ?? "";
const api = new InterviewerApi(token);
const remoteStage = document.getElementById("remote-stage")!;
const remoteStatus = document.getElementById("remote-status")!;
const controls = document.getElementById("controls")!;
let room: Room | undefined;
let remoteVideo: RemoteVideoTrack | undefined;

function renderInterview(iv: InterviewWithEvents): void {
  document.getElementById("candidate-name")!.textContent = iv.candidate.name;
  const claimed = iv.claimedLocation
    ? [iv.claimedLocation.city, iv.claimedLocation.country, iv.claimedLocation.timezone].filter(Boolean).join(", ")
    : "not stated";
  document.getElementById("summary")!.textContent = `Claims to be in ${claimed}`;
  const verdict = [...iv.events].reverse().find((e) => e.type === "liveness_passed" || e.type === "liveness_failed");
  const refused = iv.events.some((e) => e.type === "camera_refused" || e.type === "camera_unavailable");
  mount(
    document.getElementById("facts")!,
    h("dt", {}, "Status"),
    h("dd", {}, h("span", { class: "pill", id: "status", "data-status": iv.status }, iv.status.replace("_", " "))),
    h("dt", {}, "Liveness"),
    h(
      "dd",
      {},
      verdict
        ? h("span", { class: `pill ${verdict.type === "liveness_passed" ? "ok" : "bad"}` }, verdict.type === "liveness_passed" ? "passed" : "failed")
        : h("span", { class: "pill" }, "not yet"),
    ),
    h("dt", {}, "Camera"),
    h("dd", {}, refused ? h("span", { class: "pill bad", id: "camera-flag" }, "refused or unavailable") : h("span", { class: "pill" }, "no refusal")),
    h("dt", {}, "IPs seen"),
    h("dd", {}, [...new Set(iv.events.map((e) => e.ip).filter(Boolean))].join(", ") || "—"),
  );
  mount(
    document.getElementById("events")!,
    ...[...iv.events].reverse().map((e) =>
      h(
        "li",
        { "data-type": e.type },
        h("time", {}, new Date(e.at).toLocaleTimeString()),
        h("span", { class: RED_FLAGS.has(e.type) ? "pill bad" : "" }, describeEvent(e)),
      ),
    ),
  );
}

async function refresh(): Promise<void> {
  try {
    renderInterview(await api.interview());
  } catch (err) {
    remoteStatus.textContent = (err as Error).message;
  }
}

function showTrack(track: RemoteTrack): void {
  if (track.kind === Track.Kind.Video) {
    remoteVideo = track as RemoteVideoTrack;
    const el = track.attach() as HTMLVideoElement;
    el.id = "candidate-video";
    remoteStage.querySelector("#candidate-video")?.remove();
    remoteStage.prepend(el);
    remoteStatus.textContent = "Candidate video";
  } else {
    document.body.append(track.attach());
  }
}

/** Shows what the interviewer's browser actually decodes, read from WebRTC stats. */
async function updateVideoStats(): Promise<void> {
  if (!remoteVideo?.receiver) return;
  const report = await remoteVideo.receiver.getStats();
  report.forEach((s: { type: string; kind?: string; framesDecoded?: number; frameWidth?: number; frameHeight?: number; framesPerSecond?: number }) => {
    if (s.type !== "inbound-rtp" || s.kind !== "video") return;
    remoteStatus.dataset.framesDecoded = String(s.framesDecoded ?? 0);
    remoteStatus.textContent = `Candidate video · ${s.frameWidth ?? "?"}×${s.frameHeight ?? "?"} · ${Math.round(s.framesPerSecond ?? 0)} fps`;
  });
}

async function join(): Promise<void> {
  const button = document.getElementById("join") as HTMLButtonElement;
  button.disabled = true;
  try {
    const grant = await api.join();
    room = await connectRoom(grant);
    room.on(RoomEvent.TrackSubscribed, showTrack);
    room.on(RoomEvent.TrackUnsubscribed, (t) => {
      t.detach().forEach((el) => el.remove());
      if (t === remoteVideo) {
        remoteVideo = undefined;
        remoteStatus.textContent = "Candidate camera off";
      }
    });
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
    h("button", { class: "secondary", onclick: async () => { await r.localParticipant.setMicrophoneEnabled(!mic); renderControls(); } }, mic ? "Mute" : "Unmute"),
    h("button", { class: "secondary", onclick: async () => { await r.localParticipant.setCameraEnabled(!cam); renderControls(); } }, cam ? "Stop camera" : "Start camera"),
    h("button", { class: "secondary", onclick: async () => { await r.disconnect(); room = undefined; renderControls(); } }, "Leave"),
  );
}

renderControls();
void refresh();
setInterval(() => void refresh(), 2000);
setInterval(() => void updateVideoStats(), 1000);
