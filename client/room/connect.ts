import { Room, RoomEvent, type RoomConnectOptions } from "livekit-client";
import type { JoinGrant } from "../../shared/candidate.js";

/**
 * Connects to the interview room. On a loopback LiveKit (the embedded default
 * and the tests) no ICE servers are used, so nothing is contacted off the machine.
 */
export async function connectRoom(grant: JoinGrant): Promise<Room> {
  const room = new Room({ adaptiveStream: true, dynacast: true });
  const host = new URL(grant.serverUrl).hostname;
  const loopback = host === "127.0.0.1" || host === "localhost" || host === "[::1]";
  const options: RoomConnectOptions = loopback ? { rtcConfig: { iceServers: [] } } : {};
  await room.connect(grant.serverUrl, grant.token, options);
  return room;
}

export { Room, RoomEvent };
