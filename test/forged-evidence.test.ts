import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalLiveKit } from "../server/livekit/index.js";
import { advancingClock, client, testApp } from "./helpers/app.js";
import { honestDurationMs, honestEvidence } from "./helpers/evidence.js";
import { startTestLiveKit } from "./helpers/livekit.js";

let livekit: LocalLiveKit;
beforeAll(async () => {
  livekit = await startTestLiveKit(17920);
});
afterAll(async () => {
  await livekit?.stop();
});


/** A session with a fresh challenge, and helpers to post evidence and try to join. */
async function setup(options: { testSeeds?: boolean } = {}) {
  const clock = advancingClock();
  const { app, store } = testApp({ livekit: livekit.settings, maxAttempts: 10, now: clock.now, ...options });
  const api = client(app);
  const { json, token, headers } = await api.candidateSession();
  const challenge = await (await api.call("POST", `/v1/candidate/${token}/liveness`, { headers })).json();
  const post = (body: unknown, raw?: string) =>
    api.call("POST", `/v1/candidate/${token}/liveness/${challenge.challengeId}`, { headers, body, raw });
  const join = () => api.call("POST", `/v1/candidate/${token}/join`, { headers });
  /** Lets the time an honest candidate would take pass on the server's clock. */
  const elapse = () => clock.advance(honestDurationMs(challenge.steps.length));
  return { api, store, json, token, headers, challenge, post, join, elapse };
}

const expectError = async (res: Response, status: number, code: string) => {
  const body = await res.json();
  expect({ status: res.status, code: body.error?.code }).toEqual({ status, code });
  return body;
};

describe("forged liveness evidence gets a specific 4xx and no admission", () => {
  it("an unknown challenge id", async () => {
    const { api, token, headers, join } = await setup();
    const res = await api.call("POST", `/v1/candidate/${token}/liveness/ch_forged`, {
      headers,
      body: honestEvidence("n", ["turn_left", "center", "move_closer"]),
    });
    await expectError(res, 404, "challenge_unknown");
    expect((await join()).status).toBe(403);
  });

  it("a reused challenge id, even with a correct answer", async () => {
    const { challenge, post, join, elapse } = await setup();
    elapse();
    const first = await post(honestEvidence(challenge.nonce, challenge.steps));
    expect((await first.json()).passed).toBe(true);
    await expectError(await post(honestEvidence(challenge.nonce, challenge.steps)), 409, "challenge_used");
    expect((await join()).status).toBe(200);
  });

  it("steps out of order", async () => {
    const { challenge, post, join, store, json, elapse } = await setup();
    elapse();
    const reversed = [...challenge.steps].reverse();
    const body = await expectError(await post(honestEvidence(challenge.nonce, reversed)), 422, "steps_out_of_order");
    expect(body.error.field).toBe("steps");
    expect((await join()).status).toBe(403);
    // The forged attempt is on the interviewer's timeline.
    const failed = (await store.listEvents(json.id!)).filter((e) => e.type === "liveness_failed");
    expect(failed.at(-1)?.data.rejected).toBe("steps_out_of_order");
  });

  it("timestamps in the future", async () => {
    const { challenge, post, join } = await setup();
    const evidence = honestEvidence(challenge.nonce, challenge.steps, 60_000);
    await expectError(await post(evidence), 422, "impossible_timing");
    expect((await join()).status).toBe(403);
  });

  it("moves faster than a human can make them", async () => {
    const { challenge, post, join, elapse } = await setup();
    elapse();
    const evidence = honestEvidence(challenge.nonce, challenge.steps);
    // Squeeze every frame of every step into 10 ms steps: a 30-degree head turn in 20 ms.
    let t = evidence.fit.at(-1)!.t;
    for (const step of evidence.steps) step.frames = step.frames.slice(0, 3).map((f) => ({ ...f, t: (t += 10) }));
    await expectError(await post(evidence), 422, "impossible_timing");
    expect((await join()).status).toBe(403);
  });

  it("a wrong nonce", async () => {
    const { challenge, post, join, elapse } = await setup();
    elapse();
    await expectError(await post(honestEvidence("guessed", challenge.steps)), 422, "nonce_mismatch");
    expect((await join()).status).toBe(403);
  });

  it("missing snapshots", async () => {
    const { challenge, post, join } = await setup();
    const evidence = honestEvidence(challenge.nonce, challenge.steps);
    const body = await expectError(await post({ ...evidence, snapshots: [] }), 400, "validation_failed");
    expect(body.error.field).toBe("snapshots");
    const { snapshots: _omit, ...noSnapshots } = evidence;
    await expectError(await post(noSnapshots), 400, "validation_failed");
    expect((await join()).status).toBe(403);
  });

  it("a snapshot that is not a JPEG", async () => {
    const { challenge, post, join, elapse } = await setup();
    elapse();
    const evidence = honestEvidence(challenge.nonce, challenge.steps);
    evidence.snapshots[0]!.jpeg = Buffer.from("GIF89a".padEnd(400, "x")).toString("base64");
    await expectError(await post(evidence), 422, "bad_snapshot");
    expect((await join()).status).toBe(403);
  });

  it("an oversized body", async () => {
    const { challenge, post, join } = await setup();
    const evidence = honestEvidence(challenge.nonce, challenge.steps);
    const raw = JSON.stringify({ ...evidence, padding: "x".repeat(3 * 1024 * 1024) });
    await expectError(await post(undefined, raw), 413, "payload_too_large");
    expect((await join()).status).toBe(403);
  });

  it("fields of the wrong type", async () => {
    const { challenge, post, join } = await setup();
    const evidence = honestEvidence(challenge.nonce, challenge.steps);
    const cases: Array<[unknown, string]> = [
      [{ ...evidence, steps: "all of them" }, "steps"],
      [{ ...evidence, nonce: 42 }, "nonce"],
      [{ ...evidence, steps: [{ step: "jump", frames: [] }] }, "steps.0.step"],
      [{ ...evidence, fit: [{ t: "yesterday", faces: 1 }] }, "fit.0.t"],
      [{ ...evidence, fit: [{ t: 1, faces: -1 }] }, "fit.0.faces"],
    ];
    for (const [body, field] of cases) {
      const res = await expectError(await post(body), 400, "validation_failed");
      expect(res.error.field).toBe(field);
    }
    const notJson = await expectError(await post(undefined, "{oops"), 400, "invalid_json");
    expect(notJson.error.message).toMatch(/JSON/);
    expect((await join()).status).toBe(403);
  });

  it("a step-order seed outside a test configuration", async () => {
    const { api, token, headers } = await setup({ testSeeds: false });
    const res = await api.call("POST", `/v1/candidate/${token}/liveness`, { headers, body: { seed: "pad-1" } });
    const body = await expectError(res, 400, "seed_not_allowed");
    expect(body.error.field).toBe("seed");
  });
});
