import { Room, RoomEvent, type RemoteParticipant, type RemoteTrack, TrackKind, VideoBufferType, VideoStream } from "@livekit/rtc-node";
import { AccessToken, RoomServiceClient, TrackSource } from "livekit-server-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LiveKitSettings } from "../server/livekit/index.js";
import { toHttp } from "../server/livekit/livekit-rooms.js";
import { VERIFIER_TOPIC } from "../shared/verification.js";
import {
  FRAME_H,
  FRAME_W,
  librarySegments,
  loadAstronautPrint,
  loadCap12Frames,
  loadPoseTable,
  loadStills,
  type PoseTable,
  poseCoverage,
} from "./helpers/follow-attack-frames.js";
import { FOLLOW_ATTACKS, type FollowAttack, type FollowAttackKind, startFollowAttack } from "./helpers/follow-attacks.js";
import { sharedLiveKit } from "./helpers/livekit.js";

// Each follow-challenge attack through a real livekit-server: a hidden "verifier" sends target poses
// as data and receives the attacker's video; received frames are matched to the cap12 frames by
// 80x60 luma thumbnails. Deadlines are generous and no speed is asserted.

let livekit: LiveKitSettings;
const ROOM = "follow-attacks";
let table: PoseTable;
let refs: Uint8Array[] = [];
let verifier: Room;
const received = new Map<string, { at: number; t: Uint8Array }[]>();
let stopped = false;
const drains: Promise<void>[] = [];

const TW = 80;
const TH = 60;
function thumb(y: Uint8Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(TW * TH);
  for (let j = 0; j < TH; j++) {
    const row = Math.floor(((j + 0.5) * height) / TH) * width;
    for (let i = 0; i < TW; i++) out[j * TW + i] = y[row + Math.floor(((i + 0.5) * width) / TW)]!;
  }
  return out;
}
const dist = (a: Uint8Array, b: Uint8Array) => {
  let d = 0;
  for (let k = 0; k < a.length; k++) d += Math.abs(a[k]! - b[k]!);
  return d / a.length;
};
/** Index of the cap12 frame (of the 19–36 s stretch) a thumbnail is nearest to. */
const nearest = (t: Uint8Array) => refs.reduce((best, r, i) => (dist(t, r) < dist(t, refs[best]!) ? i : best), 0);

async function token(identity: string, grant: Record<string, unknown>): Promise<string> {
  const t = new AccessToken(livekit.apiKey, livekit.apiSecret, { identity, ttl: "5m" });
  t.addGrant({ room: ROOM, roomJoin: true, ...grant });
  return t.toJwt();
}

beforeAll(async () => {
  livekit = await sharedLiveKit();
  await new RoomServiceClient(toHttp(livekit.url), livekit.apiKey, livekit.apiSecret).createRoom({ name: ROOM });
  // Builds the cached pose table on a first run (every frame through the analyser, ~20 s).
  table = await loadPoseTable();
  const frames = await loadCap12Frames();
  refs = frames.map((f) => thumb(f, FRAME_W, FRAME_H));
  await Promise.all([loadStills(), loadAstronautPrint()]);

  verifier = new Room();
  verifier.on(RoomEvent.TrackSubscribed, (track: RemoteTrack, _pub, participant: RemoteParticipant) => {
    if (track.kind !== TrackKind.KIND_VIDEO) return;
    const list: { at: number; t: Uint8Array }[] = [];
    received.set(participant.identity, list);
    drains.push(
      (async () => {
        const reader = new VideoStream(track).getReader();
        while (!stopped) {
          const { value, done } = await reader.read();
          if (done) break;
          const f = value.frame.convert(VideoBufferType.I420);
          list.push({ at: Date.now(), t: thumb(f.data.subarray(0, f.width * f.height), f.width, f.height) });
        }
        reader.releaseLock();
      })(),
    );
  });
  await verifier.connect(livekit.url, await token("verifier", { hidden: true, canSubscribe: true, canPublish: false, canPublishData: true }), {
    autoSubscribe: true,
    dynacast: false,
  });
}, 120_000);

afterAll(async () => {
  stopped = true;
  await verifier?.disconnect();
  await Promise.all(drains.map((d) => d.catch(() => {})));
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Target path: 0.3 s facing, to +15° yaw in 0.4 s, held 0.7 s, to −15° in 0.6 s, held 0.7 s, back to 0 in 0.3 s. */
function path(): { yaw: number; pitch: number }[] {
  const pts: { yaw: number; pitch: number }[] = [];
  const seg = (from: number, to: number, ms: number) => {
    for (let k = 1; k <= ms / 50; k++) pts.push({ yaw: from + ((to - from) * k) / (ms / 50), pitch: 0 });
  };
  seg(0, 0, 300);
  seg(0, 15, 400);
  seg(15, 15, 700);
  seg(15, -15, 600);
  seg(-15, -15, 700);
  seg(-15, 0, 300);
  return pts;
}

/** Sends the path point by point every 50 ms; returns when each point was sent. */
async function sendTargets(identity: string, pts: { yaw: number; pitch: number }[]): Promise<number[]> {
  const sentAt: number[] = [];
  const t0 = Date.now();
  for (const [seq, p] of pts.entries()) {
    await sleep(Math.max(0, t0 + seq * 50 - Date.now()));
    sentAt.push(Date.now());
    await verifier.localParticipant!.publishData(
      new TextEncoder().encode(JSON.stringify({ type: "target", challengeId: "c", index: 0, seq, yaw: p.yaw, pitch: p.pitch })),
      { reliable: true, topic: VERIFIER_TOPIC, destination_identities: [identity] },
    );
  }
  return sentAt;
}

/** Starts an attack, waits for its first frames, runs the path, and hands back what was seen. */
async function run(kind: FollowAttackKind, extra: Partial<Parameters<typeof startFollowAttack>[1]> = {}) {
  const identity = `attacker-${kind}`;
  const attack: FollowAttack = await startFollowAttack(kind, {
    url: livekit.url,
    token: await token(identity, { canSubscribe: false, canPublish: true, canPublishSources: [TrackSource.CAMERA], canPublishData: false }),
    reactionMs: 300,
    ...extra,
  });
  try {
    const t0 = Date.now();
    while ((received.get(identity)?.length ?? 0) < 8 && Date.now() - t0 < 20_000) await sleep(50);
    expect(received.get(identity)?.length ?? 0).toBeGreaterThanOrEqual(8);
    const sentAt = await sendTargets(identity, path());
    await sleep(600); // the lagged tail, and the last frames through the encoder
    const frames = received.get(identity)!;
    console.log(
      `${kind}: ${attack.framesSent} frames sent, ${frames.length} received; ${attack.targets.length} targets received; ` +
        `shown: ${attack.shown.map((s) => `${s.label}@${s.at - sentAt[0]!}`).slice(0, 12).join(" ")}${attack.shown.length > 12 ? ` … (${attack.shown.length})` : ""}`,
    );
    expect(attack.targets.length).toBe(sentAt.length);
    return { attack, frames, sentAt, before: frames.filter((f) => f.at < sentAt[0]!), after: frames.filter((f) => f.at >= sentAt[0]!) };
  } finally {
    await attack.stop();
  }
}

/** When the first shown entry with this label appeared (relative to the first target), or -1. */
const shownAt = (a: FollowAttack, sentAt: number[], pred: (label: string) => boolean) => {
  const s = a.shown.find((e) => pred(e.label));
  return s ? s.at - sentAt[0]! : -1;
};

describe("follow-challenge attacks", () => {
  it("lists every kind once, with a description", () => {
    expect(FOLLOW_ATTACKS.map((a) => a.kind).sort()).toEqual(["clip_library", "flat_photo", "four_stills", "pose_lookup", "replay"]);
    const cov = poseCoverage(table);
    const f = (r: { min: number; p5: number; p95: number; max: number }) => `${r.min.toFixed(1)}…${r.max.toFixed(1)}° (p5–p95 ${r.p5.toFixed(1)}…${r.p95.toFixed(1)})`;
    console.log(`pose lookup (cap12 19–36 s, ${cov.withOneFace}/${cov.frames} frames with one face): yaw ${f(cov.yaw)}, pitch ${f(cov.pitch)}`);
    expect(cov.yaw.max).toBeGreaterThan(5);
    expect(cov.yaw.min).toBeLessThan(-5);
  });

  it("four_stills: shows the still nearest the lagged target", async () => {
    const stills = await loadStills();
    const { attack, sentAt, before, after } = await run("four_stills");
    const left = shownAt(attack, sentAt, (l) => l === "still:left");
    const right = shownAt(attack, sentAt, (l) => l === "still:right");
    // 0.5 × target passes halfway to the left still (8.65° measured) at 8.65° asked, sent at ~0.6 s.
    expect(left).toBeGreaterThanOrEqual(300);
    expect(right).toBeGreaterThan(left);
    const labels = ["facing", "left", "right"] as const;
    const still = (t: Uint8Array) => labels.reduce((a, b) => (dist(t, refs[stills[b].i]!) < dist(t, refs[stills[a].i]!) ? b : a));
    expect(before.slice(-3).every((f) => still(f.t) === "facing")).toBe(true);
    const seen = after.map((f) => still(f.t));
    expect(seen.indexOf("left")).toBeGreaterThanOrEqual(0);
    expect(seen.lastIndexOf("right")).toBeGreaterThan(seen.indexOf("left"));
  }, 40_000);

  it("clip_library: plays the recorded turn for each side the target leaves ±5° to", async () => {
    const seg = librarySegments(table);
    const { attack, sentAt, after } = await run("clip_library");
    const left = shownAt(attack, sentAt, (l) => l === "clip:left");
    const right = shownAt(attack, sentAt, (l) => l === "clip:right");
    expect(left).toBeGreaterThanOrEqual(300);
    expect(right).toBeGreaterThan(left);
    const idx = after.map((f) => nearest(f.t));
    const inSeg = (s: { from: number; to: number }) => idx.filter((i) => i >= s.from && i <= s.to).length;
    expect(inSeg(seg.left)).toBeGreaterThan(2);
    expect(inSeg(seg.right)).toBeGreaterThan(2);
  }, 40_000);

  it("pose_lookup: shows recorded frames whose pose follows the target", async () => {
    const { attack, sentAt, after } = await run("pose_lookup");
    const shownFrames = attack.shown.filter((s) => s.at >= sentAt[0]!).map((s) => Number(s.label.slice("frame:".length)));
    expect(new Set(shownFrames).size).toBeGreaterThan(3);
    const yawOf = (i: number) => table.rows[i]!.yaw;
    expect(Math.max(...shownFrames.map(yawOf))).toBeGreaterThan(4);
    expect(Math.min(...shownFrames.map(yawOf))).toBeLessThan(-4);
    const idx = after.map((f) => nearest(f.t));
    expect(new Set(idx).size).toBeGreaterThan(3);
    expect(Math.max(...idx.map(yawOf))).toBeGreaterThan(4);
    expect(Math.min(...idx.map(yawOf))).toBeLessThan(-4);
  }, 40_000);

  it("flat_photo: the warped print follows the target", async () => {
    const { attack, sentAt, before, after } = await run("flat_photo");
    const yaws = attack.shown.map((s) => Number(s.label.split(/[:,]/)[1]));
    expect(Math.max(...yaws)).toBeGreaterThanOrEqual(20);
    expect(Math.min(...yaws)).toBeLessThanOrEqual(-20);
    // Frames received while the target held +15° and −15° (lagged, with the encoder's delay) differ from facing.
    const facing = before.at(-1)!.t;
    const at = (ms: number) => after.reduce((a, b) => (Math.abs(b.at - sentAt[0]! - ms) < Math.abs(a.at - sentAt[0]! - ms) ? b : a)).t;
    const dLeft = dist(at(1_400), facing);
    const dRight = dist(at(2_750), facing);
    console.log(`flat_photo: mean |ΔY| from facing ${dLeft.toFixed(1)} at +15°, ${dRight.toFixed(1)} at −15°, ${dist(at(1_400), at(2_750)).toFixed(1)} between`);
    expect(dist(at(1_400), at(2_750))).toBeGreaterThan(2);
  }, 40_000);

  it("replay: holds the recording's first frame, then plays it from the first target", async () => {
    const frames = await loadCap12Frames();
    // Both recorded turns (frames 9–68, 2.4 s), so consecutive frames are told apart.
    const recording = { frames: frames.slice(9, 69).map((data, k) => ({ atMs: k * 40, data })) };
    const { attack, sentAt, before, after } = await run("replay", { recording });
    expect(shownAt(attack, sentAt, (l) => l === "replay:playing")).toBeGreaterThanOrEqual(0);
    expect(shownAt(attack, sentAt, (l) => l === "replay:ended")).toBeGreaterThan(2_000); // 2.4 s recorded
    expect(before.slice(-3).every((f) => Math.abs(nearest(f.t) - 9) <= 2)).toBe(true);
    const idx = after.map((f) => nearest(f.t));
    expect(new Set(idx).size).toBeGreaterThan(10);
    expect(Math.abs(idx.at(-1)! - 68)).toBeLessThanOrEqual(2);
  }, 40_000);
});
