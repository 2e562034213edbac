import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalLiveKit } from "../server/livekit/index.js";
import { spawnVerifierWorker } from "../server/verifier/spawn.js";
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
});
