import { Room, RoomEvent, type RemoteTrack, TrackKind, VideoStream } from "@livekit/rtc-node";
import { AccessToken, RoomServiceClient, TrackSource } from "livekit-server-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LiveKitSettings } from "../server/livekit/index.js";
import { toHttp } from "../server/livekit/livekit-rooms.js";
import { createHumanAnalyzer, type FaceObservation, type HumanAnalyzer } from "../server/verifier/analyzer/index.js";
import { halve } from "../server/verifier/frames.js";
import { VERIFIER_TOPIC, type VerifierMessage } from "../shared/verification.js";
import { sharedLiveKit } from "./helpers/livekit.js";
import { loadMeshFace, MESH_HEIGHT, MESH_WIDTH, type MeshFace, type MeshPose } from "./helpers/mesh-face.js";
import { startMeshPublisher } from "./helpers/mesh-publisher.js";

// The 3D mesh face (a real photo's face, rendered at any head pose) as the server's analyser sees it,
// and the Node publisher that follows the verifier's `target` messages through a real livekit-server.

let face: MeshFace;
let analyzer: HumanAnalyzer;
let livekit: LiveKitSettings;
const ROOM = "mesh-face-selfcheck";

beforeAll(async () => {
  [face, analyzer, livekit] = await Promise.all([
    loadMeshFace(),
    createHumanAnalyzer({ embedding: false, antispoof: false }),
    sharedLiveKit(),
  ]);
  // The kit's LiveKit does not create rooms on join (room.auto_create: false).
  await new RoomServiceClient(toHttp(livekit.url), livekit.apiKey, livekit.apiSecret).createRoom({ name: ROOM });
});

afterAll(async () => {
  await analyzer?.close();
});

/** The analyser's reading of the render at `pose`, on the verifier's halved 320x240 frame. */
async function observe(pose: MeshPose): Promise<FaceObservation[]> {
  return (await analyzer.analyze(halve(face.renderRgb(pose)))).faces;
}

async function one(pose: MeshPose): Promise<FaceObservation> {
  const faces = await observe(pose);
  expect(faces, `faces at yaw ${pose.yawDeg}, pitch ${pose.pitchDeg}`).toHaveLength(1);
  return faces[0]!;
}

describe("mesh face", () => {
  it("renders the photo at pose (0, 0) with the face where human finds it", async () => {
    const f = await one({ yawDeg: 0, pitchDeg: 0 });
    // The mesh's own extent in the frame, normalised like the analyser's box.
    const xs = face.data.mesh.map((p) => p[0] / MESH_WIDTH);
    const ys = face.data.mesh.map((p) => p[1] / MESH_HEIGHT);
    const mx = (Math.min(...xs) + Math.max(...xs)) / 2;
    const my = (Math.min(...ys) + Math.max(...ys)) / 2;
    expect(f.score).toBeGreaterThan(0.5);
    expect(Math.abs(f.box.x + f.box.w / 2 - mx)).toBeLessThan(0.05);
    expect(Math.abs(f.box.y + f.box.h / 2 - my)).toBeLessThan(0.07);
    expect(f.box.w).toBeGreaterThan(0.15);
  });

  it("turns: yaw ±15° moves the analyser's yaw the opposite way, pitch ±8° its pitch the opposite way", async () => {
    const base = await one({ yawDeg: 0, pitchDeg: 0 });
    const left = await one({ yawDeg: 15, pitchDeg: 0 }); // the subject's left: nose toward image right
    const right = await one({ yawDeg: -15, pitchDeg: 0 });
    const up = await one({ yawDeg: 0, pitchDeg: 8 }); // chin up
    const down = await one({ yawDeg: 0, pitchDeg: -8 });
    console.log(
      `analyser at (0,0) yaw ${base.yawDeg.toFixed(1)} pitch ${base.pitchDeg.toFixed(1)}; ` +
        `yaw +15 → ${left.yawDeg.toFixed(1)}, -15 → ${right.yawDeg.toFixed(1)}; pitch +8 → ${up.pitchDeg.toFixed(1)}, -8 → ${down.pitchDeg.toFixed(1)}`,
    );
    // The analyser's yawDeg grows when the subject turns to his right (face-analyzer.ts), so it falls for yaw +.
    expect(left.yawDeg - base.yawDeg).toBeLessThan(-3);
    expect(right.yawDeg - base.yawDeg).toBeGreaterThan(3);
    // human's pitch falls when the chin comes up.
    expect(up.pitchDeg - base.pitchDeg).toBeLessThan(-2.5);
    expect(down.pitchDeg - base.pitchDeg).toBeGreaterThan(2.5);
    // A yaw leaves the pitch nearly alone, and the other way round.
    expect(Math.abs(up.yawDeg - base.yawDeg)).toBeLessThan(Math.abs(left.yawDeg - base.yawDeg));
    expect(Math.abs(left.pitchDeg - base.pitchDeg)).toBeLessThan(Math.abs(up.pitchDeg - base.pitchDeg));
  });

  it("publisher follows a target received over LiveKit data only after its reaction time", async () => {
    const token = (identity: string, grant: Record<string, unknown>) => {
      const t = new AccessToken(livekit.apiKey, livekit.apiSecret, { identity, ttl: "5m" });
      t.addGrant({ room: ROOM, roomJoin: true, ...grant });
      return t.toJwt();
    };
    const verifier = new Room();
    let framesReceived = 0;
    let stopped = false;
    let draining: Promise<void> | undefined;
    verifier.on(RoomEvent.TrackSubscribed, (track: RemoteTrack) => {
      if (track.kind !== TrackKind.KIND_VIDEO) return;
      draining = (async () => {
        const reader = new VideoStream(track).getReader();
        while (!stopped) {
          const { done } = await reader.read();
          if (done) break;
          framesReceived++;
        }
        reader.releaseLock();
      })();
    });
    await verifier.connect(livekit.url, await token("verifier", { hidden: true, canSubscribe: true, canPublish: false, canPublishData: true }), {
      autoSubscribe: true,
      dynacast: false,
    });
    const reactionMs = 300;
    const publisher = await startMeshPublisher({
      url: livekit.url,
      token: await token("candidate", { canSubscribe: false, canPublish: true, canPublishSources: [TrackSource.CAMERA], canPublishData: false }),
      reactionMs,
      face,
      seed: 7,
    });
    const send = (message: VerifierMessage) =>
      verifier.localParticipant!.publishData(new TextEncoder().encode(JSON.stringify(message)), {
        reliable: true,
        topic: VERIFIER_TOPIC,
        destination_identities: ["candidate"],
      });
    try {
      await until(() => framesReceived > 0, 20_000);
      expect(framesReceived).toBeGreaterThan(0);

      await send({ type: "prompt", challengeId: "c", index: 0, total: 1, step: "follow" });
      const sentAt = Date.now();
      await send({ type: "target", challengeId: "c", index: 0, seq: 0, yaw: 15, pitch: -6 });
      const reached = () => publisher.rendered.find((r) => r.targetSeq === 0 && Math.abs(r.yaw - 15) < 3 && Math.abs(r.pitch + 6) < 3);
      await until(() => reached() !== undefined, 10_000);

      expect(publisher.messages.map((m) => m.message.type)).toEqual(["prompt", "target"]);
      expect(publisher.targets).toHaveLength(1);
      const target = publisher.targets[0]!;
      expect(target).toMatchObject({ challengeId: "c", index: 0, seq: 0, yaw: 15, pitch: -6 });
      expect(target.at).toBeGreaterThanOrEqual(sentAt);
      const dueAt = target.at + reactionMs;
      const { rendered } = publisher;
      expect(rendered.map((r) => r.at)).toEqual([...rendered.map((r) => r.at)].sort((a, b) => a - b));
      // Before the reaction time: still facing the camera, near (0, 0) within the jitter.
      const before = rendered.filter((r) => r.at < dueAt);
      expect(before.length).toBeGreaterThan(0);
      expect(before.every((r) => r.targetSeq === -1 && Math.abs(r.yaw) < 4 && Math.abs(r.pitch) < 4)).toBe(true);
      // After it: heading for the target, first part way, then there.
      const first = rendered.find((r) => r.targetSeq === 0)!;
      expect(first.at).toBeGreaterThanOrEqual(dueAt);
      const halfWay = rendered.find((r) => r.yaw > 7.5)!;
      expect(halfWay.at).toBeGreaterThanOrEqual(dueAt);
      expect(reached()!.at).toBeGreaterThanOrEqual(halfWay.at);
      console.log(
        `target arrived +${target.at - sentAt} ms after sending; first frame toward it +${first.at - target.at} ms, ` +
          `half way +${halfWay.at - target.at} ms, within 3° +${reached()!.at - target.at} ms; ${publisher.framesSent} frames sent, ${framesReceived} received`,
      );
    } finally {
      stopped = true;
      await publisher.stop();
      await verifier.disconnect();
      await draining?.catch(() => {});
    }
  }, 60_000);
});

async function until(done: () => boolean, timeoutMs: number): Promise<void> {
  const t0 = Date.now();
  while (!done() && Date.now() - t0 < timeoutMs) await new Promise((r) => setTimeout(r, 25));
}
