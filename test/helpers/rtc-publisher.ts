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
import { PLAYER_CLIPS, type PlayerClip, type PlayerMode, type PlayerStep, playerClips, reactionClip } from "./reactive-player.js";

/**
 * The reactive player without a browser, for benchmarks: a Node participant that
 * publishes the same real cap12 clips as a 640x480 30 fps camera track (idle
 * facing loop) and, when the verifier's `{type: "prompt", step}` data message
 * arrives on `VERIFIER_TOPIC`, plays that step's clip once after `reactionMs`.
 */

export const PUBLISHER_WIDTH = 640;
export const PUBLISHER_HEIGHT = 480;
export const PUBLISHER_FPS = 30;
const FRAME_BYTES = (PUBLISHER_WIDTH * PUBLISHER_HEIGHT * 3) / 2; // I420

/** Every clip's frames as I420 buffers (640x480), decoded once per process with ffmpeg. */
export type ClipFrames = Record<PlayerClip, Uint8Array[]>;
let decoded: Promise<ClipFrames> | undefined;

export function loadPlayerFrames(): Promise<ClipFrames> {
  return (decoded ??= (async () => {
    const files = playerClips();
    const entries = await Promise.all(
      PLAYER_CLIPS.map(async (clip) => {
        const { stdout } = await promisify(execFile)(
          "ffmpeg",
          ["-nostdin", "-v", "error", "-i", files[clip], "-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", `${PUBLISHER_WIDTH}x${PUBLISHER_HEIGHT}`, "pipe:1"],
          { encoding: "buffer", maxBuffer: 256 * 1024 * 1024 },
        );
        const buf = new Uint8Array(stdout.buffer, stdout.byteOffset, stdout.byteLength);
        const frames: Uint8Array[] = [];
        // One ArrayBuffer per frame: rtc-node 0.13's VideoFrame hands the FFI `data.buffer`'s
        // address and ignores byteOffset, so a subarray of one big buffer always sends frame 0.
        for (let o = 0; o + FRAME_BYTES <= buf.byteLength; o += FRAME_BYTES) frames.push(buf.slice(o, o + FRAME_BYTES));
        if (!frames.length) throw new Error(`rtc-publisher: no frames decoded from ${files[clip]}`);
        return [clip, frames] as const;
      }),
    );
    return Object.fromEntries(entries) as ClipFrames;
  })());
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
  /** The clip being sent now. */
  readonly current: PlayerClip;
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
    if (!clip) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (stopped) return;
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
    if (current === "idle") {
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
  };

  // A drift-free 30 fps clock: frame n goes out at start + n/30 s.
  const frameMs = 1000 / PUBLISHER_FPS;
  const start = performance.now();
  let n = 0;
  let clock: ReturnType<typeof setTimeout> | undefined;
  const tick = () => {
    if (stopped) return;
    // Timestamps on the ideal grid: timer jitter must not read as a rate above 30 fps.
    sendOne(BigInt(Math.round((start + n * frameMs) * 1000)));
    n++;
    const late = performance.now() - (start + n * frameMs);
    if (late > 5 * frameMs) n = Math.floor((performance.now() - start) / frameMs); // stalled: skip, don't burst
    clock = setTimeout(tick, Math.max(0, start + n * frameMs - performance.now()));
  };
  tick();

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
    async stop() {
      if (stopped) return;
      stopped = true;
      clearTimeout(clock);
      for (const t of timers) clearTimeout(t);
      await room.localParticipant?.unpublishTrack(publication.sid!).catch(() => {});
      await track.close().catch(() => {});
      await source.close().catch(() => {});
      await room.disconnect().catch(() => {});
    },
  };
}
