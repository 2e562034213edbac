import { DisconnectReason, type Room, RoomEvent } from "livekit-client";
import type { FrameBridge } from "./frame.js";

/** Emits the widget's `ended` when `room` disconnects, with LiveKit's reason (`ROOM_DELETED` when the interview was ended). */
export function emitEndedWhenLeft(bridge: FrameBridge, room: Room): void {
  room.once(RoomEvent.Disconnected, (reason?: DisconnectReason) => {
    bridge.emit("ended", { reason: reason === undefined ? "UNKNOWN_REASON" : DisconnectReason[reason] });
  });
}
