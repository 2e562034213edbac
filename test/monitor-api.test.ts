/**
 * The kit's side of the monitor (security review 2, findings 5 and 6): whatever passes follow, the
 * monitor compares with the interview's first verified face, and every reply names the candidate
 * identity the kit admitted last, the only one the monitor watches.
 */
import { describe, expect, it } from "vitest";
import { EMBEDDING_LENGTH } from "../shared/verifier-job.js";
import { hashSecret } from "../server/security/index.js";
import { client, testApp } from "./helpers/app.js";

/** Nothing here touches a room: the LiveKit settings are never used. */
const livekit = { url: "ws://127.0.0.1:9", publicUrl: "ws://127.0.0.1:9", apiKey: "unused-key", apiSecret: "unused-secret-0123456789abcdef0123456789" };
const SECRET = "monitor-secret-0123456789abcdef";

/** A unit vector pointing along axis `k`. */
const axis = (k: number) => {
  const v = new Float32Array(EMBEDDING_LENGTH);
  v[k] = 1;
  return v;
};

describe("monitor replies", () => {
  it("hand the monitor the first verified face, not a later pass's, and name the admitted candidate", async () => {
    const kit = testApp({ livekit });
    const api = client(kit.app);
    const { json } = await api.createInterview({ candidate: { name: "Kim" } });
    const interview = (await kit.store.getInterview(json.id!))!;
    const at = new Date().toISOString();
    // The owner's pass first, a stand-in's later pass in the same interview second.
    for (const [challengeId, vector] of [["ch_owner", axis(0)], ["ch_later", axis(1)]] as const) {
      await kit.store.monitoring.saveTemplate({ interviewId: interview.id, challengeId, candidateName: "Kim", vector, frames: 4, consistency: 0.97, createdAt: at });
    }
    await kit.store.monitoring.createMonitor({ id: "mon_1", interviewId: interview.id, callbackHash: hashSecret(SECRET), startedAt: at, heartbeatAt: null, endedAt: null }, at);
    const report = async (body: unknown) =>
      (await kit.app.request("/internal/monitor/mon_1", { method: "POST", headers: { authorization: `Bearer ${SECRET}`, "content-type": "application/json" }, body: JSON.stringify(body) })).json();

    const hello = await report({ type: "hello" });
    expect(hello.reference[0]).toBe(1);
    expect(hello.reference[1]).toBe(0);
    expect(hello.candidate).toBeNull();

    // Two sessions were let in, S1 then S2: S2 is the candidate the monitor watches.
    await kit.timeline.record(interview, { type: "token_issued", actor: "candidate", data: { identity: "candidate-s1" } });
    await kit.timeline.record(interview, { type: "token_issued", actor: "candidate", data: { identity: "candidate-s2" } });
    expect((await report({ type: "heartbeat" })).candidate).toBe("candidate-s2");
    expect((await report({ type: "hello" })).candidate).toBe("candidate-s2");
  });
});
