import { execFileSync } from "node:child_process";
import type { Browser } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { consentAndSettle, openCandidate } from "../helpers/candidate-page.js";
import { type RunningKit, startKit } from "../helpers/kit-server.js";
import { startMeshPublisher } from "../helpers/mesh-publisher.js";
import { tokenOf } from "../helpers/app.js";
import { pollForEvent } from "../helpers/events.js";
import { waitForStatus } from "../helpers/verification.js";
import { dispatchedJob, postReport } from "../helpers/verifier-job.js";

const kits: RunningKit[] = [];
const browsers: Browser[] = [];
afterAll(async () => {
  await Promise.all(browsers.map((b) => b.close()));
  for (const kit of kits) await kit.stop();
});

/** Process ids of every descendant of `pid` (the worker forks one process per job). */
function descendants(pid: number): number[] {
  const out = execFileSync("ps", ["-e", "-o", "pid=,ppid="]).toString();
  const children = new Map<number, number[]>();
  for (const line of out.trim().split("\n")) {
    const [child, parent] = line.trim().split(/\s+/).map(Number) as [number, number];
    children.set(parent, [...(children.get(parent) ?? []), child]);
  }
  const all: number[] = [];
  const walk = (p: number) => (children.get(p) ?? []).forEach((c) => (all.push(c), walk(c)));
  walk(pid);
  return all;
}

/** The suite's kit with a livekit-server and a verifier worker of its own, whose job processes a test may kill. */
let isolated: RunningKit | undefined;
async function isolatedKit(): Promise<RunningKit> {
  // Two attempts: the refund must leave both, and a busy machine may need the product's own retry after it.
  isolated ??= await startKit({ maxAttempts: 2, isolated: { portBase: 17920, worker: true } });
  if (!kits.includes(isolated)) kits.push(isolated);
  return isolated;
}

describe("a verifier that dies mid-check", () => {
  it("gives the candidate a named failure and a retry that does not use up an attempt", async () => {
    const kit = await isolatedKit();
    const { api } = kit;
    const { token, headers } = await api.candidateSession({ candidate: { name: "Unlucky" } });
    const ticket = await (await api.call("POST", `/v1/candidate/${token}/liveness`, { headers })).json();
    const publisher = await startMeshPublisher({ url: ticket.serverUrl, token: ticket.token, maxFramerate: 15 });
    try {
      // Wait until the verifier is running the check, then kill its job processes outright.
      for (let i = 0; i < 100; i++) {
        const s = await (await api.call("GET", `/v1/candidate/${token}/liveness/${ticket.challengeId}`, { headers })).json();
        if (s.phase === "running") break;
        await new Promise((r) => setTimeout(r, 200));
      }
      const jobs = descendants(kit.worker!.child.pid!);
      expect(jobs.length).toBeGreaterThan(0);
      for (const pid of jobs) process.kill(pid, "SIGKILL");
      const status = await waitForStatus(api, token, headers, ticket.challengeId, 30_000);
      expect(status).toMatchObject({ state: "failed", failure: "VerifierUnavailable", refunded: true, attemptsLeft: 2 });
    } finally {
      await publisher.stop();
    }
    // The retry is free and the worker still takes jobs: a cooperative candidate passes within the attempts left.
    let passed = false;
    for (let attemptsLeft = 2; attemptsLeft > 0 && !passed; ) {
      const retry = await (await api.call("POST", `/v1/candidate/${token}/liveness`, { headers })).json();
      expect(retry.attemptsLeft).toBe(attemptsLeft - 1);
      const again = await startMeshPublisher({ url: retry.serverUrl, token: retry.token, maxFramerate: 15 });
      try {
        const verdict = await waitForStatus(api, token, headers, retry.challengeId, 60_000);
        passed = verdict.state === "passed";
        attemptsLeft = Number(verdict.attemptsLeft);
      } finally {
        await again.stop();
      }
    }
    expect(passed).toBe(true);
    expect((await api.call("POST", `/v1/candidate/${token}/join`, { headers })).status).toBe(200);
  }, 240_000);
});

describe("a monitor that dies mid-interview (review 2, finding 14)", () => {
  it("is reported as monitor_lost and replaced while the candidate is in the room", async () => {
    const kit = await isolatedKit();
    const { api } = kit;
    const { json, token, headers } = await api.candidateSession({ candidate: { name: "Watched" } });
    const ticket = await (await api.call("POST", `/v1/candidate/${token}/liveness`, { headers })).json();
    const job = await dispatchedJob(kit.livekit.settings, ticket.room);
    const pass = { type: "verdict", passed: true, reasons: ["posted by the test"], steps: [], trace: [], snapshots: [], framesAnalysed: 0, analysedFps: 0 };
    expect((await postReport(api.call, job, pass)).status).toBe(200);
    const grant = await (await api.call("POST", `/v1/candidate/${token}/join`, { headers })).json();
    type Event = { type: string; actor: string; at: string; data: Record<string, unknown> };
    const events = async () => (await (await api.call("GET", `/v1/interviews/${json.id}`, { headers: api.auth })).json()).events as Event[];
    const camera = await startMeshPublisher({ url: grant.serverUrl, token: grant.token });
    try {
      await pollForEvent(events, json.id!, (e) => e.type === "camera_judged", 90_000);
      const started = (await events()).filter((e) => e.type === "monitor_started");
      expect(started).toHaveLength(1);
      // The monitor's job process dies outright (with the worker's idle ones): its reports stop.
      for (const pid of descendants(kit.worker!.child.pid!)) process.kill(pid, "SIGKILL");
      const lost = await pollForEvent(events, json.id!, (e) => e.type === "monitor_lost", 60_000);
      expect(lost).toMatchObject({ actor: "system", data: { monitorId: started[0]!.data.monitorId } });
      expect(lost.data.silentSeconds as number).toBeGreaterThanOrEqual(15);
      // Another monitor takes over the same camera.
      const replaced = await pollForEvent(events, json.id!, (e) => e.type === "monitor_started" && e.data.monitorId !== started[0]!.data.monitorId, 120_000);
      expect(replaced.actor).toBe("monitor");
      await pollForEvent(events, json.id!, (e) => e.type === "camera_judged" && e.at > lost.at, 60_000);
      expect((await events()).filter((e) => e.type === "monitor_lost")).toHaveLength(1);
    } finally {
      await camera.stop();
      await api.call("POST", `/v1/interviewer/${tokenOf(json.interviewerUrl!)}/end`);
    }
  }, 300_000);
});

describe("the test-only mesh-face player in production configuration", () => {
  it("is refused as a tampered camera and reported to the interviewer", async () => {
    const kit = await startKit({ allowFakeCamera: false });
    kits.push(kit);
    const { json } = await kit.api.createInterview({ candidate: { name: "Player In Prod" } });
    const { browser, page } = await openCandidate(json.candidateUrl!, { mesh: {} });
    browsers.push(browser);
    expect(await consentAndSettle(page, 60_000)).toBe("camera_failed");
    expect(await page.getAttribute("#camera-failure", "data-failure")).toBe("VirtualCameraOnly");
    const detail = await (await kit.api.call("GET", `/v1/interviews/${json.id}`, { headers: kit.api.auth })).json();
    const suspected = detail.events.find((e: { type: string }) => e.type === "virtual_camera_suspected");
    expect(suspected.data.suspicions).toEqual(expect.arrayContaining([expect.objectContaining({ kind: "patched_media_functions" })]));
    expect(detail.events.some((e: { type: string }) => e.type === "liveness_started")).toBe(false);
  }, 90_000);
});
