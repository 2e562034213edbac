export type { VideoRooms, RoomWebhook, PublishedTrack } from "./video-rooms.js";
export { LiveKitRooms, ROOM_LIMITS, VERIFIER_AGENT_NAME, type LiveKitSettings, toHttp } from "./livekit-rooms.js";
export { LocalLiveKit, answersWithKey, installLiveKit } from "./local-server.js";
