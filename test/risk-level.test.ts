import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { InterviewList } from "../shared/interview.js";
import { WebhookEvent } from "../shared/webhooks.js";
import { client, testApp } from "./helpers/app.js";

/** No LiveKit call is made here: nothing touches a room. */
const livekit = { url: "ws://127.0.0.1:9", publicUrl: "ws://127.0.0.1:9", apiKey: "unused-key", apiSecret: "unused-secret-0123456789abcdef0123456789" };

async function setup() {
  const env = testApp({ livekit });
  const api = client(env.app);
  const endpoint = await (
    await api.call("POST", "/v1/webhook-endpoints", { headers: api.auth, body: { url: "http://127.0.0.1:9/hook", events: ["interview.risk_changed"] } })
  ).json();
  const riskChanges = async () =>
    (await env.store.webhooks.listDeliveries(endpoint.id, 100)).map((d) => WebhookEvent.parse(JSON.parse(d.payload))).reverse();
  return { env, api, riskChanges };
}

describe("the stored risk level", () => {
  it("is stored with each event, moves with the evidence, and each change queues interview.risk_changed", async () => {
    const { env, api, riskChanges } = await setup();
    const { json } = await api.createInterview();
    expect((await env.store.getInterview(json.id!))?.riskLevel).toBe("clear");
    expect(await riskChanges()).toEqual([]);

    const observed = await api.call("POST", `/v1/interviews/${json.id}/observations`, { headers: api.auth, body: { items: ["asked_crypto_payment"] } });
    expect(observed.status).toBe(201);
    const report = await (await api.call("GET", `/v1/interviews/${json.id}/report`, { headers: api.auth })).json();
    expect(report.level).toBe("high");
    expect((await env.store.getInterview(json.id!))?.riskLevel).toBe(report.level);

    const changes = await riskChanges();
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ type: "interview.risk_changed", data: { interviewId: json.id, from: "clear", to: "high", cause: "interviewer_observed" } });

    // A second observation leaves the level where it is: no change, no webhook.
    await api.call("POST", `/v1/interviews/${json.id}/observations`, { headers: api.auth, body: { items: ["location_contradicted"] } });
    expect(await riskChanges()).toHaveLength(1);
  });

  it("is what the list shows: the list reads the stored level instead of recomputing it from events", async () => {
    const { env, api } = await setup();
    const { json } = await api.createInterview();
    // Written behind the kit's back: a list that recomputed from events would still say "clear".
    new Database(env.dbFile).prepare("UPDATE interviews SET risk_level = 'review' WHERE id = ?").run(json.id);
    const list = InterviewList.parse(await (await api.call("GET", "/v1/interviews", { headers: api.auth })).json());
    expect(list.interviews.find((i) => i.id === json.id)?.riskLevel).toBe("review");
  });

  it("is computed once for a row stored before levels existed (no level yet)", async () => {
    const { env, api } = await setup();
    const { json } = await api.createInterview();
    await api.call("POST", `/v1/interviews/${json.id}/observations`, { headers: api.auth, body: { items: ["asked_crypto_payment"] } });
    new Database(env.dbFile).prepare("UPDATE interviews SET risk_level = NULL WHERE id = ?").run(json.id);
    const list = InterviewList.parse(await (await api.call("GET", "/v1/interviews", { headers: api.auth })).json());
    expect(list.interviews.find((i) => i.id === json.id)?.riskLevel).toBe("high");
  });

  it("keeps events of one interview in order when they arrive together, each with the level of everything before it", async () => {
    const { env, api, riskChanges } = await setup();
    const { json } = await api.createInterview();
    const items = ["asked_crypto_payment", "location_contradicted", "camera_pointed_away_or_covered", "refused_or_avoided_video"];
    const answers = await Promise.all(
      items.map((item) => api.call("POST", `/v1/interviews/${json.id}/observations`, { headers: api.auth, body: { items: [item] } })),
    );
    expect(answers.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect((await env.store.getInterview(json.id!))?.riskLevel).toBe("high");
    // Exactly one change (clear → high), however the four interleave.
    expect((await riskChanges()).map((c) => c.type === "interview.risk_changed" && [c.data.from, c.data.to])).toEqual([["clear", "high"]]);
  });
});
