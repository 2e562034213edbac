import { AccessToken, AgentDispatchClient, RoomServiceClient, TrackSource, TrackType, WebhookReceiver } from "livekit-server-sdk";
import { OpenRooms } from "./open-rooms.js";
import type { PublishedTrack, RoomWebhook, VideoRooms } from "./video-rooms.js";
import { signJobMetadata } from "./job-signature.js";

export interface LiveKitSettings {
  url: string;
  publicUrl: string;
  apiKey: string;
  apiSecret: string;
}

/** Name the verifier workers register under; the kit dispatches jobs to it explicitly. */
export const VERIFIER_AGENT_NAME = "verify-kit-verifier";

/** Limits applied to every interview room. */
export const ROOM_LIMITS = {
  /**
   * One candidate (the kit removes any earlier candidate identity when a new
   * one joins), the kit's hidden monitor, the interviewer, and room for a
   * second interviewer or an observer. Candidates can never hold more than one place for long, and an
   * interviewer's join first evicts superseded candidates from a full room, so
   * a place is always there for the interviewer.
   */
  maxParticipants: 5,
  /** Seconds an empty room lives, so a dropped candidate can rejoin. */
  emptyTimeout: 10 * 60,
  departureTimeout: 60,
} as const;

/** Limits of a verification room: the candidate and the verifier. */
export const VERIFICATION_ROOM_LIMITS = { maxParticipants: 2, emptyTimeout: 60, departureTimeout: 10 } as const;

/** Token lifetime: long enough to connect; LiveKit refreshes tokens of connected clients. */
const TOKEN_TTL = "10m";

/** `VideoRooms` on a LiveKit server. */
export class LiveKitRooms implements VideoRooms {
  private readonly rooms: RoomServiceClient;
  private readonly receiver: WebhookReceiver;
  private readonly dispatch: AgentDispatchClient;
  // Half the departure timeout: a room created here is certain to exist for that long.
  private readonly open = new OpenRooms((ROOM_LIMITS.departureTimeout * 1000) / 2);

  constructor(
    private readonly settings: LiveKitSettings,
    private readonly verifierAgentName = VERIFIER_AGENT_NAME,
  ) {
    this.rooms = new RoomServiceClient(toHttp(settings.url), settings.apiKey, settings.apiSecret);
    this.receiver = new WebhookReceiver(settings.apiKey, settings.apiSecret);
    this.dispatch = new AgentDispatchClient(toHttp(settings.url), settings.apiKey, settings.apiSecret);
  }

  get publicUrl(): string {
    return this.settings.publicUrl;
  }

  async ensureRoom(room: string, metadata: Record<string, string>): Promise<void> {
    if (this.open.isOpen(room)) return;
    // CreateRoom is idempotent in LiveKit: it returns the existing room when the name is taken.
    await this.rooms.createRoom({ name: room, ...ROOM_LIMITS, metadata: JSON.stringify(metadata) });
    this.open.opened(room);
  }

  async candidateToken(room: string, identity: string, name: string): Promise<string> {
    return this.interviewRoomToken(room, identity, name);
  }

  async startVerification(room: string, jobMetadata: string): Promise<void> {
    await this.rooms.createRoom({ name: room, ...VERIFICATION_ROOM_LIMITS, metadata: JSON.stringify({ kind: "verification" }) });
    await this.dispatch.createDispatch(room, this.verifierAgentName, { metadata: this.signed(jobMetadata) });
  }

  async startMonitor(room: string, jobMetadata: string): Promise<void> {
    await this.dispatch.createDispatch(room, this.verifierAgentName, { metadata: this.signed(jobMetadata) });
  }

  /** The job JSON signed with a key from the API secret: workers accept no other (server/livekit/job-signature.ts). */
  private signed(jobMetadata: string): string {
    return signJobMetadata(JSON.parse(jobMetadata) as object, this.settings.apiSecret);
  }

  async verificationToken(room: string, identity: string): Promise<string> {
    const token = new AccessToken(this.settings.apiKey, this.settings.apiSecret, { identity, ttl: "2m" });
    // Only the verifier may publish data here, so every data message in the room is the verifier's.
    token.addGrant({
      room,
      roomJoin: true,
      canSubscribe: false,
      canPublish: true,
      canPublishSources: [TrackSource.CAMERA],
      canPublishData: false,
      canUpdateOwnMetadata: false,
    });
    return token.toJwt();
  }

  /**
   * Exactly what the interviewer page does: join, watch, and publish its own camera and microphone.
   * No `roomAdmin`: in LiveKit it opens the agent-dispatch API (list, create, delete) for the room,
   * whose jobs carry the verifier's and monitor's report secrets. Admin actions (ending, removing)
   * go through the kit's API, authorised by the interviewer link.
   */
  async interviewerToken(room: string, identity: string, name: string): Promise<string> {
    return this.interviewRoomToken(room, identity, name);
  }

  /**
   * The one grant of the interview room, candidate and interviewer alike: join, watch, publish camera
   * and microphone. No data (the pages never send any, so nothing sent can pose as the kit), no
   * metadata changes, no admin rights.
   */
  private async interviewRoomToken(room: string, identity: string, name: string): Promise<string> {
    const token = new AccessToken(this.settings.apiKey, this.settings.apiSecret, { identity, name, ttl: TOKEN_TTL });
    token.addGrant({
      room,
      roomJoin: true,
      canSubscribe: true,
      canPublish: true,
      canPublishSources: [TrackSource.CAMERA, TrackSource.MICROPHONE],
      canPublishData: false,
      canUpdateOwnMetadata: false,
    });
    return token.toJwt();
  }

  async deleteRoom(room: string): Promise<void> {
    this.open.closed(room);
    try {
      await this.rooms.deleteRoom(room);
    } catch (err) {
      // LiveKit closes an empty room on its own; ending it again is not an error.
      if (!isGone(err)) throw err;
    }
  }

  async listParticipants(room: string): Promise<string[]> {
    try {
      return (await this.rooms.listParticipants(room)).map((p) => p.identity);
    } catch (err) {
      if (isGone(err)) return [];
      throw err;
    }
  }

  async publishedTracks(room: string, identity: string): Promise<PublishedTrack[]> {
    try {
      const p = await this.rooms.getParticipant(room, identity);
      return p.tracks.map((t) => ({ sid: t.sid, kind: TrackType[t.type], source: TrackSource[t.source], width: t.width, height: t.height }));
    } catch (err) {
      if (isGone(err)) return [];
      throw err;
    }
  }

  async muteTrack(room: string, identity: string, trackSid: string): Promise<void> {
    try {
      await this.rooms.mutePublishedTrack(room, identity, trackSid, true);
    } catch (err) {
      if (!isGone(err)) throw err;
    }
  }

  async removeParticipant(room: string, identity: string): Promise<void> {
    try {
      await this.rooms.removeParticipant(room, identity);
    } catch (err) {
      if (!isGone(err)) throw err;
    }
  }

  async receiveWebhook(rawBody: string, authorization: string | undefined): Promise<RoomWebhook> {
    const event = await this.receiver.receive(rawBody, authorization);
    return {
      event: event.event,
      room: event.room?.name,
      participantIdentity: event.participant?.identity,
      trackSource: event.track ? TrackSource[event.track.source] : undefined,
      trackKind: event.track ? TrackType[event.track.type] : undefined,
      trackSid: event.track?.sid,
      createdAt: event.createdAt ? Number(event.createdAt) : undefined,
    };
  }
}

/** A RoomService error for a room or participant that does not exist (any more). */
function isGone(err: unknown): boolean {
  const e = err as { status?: number; code?: string; message?: string };
  return e.status === 404 || e.code === "not_found" || /not found|does not exist/i.test(e.message ?? "");
}

/** RoomService speaks HTTP(S) on the same host and port as the signalling WebSocket. */
export function toHttp(url: string): string {
  return url.replace(/^ws(s?):\/\//, "http$1://");
}
