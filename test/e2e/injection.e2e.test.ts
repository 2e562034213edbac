import { Room, RoomEvent } from "@livekit/rtc-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VERIFIER_TOPIC } from "../../shared/verification.js";
import { type RunningKit, startKit } from "../helpers/kit-server.js";
import { waitForStatus } from "../helpers/verification.js";

// A script that plays the candidate through the public API and LiveKit, but
// never publishes camera video. Real kit, real livekit-server, real verifier
// worker (LiveKit Agents + the server-side analyser).
let kit: RunningKit;
beforeAll(async () => {
  kit = await startKit();
});
afterAll(async () => {
  await kit?.stop();
});

describe("a script with no camera", () => {
  it("gets no interview token, whatever it posts, and the attempt is used", async () => {
    const { api } = kit;
    const { json, token, headers } = await api.candidateSession({ candidate: { name: "Script Kiddie" }, claimedLocation: { country: "KR" } });
    await api.call("POST", `/v1/candidate/${token}/camera`, { headers, body: { status: "granted", label: "Integrated Camera", width: 640, height: 480 } });
    const ticket = await (await api.call("POST", `/v1/candidate/${token}/liveness`, { headers })).json();

    // It joins the verification room as itself and tries to talk to the page's channel: its token cannot publish data.
    const room = new Room();
    await room.connect(ticket.serverUrl, ticket.token, { autoSubscribe: false, dynacast: false });
    const prompts: string[] = [];
    room.on(RoomEvent.DataReceived, (payload, _p, _k, topic) => {
      if (topic === VERIFIER_TOPIC) prompts.push(new TextDecoder().decode(payload));
    });
    await room.localParticipant!.publishData(new TextEncoder().encode('{"type":"finished","passed":true}'), { reliable: true, topic: VERIFIER_TOPIC }).catch(() => {});

    // Fabricated evidence of the old design, and a forged verifier verdict.
    const forged = {
      nonce: "x",
      fit: [{ t: 0, faces: 1, score: 0.99 }],
      steps: [{ step: "turn_left", frames: [{ t: 100, faces: 1 }] }],
      snapshots: [{ step: 0, t: 1, jpeg: "/9j/4AAQSkZJRg==" }],
    };
    expect((await api.call("POST", `/v1/candidate/${token}/liveness/${ticket.challengeId}`, { headers, body: forged })).status).toBe(404);
    const verdict = { type: "verdict", passed: true, reasons: [], steps: [], trace: [], snapshots: [], framesAnalysed: 100, analysedFps: 15 };
    for (const bearer of [ticket.token, headers["x-candidate-session"], token]) {
      const res = await api.call("POST", `/internal/verifier/challenges/${ticket.challengeId}`, { body: verdict, headers: { authorization: `Bearer ${bearer}` } });
      expect(res.status).toBe(401);
    }
    expect((await api.call("POST", `/v1/candidate/${token}/join`, { headers })).status).toBe(403);

    // The verifier joined, waited for video, and failed the check on what it did not see.
    const status = await waitForStatus(api, token, headers, ticket.challengeId, 40_000);
    await room.disconnect();
    expect(status).toMatchObject({ state: "failed", failure: "NoVideo", refunded: false, attemptsLeft: 2 });
    expect((await api.call("POST", `/v1/candidate/${token}/join`, { headers })).status).toBe(403);
    // The verifier's own finished message reached the page's channel; the script's own data did not.
    expect(prompts.map((p) => JSON.parse(p).type)).toEqual(["finished"]);

    const report = await (await api.call("GET", `/v1/interviews/${json.id}/report`, { headers: api.auth })).json();
    expect(report.verification.status).toBe("failed");
    const detail = await (await api.call("GET", `/v1/interviews/${json.id}`, { headers: api.auth })).json();
    const failed = detail.events.find((e: { type: string }) => e.type === "liveness_failed");
    expect(failed).toMatchObject({ actor: "verifier", data: { failure: "NoVideo" } });
    expect(detail.events.some((e: { type: string }) => e.type === "token_issued")).toBe(false);
  }, 90_000);
});
