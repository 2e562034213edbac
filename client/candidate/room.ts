import { type RemoteParticipant, type RemoteTrack, type Room, RoomEvent, Track } from "livekit-client";
import type { JoinGrant } from "../../shared/candidate.js";
import { MONITOR_IDENTITY_PREFIX } from "../../shared/monitoring.js";
import { PROMPT_EVENT, VERIFIER_TOPIC, VerifierMessage } from "../../shared/verification.js";
import type { NetworkReport } from "../../shared/signals.js";
import { strings } from "../i18n/index.js";
import { connectRoom } from "../room/connect.js";
import { mediaToggles } from "../room/controls.js";
import { collectNetwork } from "../signals/index.js";
import { h, mount } from "../ui/dom.js";
import type { CandidateApi } from "./api.js";
import { placeTarget, removeTarget } from "./check-view.js";

/**
 * Joins the interview room with the camera track the check already opened,
 * shows the interviewer, listens for re-challenges, and reports the network path.
 */
export async function joinInterviewRoom(
  grant: JoinGrant,
  stream: MediaStream | undefined,
  api: CandidateApi,
  panel: HTMLElement,
): Promise<Room> {
  const room = await connectRoom(grant);
  const cameraTrack = stream?.getVideoTracks()[0];
  if (cameraTrack)
    await room.localParticipant.publishTrack(cameraTrack, {
      source: Track.Source.Camera,
      // The interviewer and the monitor judge a face: on a busy laptop, drop frames, never pixels.
      degradationPreference: "maintain-resolution",
    });
  // The microphone is wanted but not required to pass: a candidate without one can still be seen.
  await room.localParticipant.setMicrophoneEnabled(true).catch(() => {});
  room.on(RoomEvent.TrackSubscribed, (track: RemoteTrack) => showRemote(track));
  room.on(RoomEvent.DataReceived, (payload: Uint8Array, sender?: RemoteParticipant, _k?: unknown, topic?: string) => {
    // Re-challenge prompts come from the kit's hidden monitor, which LiveKit delivers without a sender. A prompt
    // only asks for a move the monitor then judges on the video it decodes, so a forged one gains nothing.
    if (topic !== VERIFIER_TOPIC || (sender && !sender.identity.startsWith(MONITOR_IDENTITY_PREFIX))) return;
    let message: unknown;
    try {
      message = JSON.parse(new TextDecoder().decode(payload));
    } catch {
      return;
    }
    const parsed = VerifierMessage.safeParse(message);
    if (!parsed.success) return;
    if (parsed.data.type === "prompt") showRechallenge(panel, parsed.data.step);
    if (parsed.data.type === "target") placeTarget(document.getElementById("recheck-target"), document.getElementById("recheck-target-text"), parsed.data.yaw, parsed.data.pitch);
    if (parsed.data.type === "finished" || parsed.data.type === "step_done") endRechallenge();
  });
  watchNetwork(room, api);
  for (const p of room.remoteParticipants.values()) {
    for (const pub of p.trackPublications.values()) if (pub.track) showRemote(pub.track);
  }
  return room;
}

/** Samples the WebRTC path every 5 s and reports it after 10 s, then every 30 s. */
function watchNetwork(room: Room, api: CandidateApi): void {
  let report: NetworkReport | undefined;
  let samples = 0;
  const sample = async () => {
    const stats = await room.localParticipant.getTrackPublication(Track.Source.Camera)?.track?.getRTCStatsReport();
    if (!stats) return;
    report = collectNetwork(stats, report);
    samples++;
    if (samples === 2 || samples % 6 === 0) void api.reportNetwork(report).catch(() => {});
  };
  const timer = setInterval(() => void sample(), 5000);
  room.once(RoomEvent.Disconnected, () => clearInterval(timer));
}

/** How long a re-check's prompt stays up at most, should its end never arrive: longer than any path. */
const RECHALLENGE_SHOWN_MS = 20_000;

/**
 * Shows the interviewer's re-check: a banner, and for `follow` a target over the interview's video
 * that the monitor moves point by point (`target` messages). The monitor judges the following on
 * the video it decodes.
 */
function showRechallenge(panel: HTMLElement, step: keyof typeof strings.steps): void {
  const prompt = document.getElementById("rechallenge") ?? h("div", { id: "rechallenge", class: "banner warn", role: "alert" });
  prompt.textContent = `${strings.rechallenge} ${strings.steps[step]}`;
  prompt.dataset.step = step;
  panel.prepend(prompt);
  if (step === "follow" && !document.getElementById("recheck-target")) {
    const stage = panel.querySelector(".stage") ?? panel;
    stage.append(
      h("div", { class: "target", id: "recheck-target", hidden: true, "aria-hidden": "true" }),
      h("div", { class: "visually-hidden", id: "recheck-target-text", role: "status", "aria-live": "polite" }),
    );
  }
  window.dispatchEvent(new CustomEvent(PROMPT_EVENT, { detail: { step, index: 0, total: 1 } }));
  setTimeout(endRechallenge, RECHALLENGE_SHOWN_MS);
}

function endRechallenge(): void {
  removeTarget(document.getElementById("recheck-target"), document.getElementById("recheck-target-text"));
  for (const id of ["rechallenge", "recheck-target", "recheck-target-text"]) document.getElementById(id)?.remove();
}

function showRemote(track: RemoteTrack): void {
  if (track.kind === Track.Kind.Video) {
    const el = track.attach() as HTMLVideoElement;
    el.id = "interviewer-video";
    const holder = document.getElementById("remote");
    if (holder) mount(holder, el);
  } else {
    document.body.append(track.attach());
  }
}

/** Mute and camera buttons; turning the camera off is the candidate's right, and the interviewer sees it. */
export function roomControls(room: Room): HTMLElement {
  const holder = h("div", { class: "actions", id: "room-controls", style: "margin:0 0 12px" });
  const draw = () => mount(holder, ...mediaToggles(room, strings, draw));
  draw();
  return holder;
}
