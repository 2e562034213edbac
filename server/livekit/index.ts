export type { VideoRooms, RoomWebhook } from "./video-rooms.js";
export { LiveKitRooms, ROOM_LIMITS, type LiveKitSettings } from "./livekit-rooms.js";
export { LocalLiveKit, installLiveKit } from "./local-server.js";
