/** A LiveKit webhook reduced to what the kit records. */
export interface RoomWebhook {
  event: string;
  room: string | undefined;
  participantIdentity: string | undefined;
  trackSource: string | undefined;
  trackKind: string | undefined;
  trackSid: string | undefined;
  createdAt: number | undefined;
}

/** A track a participant has published, as the SFU lists it. */
export interface PublishedTrack {
  sid: string;
  /** What the track carries: `AUDIO`, `VIDEO` or `DATA`. */
  kind: string;
  /** The source it declared: `CAMERA`, `MICROPHONE`, `SCREEN_SHARE`, … */
  source: string;
  width: number;
  height: number;
}

/**
 * What the kit needs from a video SFU. The LiveKit implementation is the only
 * code that imports `livekit-server-sdk`.
 */
export interface VideoRooms {
  /** The URL browsers connect to. */
  readonly publicUrl: string;
  /**
   * Creates the room if it does not exist yet, with the kit's limits and metadata. Calls within
   * a short window of the last creation by this process return without asking the SFU again.
   */
  ensureRoom(room: string, metadata: Record<string, string>): Promise<void>;
  /** A short-lived token that may publish only camera and microphone. */
  candidateToken(room: string, identity: string, name: string): Promise<string>;
  /** A short-lived token with room-admin rights. */
  interviewerToken(room: string, identity: string, name: string): Promise<string>;
  /**
   * Creates a verification room (the candidate and one verifier, nothing else)
   * and dispatches a verifier job to it with `metadata`.
   */
  startVerification(room: string, jobMetadata: string): Promise<void>;
  /** Dispatches a monitor job to an interview room with `metadata`; it joins hidden and waits for the candidate. */
  startMonitor(room: string, jobMetadata: string): Promise<void>;
  /** A short-lived token for a verification room: may publish the camera only; no subscribing, no data. */
  verificationToken(room: string, identity: string): Promise<string>;
  /** Ends the room for everyone; resolves quietly when it is already gone. */
  deleteRoom(room: string): Promise<void>;
  /** Identities of the participants in the room now; empty when the room does not exist. */
  listParticipants(room: string): Promise<string[]>;
  /** The participant's published tracks, in the order the SFU lists them; empty when it (or its room) is gone. */
  publishedTracks(room: string, identity: string): Promise<PublishedTrack[]>;
  /** Stops a published track reaching anyone (a server-side mute); resolves quietly when it is gone. */
  muteTrack(room: string, identity: string, trackSid: string): Promise<void>;
  /** Disconnects one participant; resolves quietly when it (or its room) is already gone. */
  removeParticipant(room: string, identity: string): Promise<void>;
  /** Verifies a webhook's signature over the raw body; throws when it does not verify. */
  receiveWebhook(rawBody: string, authorization: string | undefined): Promise<RoomWebhook>;
}
