import type { PublishedTrack, VideoRooms } from "../livekit/index.js";
import type { Timeline } from "../timeline/index.js";
import type { InterviewRecord, Store } from "../store/index.js";
import type { RoomSeats } from "./room-seats.js";

/**
 * The candidate's one camera and everything else it publishes as video. The camera is the first
 * video track with source CAMERA, in the order the SFU lists them; any other track that carries
 * video (another source such as MICROPHONE, or a second camera) is a decoy. Audio that is audio is
 * never one. LiveKit checks a track's declared source against the token, not what it carries, and
 * allows several tracks of one source, so this is the kit's own rule.
 */
export function splitCamera(tracks: readonly PublishedTrack[]): { camera: PublishedTrack | undefined; decoys: PublishedTrack[] } {
  const videos = tracks.filter((t) => t.kind === "VIDEO");
  const camera = videos.find((t) => t.source === "CAMERA");
  return { camera, decoys: videos.filter((t) => t !== camera) };
}

export interface OneCameraDeps {
  store: Store;
  timeline: Timeline;
  rooms: VideoRooms;
  seats: RoomSeats;
}

/**
 * Enforces one video track per candidate, the camera the monitor judges and the interviewer sees.
 * A decoy is muted at the SFU at once (nobody receives it), recorded as `extra_video_track` with
 * its source and size, and the candidate is removed from the room: LiveKit's RoomService cannot
 * unpublish one track, and a client may unmute its own track, so only removal ends it for sure.
 * Called from the `track_published` webhook and, independently, from the monitor, so a lost
 * webhook does not let a decoy stay; each decoy is recorded once.
 */
export class OneCameraPolicy {
  constructor(private readonly deps: OneCameraDeps) {}

  /** Checks the candidate's published tracks now; returns the decoys it acted on. */
  async enforce(interview: InterviewRecord, identity: string, detectedBy: "webhook" | "monitor"): Promise<PublishedTrack[]> {
    const { rooms, store, timeline, seats } = this.deps;
    const { camera, decoys } = splitCamera(await rooms.publishedTracks(interview.room, identity));
    if (!decoys.length) return [];
    const seen = new Set(
      (await store.listEvents(interview.id)).filter((e) => e.type === "extra_video_track").map((e) => (e.data as { trackSid?: string }).trackSid),
    );
    const fresh = decoys.filter((d) => !seen.has(d.sid));
    for (const d of decoys) await rooms.muteTrack(interview.room, identity, d.sid);
    for (const d of fresh) {
      await timeline.record(
        interview,
        {
          type: "extra_video_track",
          actor: "system",
          data: {
            identity,
            trackSid: d.sid,
            source: d.source,
            kind: d.kind,
            ...(d.width ? { width: d.width } : {}),
            ...(d.height ? { height: d.height } : {}),
            ...(camera ? { cameraSid: camera.sid } : {}),
            detectedBy,
          },
        },
      );
    }
    if (fresh.length) await seats.remove(interview, identity, "extra_video_track");
    return fresh;
  }
}
