import { execFileSync } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalLiveKit } from "../server/livekit/index.js";
import { AgentDispatchClient, RoomServiceClient } from "livekit-server-sdk";
import { VERIFIER_AGENT_NAME } from "../server/livekit/index.js";
import { toHttp } from "../server/livekit/livekit-rooms.js";
import { signJobMetadata } from "../server/livekit/job-signature.js";
import { spawnVerifierWorker } from "../server/verifier/spawn.js";
import { generateFollowSchedule, secureRandom } from "../server/verification/index.js";
import { startTestLiveKit } from "./helpers/livekit.js";
import { alive } from "./helpers/processes.js";

// A real verifier worker process on its own livekit-server (so no other suite's job reaches it).
let livekit: LocalLiveKit;

beforeAll(async () => {
  livekit = await startTestLiveKit(17940);
});
afterAll(async () => {
  await livekit?.stop();
});

/** Every process below `pid` (the job processes LiveKit Agents forks), from `ps`. */
function descendants(pid: number): number[] {
  const rows = execFileSync("ps", ["-eo", "pid=,ppid="], { encoding: "utf8" })
    .trim()
    .split("\n")
    .map((l) => l.trim().split(/\s+/).map(Number) as [number, number]);
  const found: number[] = [];
  const parents = [pid];
  while (parents.length) {
    const parent = parents.pop()!;
    for (const [child, ppid] of rows) {
      if (ppid !== parent) continue;
      found.push(child);
      parents.push(child);
    }
  }
  return found;
}

/** The processes of `pids` still alive after `ms` (a killed one lingers briefly until it is reaped). */
async function survivorsAfter(pids: number[], ms: number): Promise<number[]> {
  const deadline = Date.now() + ms;
  while (pids.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return pids.filter(alive);
}

describe("the verifier worker process", () => {
  it("leaves no job process behind when stopped while its idle processes are still loading", async () => {
    const worker = spawnVerifierWorker(livekit.settings, { VERIFIER_IDLE_PROCESSES: "2" });
    await worker.ready;
    // Right after registering, the idle job processes are still loading their models.
    const jobs = descendants(worker.child.pid!);
    expect(jobs.length).toBeGreaterThan(0);
    await worker.stop();
    // Before the worker led a process group, idle processes orphaned mid-load lived on for about 13 s.
    expect(await survivorsAfter(jobs, 2000), "job processes outlived stop()").toEqual([]);
  }, 60_000);

  it("takes its job processes with it when the worker itself was killed outright", async () => {
    const worker = spawnVerifierWorker(livekit.settings, { VERIFIER_IDLE_PROCESSES: "2" });
    await worker.ready;
    const jobs = descendants(worker.child.pid!);
    expect(jobs.length).toBeGreaterThan(0);
    worker.child.kill("SIGKILL");
    await worker.exited;
    await worker.stop();
    expect(await survivorsAfter(jobs, 2000)).toEqual([]);
  }, 60_000);

  it("goes, with its job processes, when the kit that started it dies without stopping it", async () => {
    const worker = spawnVerifierWorker(livekit.settings, { VERIFIER_IDLE_PROCESSES: "1" });
    await worker.ready;
    const processes = [worker.child.pid!, ...descendants(worker.child.pid!)];
    // What a killed kit leaves: the worker's standard input closes, and nobody calls stop().
    worker.child.stdin!.end();
    expect(await survivorsAfter(processes, 5000)).toEqual([]);
    await worker.stop();
  }, 60_000);

  it("accepts only jobs the kit signed, reporting to the kit's origin (security review 2, finding 4)", async () => {
    // A stand-in for the kit's report API, so the accepted job has somewhere to report.
    const kit = http.createServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end('{"recorded":true}'));
    await new Promise<void>((r) => kit.listen(0, "127.0.0.1", r));
    const kitOrigin = `http://127.0.0.1:${(kit.address() as AddressInfo).port}`;
    const worker = spawnVerifierWorker(livekit.settings, { VERIFIER_IDLE_PROCESSES: "1", KIT_INTERNAL_URL: kitOrigin });
    const { url, apiKey, apiSecret } = livekit.settings;
    const rooms = new RoomServiceClient(toHttp(url), apiKey, apiSecret);
    const dispatch = new AgentDispatchClient(toHttp(url), apiKey, apiSecret);
    try {
      await worker.ready;
      const job = (id: string, reportUrl: string) => ({
        kind: "verification", challengeId: id, room: `verify-${id}`, candidateIdentity: `candidate-${id}`, steps: ["follow"], delaysMs: [1000], path: generateFollowSchedule(secureRandom).path,
        reportUrl, reportToken: "r".repeat(43),
      });
      /** Dispatches `metadata` into a fresh room; true when the worker's job joined it within `ms` (a refused job never does). */
      const joins = async (id: string, metadata: string, ms = 5_000) => {
        const room = `verify-${id}`;
        await rooms.createRoom({ name: room, emptyTimeout: 60 });
        await dispatch.createDispatch(room, VERIFIER_AGENT_NAME, { metadata });
        const deadline = Date.now() + ms;
        while (Date.now() < deadline) {
          if ((await rooms.listParticipants(room)).some((p) => p.identity === `verifier-${id}`)) return true;
          await new Promise((r) => setTimeout(r, 200));
        }
        return false;
      };
      // The kit's own job is taken (so the refusals below are the signature's and the origin's)…
      expect(await joins("ch_kit", signJobMetadata(job("ch_kit", `${kitOrigin}/internal/verifier/challenges/ch_kit`), apiSecret), 20_000)).toBe(true);
      // …not what a participant with admin rights on the room could dispatch: a job naming an internal URL,
      expect(await joins("ch_unsigned", JSON.stringify(job("ch_unsigned", "http://10.0.0.5:8080/hook")))).toBe(false);
      // one signed by someone without the API secret,
      expect(await joins("ch_forged", signJobMetadata(job("ch_forged", `${kitOrigin}/internal/x`), "not-the-secret"))).toBe(false);
      // or one signed but reporting elsewhere than the kit.
      expect(await joins("ch_elsewhere", signJobMetadata(job("ch_elsewhere", "http://10.0.0.5:8080/hook"), apiSecret))).toBe(false);
    } finally {
      await worker.stop();
      kit.close();
    }
  }, 120_000);
});
