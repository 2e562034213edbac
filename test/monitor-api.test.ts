/**
 * The kit's side of the monitor (security review 2, findings 5 and 6): whatever passes follow, the
 * monitor compares with the interview's first verified face, and every reply names the candidate
 * identity the kit admitted last, the only one the monitor watches. An interviewer may accept a
 * later pass's face instead, and the monitor learns of it from its next reply.
 */
import { describe, expect, it } from "vitest";
import { EMBEDDING_LENGTH } from "../shared/verifier-job.js";
import { hashSecret } from "../server/security/index.js";
import { client, testApp, tokenOf } from "./helpers/app.js";

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

  it("let the interviewer accept a later pass's face instead, tell the monitor with the next reply, and refuse another interview's face", async () => {
    const kit = testApp({ livekit });
    const api = client(kit.app);
    const { json } = await api.createInterview({ candidate: { name: "Kim" } });
    const { json: other } = await api.createInterview({ candidate: { name: "Lee" } });
    const interview = (await kit.store.getInterview(json.id!))!;
    const at = new Date().toISOString();
    const base = `/v1/interviewer/${tokenOf(json.interviewerUrl!)}/reference`;
    const accept = (challengeId: unknown) => api.call("POST", base, { body: { challengeId } });

    // No face stored yet: nothing to accept.
    expect(await errorOf(accept("ch_later"))).toEqual([409, "no_reference_face"]);
    for (const [interviewId, challengeId, vector] of [[interview.id, "ch_owner", axis(0)], [interview.id, "ch_later", axis(1)], [other.id!, "ch_lee", axis(2)]] as const) {
      await kit.store.monitoring.saveTemplate({ interviewId, challengeId, candidateName: "Kim", vector, frames: 4, consistency: 0.97, createdAt: at });
    }
    await kit.store.monitoring.createMonitor({ id: "mon_1", interviewId: interview.id, callbackHash: hashSecret(SECRET), startedAt: at, heartbeatAt: null, endedAt: null }, at);
    const report = async (body: unknown) =>
      (await kit.app.request("/internal/monitor/mon_1", { method: "POST", headers: { authorization: `Bearer ${SECRET}`, "content-type": "application/json" }, body: JSON.stringify(body) })).json();
    expect(await report({ type: "hello" })).toMatchObject({ referenceId: "ch_owner" });

    // Another interview's face, an unknown check, and a malformed body are refused; the reference stays.
    expect(await errorOf(accept("ch_lee"))).toEqual([404, "challenge_unknown"]);
    expect(await errorOf(accept("ch_nobody"))).toEqual([404, "challenge_unknown"]);
    expect(await errorOf(accept(42))).toEqual([400, "validation_failed"]);
    expect(await report({ type: "heartbeat" })).toMatchObject({ referenceId: "ch_owner" });

    const res = await accept("ch_later");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challengeId: "ch_later", previousChallengeId: "ch_owner" });
    // The monitor's next reply names the new reference; its hello hands over the face.
    const beat = await report({ type: "heartbeat" });
    expect(beat.referenceId).toBe("ch_later");
    expect(beat.reference).toBeUndefined();
    const hello = await report({ type: "hello" });
    expect(hello.referenceId).toBe("ch_later");
    expect([hello.reference[0], hello.reference[1]]).toEqual([0, 1]);
    const events = (await kit.store.listEvents(interview.id)).filter((e) => e.type === "reference_accepted");
    expect(events.map((e) => [e.actor, e.data])).toEqual([["interviewer", { challengeId: "ch_later", previousChallengeId: "ch_owner" }]]);
    // Accepting the current reference again records nothing new.
    expect(await (await accept("ch_later")).json()).toEqual({ challengeId: "ch_later", previousChallengeId: "ch_later" });
    expect((await kit.store.listEvents(interview.id)).filter((e) => e.type === "reference_accepted")).toHaveLength(1);
  });
});

describe("the monitor sweep", () => {
  it("ends a silent monitor without an event when its candidate is not in the room (the room closed, or they left)", async () => {
    let clock = Date.parse("2026-12-01T10:00:00Z");
    const kit = testApp({ livekit, now: () => new Date(clock) });
    const api = client(kit.app);
    const { json } = await api.createInterview({ candidate: { name: "Kim" } });
    const at = new Date(clock).toISOString();
    await kit.store.monitoring.createMonitor({ id: "mon_q", interviewId: json.id!, callbackHash: hashSecret(SECRET), startedAt: at, heartbeatAt: at, endedAt: null }, at);
    clock += 10_000;
    expect(await kit.monitor.sweep()).toBe(0);
    expect((await kit.store.monitoring.getMonitor("mon_q"))?.endedAt).toBeNull();
    clock += 10_000;
    expect(await kit.monitor.sweep()).toBe(0);
    expect((await kit.store.monitoring.getMonitor("mon_q"))?.endedAt).toBe(new Date(clock).toISOString());
    expect((await kit.store.listEvents(json.id!)).map((e) => e.type)).not.toContain("monitor_lost");
  });
});

async function errorOf(pending: Response | Promise<Response>): Promise<[number, string]> {
  const res = await pending;
  return [res.status, (await res.json()).error?.code];
}
