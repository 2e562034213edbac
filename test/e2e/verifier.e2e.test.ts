import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningKit, startKit } from "../helpers/kit-server.js";
import { startReactivePublisher } from "../helpers/rtc-publisher.js";
import { waitForStatus } from "../helpers/verification.js";

// The real verifier worker judging real recorded faces sent by a reactive
// rtc-node publisher (the same cap12 clips as the browser's reactive player).
let kit: RunningKit;
beforeAll(async () => {
  kit = await startKit();
});
afterAll(async () => {
  await kit?.stop();
});

async function attempt(mode: "cooperative" | "wrong_way" | "ignore", seed?: string) {
  const { api } = kit;
  const { json, token, headers } = await api.candidateSession({ candidate: { name: `Publisher ${mode}` } });
  const ticket = await (await api.call("POST", `/v1/candidate/${token}/liveness`, { headers, ...(seed ? { body: { seed } } : {}) })).json();
  const publisher = await startReactivePublisher({ url: ticket.serverUrl, token: ticket.token, mode });
  try {
    const status = await waitForStatus(api, token, headers, ticket.challengeId, 90_000);
    const challenge = await kit.app.store.getChallenge(ticket.challengeId);
    return { status, challenge, json, token, headers, played: publisher.played };
  } finally {
    await publisher.stop();
  }
}

describe("the server-side verifier on real footage", () => {
  it("passes a cooperative person who follows the prompts, judged on frames it decoded", async () => {
    const { status, challenge, json, token, headers, played } = await attempt("cooperative");
    const verdict = challenge!.verdict as Record<string, unknown>;
    console.log("cooperative:", JSON.stringify({ status, reasons: verdict.reasons, fps: verdict.analysedFps }));
    expect(status).toMatchObject({ state: "passed" });
    expect(played.map((p) => p.step)).toEqual(challenge!.steps);
    // Frame rate is a benchmark figure (npm run bench:verifier), not a test assertion; here only that frames were judged.
    expect(verdict.framesAnalysed as number).toBeGreaterThan(10);
    expect((verdict.trace as unknown[]).length).toBeGreaterThan(10);
    const snapshots = await kit.app.store.listSnapshots(json.id!);
    expect(snapshots.length).toBeGreaterThanOrEqual(2);
    for (const s of snapshots) expect(s.jpeg.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect((await kit.api.call("POST", `/v1/candidate/${token}/join`, { headers })).status).toBe(200);
  }, 120_000);

  it("fails a person who turns the other way", async () => {
    const { status } = await attempt("wrong_way", "wrong-1");
    // The seed puts a turn first, so the wrong way shows at once.
    expect(status).toMatchObject({ state: "failed" });
    console.log("wrong way:", JSON.stringify(status));
  }, 120_000);

  it("fails a recording that never reacts", async () => {
    const { status } = await attempt("ignore");
    expect(status).toMatchObject({ state: "failed", failure: "TooSlow", refunded: false });
  }, 120_000);
});
