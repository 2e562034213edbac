import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningKit, startKit } from "../helpers/kit-server.js";
import { type MeshPublisherOptions, startMeshPublisher } from "../helpers/mesh-publisher.js";
import { waitForStatus } from "../helpers/verification.js";

// The real verifier worker on the production follow challenge, judging the frames it decodes from
// the mesh-face player (a live 3D render of one photo) sent by an rtc-node publisher: what a pass
// stores, and two ways of not following. follow.e2e has the attack table and the BPCER.
let kit: RunningKit;
beforeAll(async () => {
  kit = await startKit({ maxAttempts: 3 });
});
afterAll(async () => {
  await kit?.stop();
});

async function attempt(name: string, options: Omit<MeshPublisherOptions, "url" | "token">) {
  const { api } = kit;
  const { json, token, headers } = await api.candidateSession({ candidate: { name } });
  let status: Record<string, unknown> = {};
  let challengeId = "";
  // A bona fide face may use the candidate's attempts (a busy machine); a face that does not follow fails every one.
  for (let left = 3; left > 0 && status.state !== "passed"; left = Number(status.attemptsLeft)) {
    const ticket = await (await api.call("POST", `/v1/candidate/${token}/liveness`, { headers })).json();
    challengeId = ticket.challengeId;
    const publisher = await startMeshPublisher({ url: ticket.serverUrl, token: ticket.token, maxFramerate: 15, ...options });
    try {
      status = await waitForStatus(api, token, headers, ticket.challengeId, 90_000);
    } finally {
      await publisher.stop();
    }
    if (options.gain !== undefined && options.gain !== 1) break; // one attempt shows an attack's failure
  }
  const challenge = await kit.app.store.getChallenge(challengeId);
  return { status, challenge, json, token, headers };
}

describe("the server-side verifier on the follow challenge", () => {
  it("passes a face that follows the target, judged on frames it decoded, and stores JPEG snapshots", async () => {
    const { status, challenge, json, token, headers } = await attempt("Follower", {});
    const verdict = challenge!.verdict as Record<string, unknown>;
    console.log("follower:", JSON.stringify({ status, reasons: verdict.reasons, fps: verdict.analysedFps }));
    expect(status).toMatchObject({ state: "passed" });
    expect(challenge!.steps).toEqual(["follow"]);
    // Frame rate is a benchmark figure (npm run bench:verifier), not a test assertion; here only that frames were judged.
    expect(verdict.framesAnalysed as number).toBeGreaterThan(10);
    expect((verdict.trace as unknown[]).length).toBeGreaterThan(10);
    const snapshots = await kit.app.store.listSnapshots(json.id!);
    expect(snapshots.length).toBeGreaterThanOrEqual(1);
    for (const s of snapshots) expect(s.jpeg.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect((await kit.api.call("POST", `/v1/candidate/${token}/join`, { headers })).status).toBe(200);
  }, 300_000);

  it("fails a face that turns the other way", async () => {
    const { status, token, headers } = await attempt("Contrary", { gain: -1 });
    console.log("other way:", JSON.stringify(status));
    expect(status).toMatchObject({ state: "failed", refunded: false });
    // Usually NotFollowing; a fresh-clone run (2026-12-08) saw the mirrored render fail the planarity
    // check first (FlatFace). Either is the follow judge refusing it; what matters is no pass and no token.
    expect(["NotFollowing", "FlatFace"]).toContain(status.failure);
    expect((await kit.api.call("POST", `/v1/candidate/${token}/join`, { headers })).status).not.toBe(200);
  }, 120_000);

  it("fails a face that never reacts", async () => {
    const { status } = await attempt("Unmoved", { gain: 0 });
    // A face that never turns also shows no depth: the judge may name it either way.
    expect(status).toMatchObject({ state: "failed", failure: expect.stringMatching(/^(NotFollowing|FlatFace)$/), refunded: false });
  }, 120_000);
});
