import type { Room } from "livekit-client";
import { h } from "../ui/dom.js";

/** The toggle buttons' labels, in the page's language. */
export interface ToggleLabels {
  mute: string;
  unmute: string;
  stopCamera: string;
  startCamera: string;
}

/**
 * The local participant's microphone and camera toggles (`#toggle-mic`,
 * `#toggle-camera`). Each click flips the device, then calls `redraw` so the
 * labels follow the state LiveKit reports rather than the one asked for.
 */
export function mediaToggles(room: Room, labels: ToggleLabels, redraw: () => void): HTMLButtonElement[] {
  const local = room.localParticipant;
  const mic = local.isMicrophoneEnabled;
  const cam = local.isCameraEnabled;
  return [
    h("button", { class: "secondary", id: "toggle-mic", onclick: () => void local.setMicrophoneEnabled(!mic).then(redraw) }, mic ? labels.mute : labels.unmute),
    h("button", { class: "secondary", id: "toggle-camera", onclick: () => void local.setCameraEnabled(!cam).then(redraw) }, cam ? labels.stopCamera : labels.startCamera),
  ];
}
