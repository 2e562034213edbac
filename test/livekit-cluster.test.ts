import path from "node:path";
import { randomBytes } from "node:crypto";
import { Room, RoomEvent, type RemoteTrack, type RemoteParticipant } from "@livekit/rtc-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installLiveKit, LocalLiveKit } from "../server/livekit/index.js";
import { type SpawnedWorker, spawnVerifierWorker } from "../server/verifier/spawn.js";
import { tokenOf } from "./helpers/app.js";
import { type RunningKit, startKit } from "./helpers/kit-server.js";
import { type RunningRedis, startRedis } from "./helpers/redis.js";
import { startMeshPublisher } from "./helpers/mesh-publisher.js";
import { passWithMeshPlayer } from "./helpers/verification.js";

// Two real livekit-server nodes sharing a real Redis (Debian's redis-server) on loopback.
// The kit talks to node A; the verifier worker registers with node B; the candidate's
// media goes through node A and the interviewer connects to node B.
const ROOT = path.resolve(import.meta.dirname, "..");
const NODE_A = 18300;
const NODE_B = 18310;
const REDIS_PORT = 18320;

let redis: RunningRedis;
let nodeB: LocalLiveKit;
let worker: SpawnedWorker;
let kit: RunningKit;
const rooms: Room[] = [];

beforeAll(async () => {
  redis = await startRedis(REDIS_PORT);
  const binary = await installLiveKit(path.join(ROOT, ".tools"));
  const cluster = { redisAddress: redis.address, apiKey: `cluster${randomBytes(6).toString("hex")}`, apiSecret: randomBytes(32).toString("base64url") };
  const node = (port: number, webhookUrl?: string) =>
    LocalLiveKit.start({ binary, workDir: path.join(ROOT, ".cache", "test-livekit"), port, rtcTcpPort: port + 1, rtcUdpPort: port + 2, webhookUrl, cluster });
  nodeB = await node(NODE_B);
  kit = await startKit({ livekit: (webhookUrl) => node(NODE_A, webhookUrl) });
  worker = spawnVerifierWorker(nodeB.settings, { VERIFIER_IDLE_PROCESSES: "1" });
  await worker.ready;
}, 180_000);

afterAll(async () => {
  for (const r of rooms) await r.disconnect().catch(() => {});
  await worker?.stop();
  await kit?.stop();
  await nodeB?.stop();
  await redis?.stop();
});

/** Resolves with the first remote video track from `identity` that `room` subscribes to. */
function videoFrom(room: Room, identity: string, timeoutMs = 30_000): Promise<RemoteTrack> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no video from ${identity} within ${timeoutMs} ms`)), timeoutMs);
    room.on(RoomEvent.TrackSubscribed, (track: RemoteTrack, _pub, participant: RemoteParticipant) => {
      if (participant.identity === identity && track.kind === 2 /* KIND_VIDEO */) {
        clearTimeout(timer);
        resolve(track);
      }
    });
  });
}

describe("a LiveKit cluster of two nodes on one Redis", () => {
  it("a worker registered with node B verifies a candidate on node A; candidate (A) and interviewer (B) meet in one room", async () => {
    const { api } = kit;
    const { json, token, headers } = await api.candidateSession({ candidate: { name: "Cluster Candidate" } });
    const { status, tickets } = await passWithMeshPlayer(api, token, headers);
    for (const ticket of tickets) expect(ticket.serverUrl).toBe(`ws://127.0.0.1:${NODE_A}`);
    console.log("cluster verification:", JSON.stringify(status));
    // The only worker is on node B: the job dispatched through node A's API reached it.
    expect(status).toMatchObject({ state: "passed" });

    const grant = await (await api.call("POST", `/v1/candidate/${token}/join`, { headers })).json();
    expect(grant.serverUrl).toBe(`ws://127.0.0.1:${NODE_A}`);
    const candidate = await startMeshPublisher({ url: grant.serverUrl, token: grant.token });
    try {
      const interviewerGrant = await (await api.call("POST", `/v1/interviewer/${tokenOf(json.interviewerUrl!)}/join`)).json();
      const interviewer = new Room();
      rooms.push(interviewer);
      const video = videoFrom(interviewer, grant.identity);
      await interviewer.connect(nodeB.settings.url, interviewerGrant.token, { autoSubscribe: true, dynacast: false });
      expect(interviewer.name).toBe(grant.room);
      expect(await video).toBeDefined();
      // The hidden monitor, a job of the same worker on node B, watches the candidate's camera and reports to the kit.
      const deadline = Date.now() + 60_000;
      let monitor = await kit.app.store.monitoring.activeMonitor(json.id!);
      while (!monitor?.heartbeatAt && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 500));
        monitor = await kit.app.store.monitoring.activeMonitor(json.id!);
      }
      expect(monitor?.heartbeatAt).toBeTruthy();
    } finally {
      await candidate.stop();
    }
  }, 240_000);
});
