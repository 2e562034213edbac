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
import { VERIFIER_TOPIC, VerifierMessage } from "../../shared/verification.js";
import { loadMeshFace, MESH_HEIGHT, MESH_WIDTH, type MeshFace } from "./mesh-face.js";
import { startFrameClock } from "./frame-clock.js";
import { seeded } from "./prng.js";

/**
 * A bona fide candidate for the continuous `follow` challenge, without a browser: a Node participant
 * that publishes a 640x480 camera track of the astronaut's face rendered in 3D (test/helpers/mesh-face.ts)
 * and turns that head after the verifier's `target` messages the way a person does: every frame shows
 * the most recent target received at least `reactionMs` earlier (times `gain`), through a first-order
 * low pass (time constant `smoothingMs`), plus a small smooth random jitter. Facing (0, 0) until the
 * first target is due. Other verifier messages are only logged in `messages`.
 */

export interface MeshPublisherOptions {
  url: string;
  /** A token that may publish camera video in the room (it need not subscribe). */
  token: string;
  /** A target is followed once it is this old, ms (default 300). */
  reactionMs?: number;
  /** Standard deviation of the head's random jitter per axis, degrees (default 0.6; 0 for none). */
  jitterDeg?: number;
  /** How long the jitter takes to decorrelate, ms (default 250: a slow wobble, not per-frame noise). */
  jitterMs?: number;
  /** Frames per second sent (default 20). */
  fps?: number;
  /** How far the head goes for a given target, 1 = exactly (default 1). */
  gain?: number;
  /** Time constant of the head's low pass toward the lagged target, ms (default 80). */
  smoothingMs?: number;
  /** Keep every published I420 frame in `recorded` (for a replay elsewhere). Default false. */
  recorded?: boolean;
  /** A face loaded already (default: `loadMeshFace()`). */
  face?: MeshFace;
  /** Seed of the jitter's random numbers (default: random). */
  seed?: number;
  /** Track name (default "camera"). */
  trackName?: string;
  /** Publish simulcast layers, as a browser does (default true). */
  simulcast?: boolean;
  /** Top layer's bitrate cap, bits/s (default 1_000_000). */
  maxBitrate?: number;
  /** Encoder frame-rate cap (default `fps`). */
  maxFramerate?: number;
  /**
   * An attack on the verifier's frame timing: how many ms earlier than its true capture time each
   * frame is stamped, given the ms since the first target arrived (0 before any). Default none.
   */
  backdateMs?: (sinceFirstTargetMs: number) => number;
  /**
   * Frames shown once the verifier asks for an identity document (`document_prompt`), in turn, on the
   * same camera track (as a candidate holding the document up to their camera): each its own size.
   */
  documentFrames?: { i420: Uint8Array; width: number; height: number }[];
}

/** A `target` message as received (`at` is `Date.now()` on arrival). */
export interface ReceivedTarget {
  at: number;
  challengeId: string;
  index: number;
  seq: number;
  yaw: number;
  pitch: number;
}

/** One frame's pose as rendered and handed to the video source (`at`: its capture time on the `Date.now()` clock). */
export interface RenderedPose {
  at: number;
  /** The frame's capture timestamp (µs, performance clock), as given to the source. */
  timestampUs: bigint;
  yaw: number;
  pitch: number;
  /** `seq` of the target the head was heading for, or -1 before any target was due. */
  targetSeq: number;
}

export interface RecordedFrame {
  at: number;
  timestampUs: bigint;
  /** 640x480 I420, its own ArrayBuffer. */
  i420: Uint8Array;
}

export interface MeshPublisher {
  room: Room;
  face: MeshFace;
  /** Every `target` received, in order of arrival. */
  targets: ReceivedTarget[];
  /** Every verifier message received (any type), for logs. */
  messages: { at: number; message: VerifierMessage }[];
  /** Every frame sent, in order. */
  rendered: RenderedPose[];
  /** Every frame sent as I420, when started with `recorded: true` (else empty). */
  recorded: RecordedFrame[];
  readonly framesSent: number;
  /** Unpublishes, disconnects and stops the frame clock. */
  stop(): Promise<void>;
}

/** Connects, publishes the camera track and starts sending frames; resolves once published. */
export async function startMeshPublisher(options: MeshPublisherOptions): Promise<MeshPublisher> {
  const face = options.face ?? (await loadMeshFace());
  const reactionMs = options.reactionMs ?? 300;
  const jitterDeg = options.jitterDeg ?? 0.6;
  const jitterMs = options.jitterMs ?? 250;
  const fps = options.fps ?? 20;
  const gain = options.gain ?? 1;
  const smoothingMs = options.smoothingMs ?? 80;
  const random = seeded(options.seed ?? Math.floor(Math.random() * 2 ** 32));
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

  const room = new Room();
  const targets: ReceivedTarget[] = [];
  const messages: MeshPublisher["messages"] = [];
  const rendered: RenderedPose[] = [];
  const recorded: RecordedFrame[] = [];
  let framesSent = 0;
  let stopped = false;
  /** Document frames sent since the prompt; undefined until it came. */
  let documentShown: number | undefined;

  room.on(RoomEvent.DataReceived, (payload, _participant, _kind, topic) => {
    if (topic !== VERIFIER_TOPIC || stopped) return;
    const at = Date.now();
    let parsed;
    try {
      parsed = VerifierMessage.safeParse(JSON.parse(new TextDecoder().decode(payload)));
    } catch {
      return;
    }
    if (!parsed.success) return;
    const message = parsed.data;
    messages.push({ at, message });
    if (message.type === "document_prompt") documentShown = 0;
    if (message.type === "target") {
      const { challengeId, index, seq, yaw, pitch } = message;
      targets.push({ at, challengeId, index, seq, yaw, pitch });
    }
  });

  await room.connect(options.url, options.token, { autoSubscribe: false, dynacast: false });
  const source = new VideoSource(MESH_WIDTH, MESH_HEIGHT);
  const track = LocalVideoTrack.createVideoTrack(options.trackName ?? "camera", source);
  const publication = await room.localParticipant!.publishTrack(
    track,
    new TrackPublishOptions({
      source: TrackSource.SOURCE_CAMERA,
      simulcast: options.simulcast ?? true,
      // Without an explicit encoding the SDK picks a preset capped at 25 fps for 640x480.
      videoEncoding: { maxBitrate: BigInt(options.maxBitrate ?? 1_000_000), maxFramerate: options.maxFramerate ?? fps },
    }),
  );

  // The head: the lagged target through a low pass, plus an Ornstein-Uhlenbeck wobble.
  let due = -1; // index in `targets` of the most recent one at least reactionMs old
  let yaw = 0;
  let pitch = 0;
  let jYaw = 0;
  let jPitch = 0;
  let last: number | undefined;
  const sendOne = (timestampUs: bigint) => {
    const documents = options.documentFrames;
    if (documentShown !== undefined && documents?.length) {
      const shown = documents[documentShown++ % documents.length]!;
      // A copy per frame: rtc-node's VideoFrame ignores byteOffset and may keep the buffer.
      source.captureFrame(new VideoFrame(shown.i420.slice(), shown.width, shown.height, VideoBufferType.I420), timestampUs);
      framesSent++;
      return;
    }
    // The head as it is at the frame's own capture time (on the wall clock), as a camera shows it: after a
    // stall the clock sends the missed frames at once, and each must show its own moment, not a leap.
    const now = Date.now() - (performance.now() - Number(timestampUs) / 1000);
    while (due + 1 < targets.length && targets[due + 1]!.at <= now - reactionMs) due++;
    const goal = due >= 0 ? targets[due]! : undefined;
    const dt = last === undefined ? 0 : Math.max(0, now - last);
    last = now;
    const k = 1 - Math.exp(-dt / smoothingMs);
    yaw += ((goal ? goal.yaw * gain : 0) - yaw) * k;
    pitch += ((goal ? goal.pitch * gain : 0) - pitch) * k;
    if (jitterDeg > 0 && dt > 0) {
      const decay = Math.exp(-dt / jitterMs);
      const kick = jitterDeg * Math.sqrt(1 - decay * decay);
      jYaw = jYaw * decay + kick * gauss();
      jPitch = jPitch * decay + kick * gauss();
    }
    const pose = { yawDeg: yaw + jYaw, pitchDeg: pitch + jPitch };
    // One ArrayBuffer per frame: rtc-node's VideoFrame ignores byteOffset (see rtc-publisher.ts).
    const i420 = face.renderI420(pose);
    const backdate = options.backdateMs && targets[0] ? options.backdateMs(now - targets[0].at) : 0;
    source.captureFrame(new VideoFrame(i420, MESH_WIDTH, MESH_HEIGHT, VideoBufferType.I420), timestampUs - BigInt(Math.round(backdate * 1000)));
    framesSent++;
    rendered.push({ at: now, timestampUs, yaw: pose.yawDeg, pitch: pose.pitchDeg, targetSeq: goal?.seq ?? -1 });
    if (options.recorded) recorded.push({ at: now, timestampUs, i420 });
  };

  const clock = startFrameClock(fps, sendOne);

  return {
    room,
    face,
    targets,
    messages,
    rendered,
    recorded,
    get framesSent() {
      return framesSent;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      clock.stop();
      await room.localParticipant?.unpublishTrack(publication.sid!).catch(() => {});
      await track.close().catch(() => {});
      await source.close().catch(() => {});
      await room.disconnect().catch(() => {});
    },
  };
}
