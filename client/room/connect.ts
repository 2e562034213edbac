import { Room, RoomEvent, type RoomConnectOptions } from "livekit-client";
import type { JoinGrant } from "../../shared/candidate.js";

/**
 * Connect options for any of the kit's rooms. On a loopback LiveKit (the
 * embedded default and the tests) no ICE servers are used, so nothing is
 * contacted off the machine.
 */
export function connectOptions(serverUrl: string): RoomConnectOptions {
  const host = new URL(serverUrl).hostname;
  const loopback = host === "127.0.0.1" || host === "localhost" || host === "[::1]";
  return loopback ? { rtcConfig: { iceServers: [] } } : {};
}

/**
 * Connects to the interview room. `adaptiveStream` lets LiveKit pick the
 * layer from the element's size; the interviewer turns it off and asks for
 * the top layer, since judging a face needs every pixel the candidate sends.
 */
export async function connectRoom(grant: JoinGrant, options: { adaptiveStream?: boolean } = {}): Promise<Room> {
  const room = new Room({ adaptiveStream: options.adaptiveStream ?? true, dynacast: true });
  await room.connect(grant.serverUrl, grant.token, connectOptions(grant.serverUrl));
  return room;
}

export { Room, RoomEvent };
