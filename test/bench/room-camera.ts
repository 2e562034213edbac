import { LocalVideoTrack, Room, TrackPublishOptions, TrackSource, VideoBufferType, VideoFrame, VideoSource } from "@livekit/rtc-node";
import { startFrameClock } from "../helpers/frame-clock.js";
import { MESH_HEIGHT, MESH_WIDTH, type MeshFace } from "../helpers/mesh-face.js";
import { MESH_PLAYER_SCENE_CLIPS } from "../helpers/mesh-player.js";
import { PLAYER_CLIPS, type PlayerClip, type PlayerScene } from "../helpers/reactive-player.js";
import { loadPlayerFrames, loadSceneFrames } from "../helpers/rtc-publisher.js";

/**
 * The monitor benchmark's interview-room camera, an rtc-node participant: the mesh-face candidate
 * (the astronaut, the face the verification passed with and so the monitor's reference) facing the
 * camera with a slow wobble, and `show(scene)` to put someone else (or no one) in front of the same
 * track, as the Chromium mesh player's scenes do (MESH_PLAYER_SCENE_CLIPS: the stranger is cap12's
 * real webcam footage).
 *
 * It answers no challenge: the room's re-check (a follow path from the monitor) is for a camera
 * that follows targets (test/helpers/mesh-publisher.ts); this bench issues none. So the face is
 * rendered once, a loop of `LOOP_FRAMES` poses on a periodic wobble, and the frames are replayed
 * like footage: the bench process's CPU stays a publisher's, not a renderer's, while the monitor
 * is measured on the same two cores.
 */

/** The loop: 4 s at 20 fps. */
const FPS = 20;
const LOOP_FRAMES = 80;
/** Wobble amplitude, degrees (the mesh publisher's jitter is about 0.6°). */
const WOBBLE_DEG = 0.8;

export interface RoomCameraOptions {
  url: string;
  token: string;
  face: MeshFace;
  /** Publish simulcast layers, as a browser does (default true). */
  simulcast?: boolean;
  /** Top layer's bitrate cap, bits/s (default 500_000: livekit-client's 640x480 preset). */
  maxBitrate?: number;
  /** Encoder frame-rate cap (default 20). */
  maxFramerate?: number;
}

export interface RoomCamera {
  readonly framesSent: number;
  /** The scene shown in place of the candidate, or null. */
  readonly scene: PlayerScene | null;
  /**
   * Loops a scene in place of the candidate on the same track, or brings the candidate back with
   * null. Resolves with the `Date.now()` at which the first frame of the new content was handed to
   * the source.
   */
  show(scene: PlayerScene | null): Promise<number>;
  stop(): Promise<void>;
}

const faceLoops = new WeakMap<MeshFace, Uint8Array[]>();

/** The candidate's loop: the face at a smooth periodic wobble, one ArrayBuffer per frame (rtc-node ignores byteOffset). */
function faceLoop(face: MeshFace): Uint8Array[] {
  let frames = faceLoops.get(face);
  if (!frames) {
    frames = Array.from({ length: LOOP_FRAMES }, (_, i) => {
      const a = (2 * Math.PI * i) / LOOP_FRAMES;
      return face.renderI420({
        yawDeg: WOBBLE_DEG * (0.7 * Math.sin(a) + 0.3 * Math.sin(3 * a + 1)),
        pitchDeg: WOBBLE_DEG * (0.6 * Math.sin(2 * a + 0.5) + 0.4 * Math.cos(a)),
      });
    });
    faceLoops.set(face, frames);
  }
  return frames;
}

/** A scene's frames, from the clip the Chromium mesh player plays for it. */
export function loadRoomScene(scene: PlayerScene): Promise<Uint8Array[]> {
  const clip = MESH_PLAYER_SCENE_CLIPS[scene];
  return (PLAYER_CLIPS as readonly string[]).includes(clip)
    ? loadPlayerFrames().then((frames) => frames[clip as PlayerClip])
    : loadSceneFrames(clip as PlayerScene);
}

/** Connects, publishes the camera track and starts the candidate's loop; resolves once published. */
export async function startRoomCamera(options: RoomCameraOptions): Promise<RoomCamera> {
  const candidate = faceLoop(options.face);
  const room = new Room();
  let framesSent = 0;
  let index = 0;
  let stopped = false;
  let scene: { name: PlayerScene; frames: Uint8Array[]; index: number } | null = null;
  let shown: ((at: number) => void) | undefined;
  let showing = 0;

  await room.connect(options.url, options.token, { autoSubscribe: false, dynacast: false });
  const source = new VideoSource(MESH_WIDTH, MESH_HEIGHT);
  const track = LocalVideoTrack.createVideoTrack("camera", source);
  const publication = await room.localParticipant!.publishTrack(
    track,
    new TrackPublishOptions({
      source: TrackSource.SOURCE_CAMERA,
      simulcast: options.simulcast ?? true,
      videoEncoding: { maxBitrate: BigInt(options.maxBitrate ?? 500_000), maxFramerate: options.maxFramerate ?? FPS },
    }),
  );

  const clock = startFrameClock(FPS, (timestampUs) => {
    const buf = scene ? scene.frames[scene.index++ % scene.frames.length]! : candidate[index % candidate.length]!;
    index++; // the candidate's loop runs on behind a scene
    source.captureFrame(new VideoFrame(buf, MESH_WIDTH, MESH_HEIGHT, VideoBufferType.I420), timestampUs);
    framesSent++;
    if (shown) {
      shown(Date.now());
      shown = undefined;
    }
  });

  return {
    get framesSent() {
      return framesSent;
    },
    get scene() {
      return scene?.name ?? null;
    },
    async show(next) {
      const call = ++showing;
      const frames = next ? await loadRoomScene(next) : undefined;
      if (stopped) throw new Error("room camera: show() after stop()");
      if (call !== showing) return Date.now(); // a later call replaced this one
      return new Promise<number>((resolve) => {
        shown?.(Date.now());
        shown = resolve;
        scene = next ? { name: next, frames: frames!, index: 0 } : null;
      });
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      clock.stop();
      shown?.(Date.now());
      await room.localParticipant?.unpublishTrack(publication.sid!).catch(() => {});
      await track.close().catch(() => {});
      await source.close().catch(() => {});
      await room.disconnect().catch(() => {});
    },
  };
}
