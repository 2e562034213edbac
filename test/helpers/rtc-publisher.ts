import { execFile } from "node:child_process";
import { promisify } from "node:util";
import {
  LocalVideoTrack,
  Room,
  RoomEvent,
  TrackPublishOptions,
  TrackSource,
  VideoBufferType,
  VideoFrame,
  VideoSource,
} from "@livekit/rtc-node";
import { VERIFIER_TOPIC } from "../../shared/verification.js";
import { PLAYER_CLIPS, type PlayerClip, type PlayerMode, type PlayerScene, type PlayerStep, playerClips, reactionClip } from "./reactive-player.js";
import { startFrameClock } from "./frame-clock.js";

/**
 * The reactive player without a browser, for benchmarks: a Node participant that
 * publishes the same real cap12 clips as a 640x480 30 fps camera track (idle
 * facing loop) and, when the verifier's `{type: "prompt", step}` data message
 * arrives on `VERIFIER_TOPIC`, plays that step's clip once after `reactionMs`.
 * `show(scene)` puts someone else (or no one) in front of the same camera track.
 */

export const PUBLISHER_WIDTH = 640;
export const PUBLISHER_HEIGHT = 480;
export const PUBLISHER_FPS = 30;
const FRAME_BYTES = (PUBLISHER_WIDTH * PUBLISHER_HEIGHT * 3) / 2; // I420

/** Every clip's frames as I420 buffers (640x480), decoded once per process with ffmpeg. */
export type ClipFrames = Record<PlayerClip, Uint8Array[]>;
let decoded: Promise<ClipFrames> | undefined;

async function decodeFrames(file: string): Promise<Uint8Array[]> {
  const { stdout } = await promisify(execFile)(
    "ffmpeg",
    ["-nostdin", "-v", "error", "-i", file, "-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", `${PUBLISHER_WIDTH}x${PUBLISHER_HEIGHT}`, "pipe:1"],
    { encoding: "buffer", maxBuffer: 256 * 1024 * 1024 },
  );
  const buf = new Uint8Array(stdout.buffer, stdout.byteOffset, stdout.byteLength);
  const frames: Uint8Array[] = [];
  // One ArrayBuffer per frame: rtc-node 0.13's VideoFrame hands the FFI `data.buffer`'s
  // address and ignores byteOffset, so a subarray of one big buffer always sends frame 0.
  for (let o = 0; o + FRAME_BYTES <= buf.byteLength; o += FRAME_BYTES) frames.push(buf.slice(o, o + FRAME_BYTES));
  if (!frames.length) throw new Error(`rtc-publisher: no frames decoded from ${file}`);
  return frames;
}

export function loadPlayerFrames(): Promise<ClipFrames> {
  return (decoded ??= (async () => {
    const files = playerClips();
    const entries = await Promise.all(PLAYER_CLIPS.map(async (clip) => [clip, await decodeFrames(files[clip])] as const));
    return Object.fromEntries(entries) as ClipFrames;
  })());
}

const sceneFrames = new Map<PlayerScene, Promise<Uint8Array[]>>();

/** A scene's frames (I420, 640x480), decoded on first use and kept for the process. */
export function loadSceneFrames(scene: PlayerScene): Promise<Uint8Array[]> {
  let frames = sceneFrames.get(scene);
  if (!frames) {
    frames = decodeFrames(playerClips()[scene]);
    frames.catch(() => sceneFrames.delete(scene));
    sceneFrames.set(scene, frames);
  }
  return frames;
}

/** One reaction (times are `Date.now()`). */
export interface PublishedReaction {
  step: PlayerStep;
  clip: PlayerStep;
  /** When the prompt data message arrived. */
  promptAt: number;
  /** When the clip's first frame was handed to the video source. */
  at: number;
  /** When the clip's last frame was handed over (absent while playing or if cut short). */
  endedAt?: number;
}

export interface ReactivePublisherOptions {
  url: string;
  /** A token that may publish camera video in the room (it need not subscribe). */
  token: string;
  /** Delay from the prompt message to the first frame of the move, ms (default 350). */
  reactionMs?: number;
  mode?: PlayerMode;
  /** Track name (default "camera"). */
  trackName?: string;
  /** Publish simulcast layers, as a browser does (default true). */
  simulcast?: boolean;
  /** Top layer's bitrate cap, bits/s (default 1_000_000). */
  maxBitrate?: number;
  /** Encoder frame-rate cap; the candidate page sends the verifier at most 15. */
  maxFramerate?: number;
}

export interface ReactivePublisher {
  room: Room;
  /** Reactions so far, in order. */
  played: PublishedReaction[];
  /** Every prompt received, reacted to or not. */
  prompts: { step: string; at: number; index?: number }[];
  /** Frames handed to the video source so far. */
  readonly framesSent: number;
  /** The clip being sent now (the candidate's; a scene shown is `scene`). */
  readonly current: PlayerClip;
  /** The scene shown in place of the candidate, or null. */
  readonly scene: PlayerScene | null;
  /**
   * Loops a scene in place of the candidate on the same track (prompts go unanswered
   * meanwhile), or brings the candidate's idle loop back with null. Resolves with the
   * `Date.now()` at which the first frame of the new content was handed to the source.
   */
  show(scene: PlayerScene | null): Promise<number>;
  /** Unpublishes, disconnects and stops the frame clock. */
  stop(): Promise<void>;
}

/** Connects, publishes the camera track and starts the idle loop; resolves once published. */
export async function startReactivePublisher(options: ReactivePublisherOptions): Promise<ReactivePublisher> {
  const frames = await loadPlayerFrames();
  const reactionMs = options.reactionMs ?? 350;
  const mode = options.mode ?? "cooperative";
  const room = new Room();
  const played: PublishedReaction[] = [];
  const prompts: ReactivePublisher["prompts"] = [];
  const timers = new Set<ReturnType<typeof setTimeout>>();

  let current: PlayerClip = "idle";
  let index = 0; // next frame of `current`
  let idleIndex = 0; // the idle loop keeps its own place, as if it ran on behind the move
  let entry: PublishedReaction | undefined;
  let framesSent = 0;
  let stopped = false;
  let scene: { name: PlayerScene; frames: Uint8Array[]; index: number } | null = null;
  let shown: ((at: number) => void) | undefined; // resolves `show` at the next frame handed over
  let showing = 0; // the latest `show` call wins

  room.on(RoomEvent.DataReceived, (payload, _participant, _kind, topic) => {
    if (topic !== VERIFIER_TOPIC || stopped) return;
    let msg: { type?: string; step?: string; index?: number };
    try {
      msg = JSON.parse(new TextDecoder().decode(payload));
    } catch {
      return;
    }
    if (msg.type !== "prompt" || typeof msg.step !== "string") return;
    const promptAt = Date.now();
    prompts.push({ step: msg.step, at: promptAt, index: msg.index });
    if (msg.step !== "turn_left" && msg.step !== "turn_right" && msg.step !== "move_closer") return;
    const step = msg.step;
    const clip = reactionClip(mode, step);
    if (!clip || scene) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (stopped || scene) return;
      current = clip;
      index = 0;
      entry = { step, clip, promptAt, at: 0 };
      played.push(entry);
    }, reactionMs);
    timers.add(timer);
  });

  await room.connect(options.url, options.token, { autoSubscribe: false, dynacast: false });
  const source = new VideoSource(PUBLISHER_WIDTH, PUBLISHER_HEIGHT);
  const track = LocalVideoTrack.createVideoTrack(options.trackName ?? "camera", source);
  const publication = await room.localParticipant!.publishTrack(
    track,
    new TrackPublishOptions({
      source: TrackSource.SOURCE_CAMERA,
      simulcast: options.simulcast ?? true,
      // Without an explicit encoding the SDK picks a preset capped at 25 fps for 640x480.
      // Like the candidate page in a verification room: the verifier analyses at most 15 frames a second.
      videoEncoding: { maxBitrate: BigInt(options.maxBitrate ?? 1_000_000), maxFramerate: options.maxFramerate ?? 15 },
    }),
  );

  const sendOne = (timestampUs: bigint) => {
    let buf: Uint8Array;
    if (scene) {
      buf = scene.frames[scene.index++ % scene.frames.length]!;
      idleIndex++;
    } else if (current === "idle") {
      const idle = frames.idle;
      buf = idle[idleIndex++ % idle.length]!;
    } else {
      const clip = frames[current];
      buf = clip[index]!;
      if (index === 0 && entry) entry.at = Date.now();
      idleIndex++;
      if (++index >= clip.length) {
        if (entry) entry.endedAt = Date.now();
        entry = undefined;
        current = "idle";
      }
    }
    source.captureFrame(
      new VideoFrame(buf, PUBLISHER_WIDTH, PUBLISHER_HEIGHT, VideoBufferType.I420),
      timestampUs,
    );
    framesSent++;
    if (shown) {
      shown(Date.now());
      shown = undefined;
    }
  };

  const clock = startFrameClock(PUBLISHER_FPS, sendOne);

  return {
    room,
    played,
    prompts,
    get framesSent() {
      return framesSent;
    },
    get current() {
      return current;
    },
    get scene() {
      return scene?.name ?? null;
    },
    async show(next) {
      const call = ++showing;
      const nextFrames = next ? await loadSceneFrames(next) : undefined;
      if (stopped) throw new Error("rtc-publisher: show() after stop()");
      if (call !== showing) return Date.now(); // a later call replaced this one
      return new Promise<number>((resolve) => {
        shown?.(Date.now());
        shown = resolve;
        if (next) {
          // The scene cuts any move short; the candidate comes back on the idle loop.
          entry = undefined;
          current = "idle";
          index = 0;
          scene = { name: next, frames: nextFrames!, index: 0 };
        } else {
          scene = null;
        }
      });
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      clock.stop();
      shown?.(Date.now());
      for (const t of timers) clearTimeout(t);
      await room.localParticipant?.unpublishTrack(publication.sid!).catch(() => {});
      await track.close().catch(() => {});
      await source.close().catch(() => {});
      await room.disconnect().catch(() => {});
    },
  };
}
