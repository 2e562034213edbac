import type { PublishedTrack, VideoRooms } from "../livekit/index.js";
import type { Timeline } from "../timeline/index.js";
import type { InterviewRecord, Store } from "../store/index.js";
import type { RoomSeats } from "./room-seats.js";

/**
 * The candidate's one camera and everything else it publishes as video. The camera is `cameraSid`
 * when it is still published, else the first video track with source CAMERA; any other track that
 * carries video (another source such as MICROPHONE, or a second camera) is a decoy. Audio that is
 * audio is never one. LiveKit checks a track's declared source against the token, not what it
 * carries, and allows several tracks of one source, so this is the kit's own rule.
 */
export function splitCamera(tracks: readonly PublishedTrack[], cameraSid?: string): { camera: PublishedTrack | undefined; decoys: PublishedTrack[] } {
  const videos = tracks.filter((t) => t.kind === "VIDEO");
  const camera = videos.find((t) => t.sid === cameraSid && t.source === "CAMERA") ?? videos.find((t) => t.source === "CAMERA");
  return { camera, decoys: videos.filter((t) => t !== camera) };
}

/**
 * Which camera came first, from the kit's own record (the SFU's track list has no order): the one
 * the monitor judges, else the earliest camera whose publication LiveKit reported.
 */
function firstCamera(events: readonly { type: string; data: unknown }[], identity: string, published: ReadonlySet<string>): string | undefined {
  const sidOf = (e: { data: unknown }) => (e.data as { trackSid?: string }).trackSid;
  const judged = events.filter((e) => e.type === "camera_judged" && (e.data as { identity?: string }).identity === identity).map(sidOf);
  const live = judged.reverse().find((sid) => sid && published.has(sid));
  if (live) return live;
  return events
    .filter((e) => e.type === "track_published")
    .filter((e) => {
      const d = e.data as { identity?: string; source?: string; kind?: string };
      return d.identity === identity && d.source === "CAMERA" && d.kind === "VIDEO";
    })
    .map(sidOf)
    .find((sid) => sid && published.has(sid));
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
    const tracks = await rooms.publishedTracks(interview.room, identity);
    if (tracks.filter((t) => t.kind === "VIDEO").length < 2 && tracks.every((t) => t.kind !== "VIDEO" || t.source === "CAMERA")) return [];
    const events = await store.listEvents(interview.id);
    const { camera, decoys } = splitCamera(tracks, firstCamera(events, identity, new Set(tracks.map((t) => t.sid))));
    if (!decoys.length) return [];
    const seen = new Set(events.filter((e) => e.type === "extra_video_track").map((e) => (e.data as { trackSid?: string }).trackSid));
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
