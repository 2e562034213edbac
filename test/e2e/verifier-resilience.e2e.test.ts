import { execFileSync } from "node:child_process";
import type { Browser } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { consentAndSettle, openCandidate } from "../helpers/candidate-page.js";
import { type RunningKit, startKit } from "../helpers/kit-server.js";
import { startMeshPublisher } from "../helpers/mesh-publisher.js";
import { waitForStatus } from "../helpers/verification.js";

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

describe("a verifier that dies mid-check", () => {
  it("gives the candidate a named failure and a retry that does not use up an attempt", async () => {
    // Two attempts: the refund must leave both, and a busy machine may need the product's own retry after it.
    const kit = await startKit({ maxAttempts: 2, isolated: { portBase: 17920, worker: true } });
    kits.push(kit);
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
