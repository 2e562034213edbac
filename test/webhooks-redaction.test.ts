import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { REDACTED_NAME, RedactionResult } from "../shared/personal-data.js";
import { WebhookEvent, type WebhookEndpointWithSecret } from "../shared/webhooks.js";
import { WebhookDispatcher } from "../server/webhooks-out/index.js";
import { client, testApp } from "./helpers/app.js";
import { type Receiver, startReceiver, verify } from "./helpers/webhook-receiver.js";

/** Nothing here touches a room: the LiveKit settings are never used. */
const livekit = { url: "ws://127.0.0.1:9", publicUrl: "ws://127.0.0.1:9", apiKey: "unused-key", apiSecret: "unused-secret-0123456789abcdef0123456789" };
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 0xff, 0xd9]);

function kit(now: () => Date = () => new Date()) {
  // The receiver listens on loopback: private targets are allowed here, explicitly.
  const built = testApp({ livekit, now, webhookAllowPrivateUrls: true });
  const api = client(built.app, "203.0.113.7");
  const dispatcher = new WebhookDispatcher({ store: built.store.webhooks, now, allowPrivateUrls: true });
  const register = async (url: string, body: Record<string, unknown> = {}) => {
    const res = await api.call("POST", "/v1/webhook-endpoints", { body: { url, ...body }, headers: api.auth });
    expect(res.status).toBe(201);
    return (await res.json()) as WebhookEndpointWithSecret;
  };
  /** An interview with an email, an opened link (IP, user agent) and one snapshot. */
  const seeded = async () => {
    const { json } = await api.createInterview({ candidate: { name: "Kim Min-jun", email: "minjun@example.com" } });
    const token = new URL(json.candidateUrl!).pathname.split("/").at(-1)!;
    const id = json.id!;
    await api.call("GET", `/v1/candidate/${token}`, { headers: { "user-agent": "RedactionWebhookTest/1.0" } });
    expect((await api.call("POST", `/v1/candidate/${token}/session`)).status).toBe(201);
    const [session] = await built.store.listSessions(id);
    const at = now().toISOString();
    const challengeId = `ch_${id}`;
    const issued = await built.store.issueChallenge(
      {
        ...{ id: challengeId, interviewId: id, sessionId: session!.id, room: `verify-${id}`, callbackHash: "x", steps: ["turn_left"], delaysMs: [1000] },
        ...{ issuedAt: at, expiresAt: new Date(now().getTime() + 60_000).toISOString(), state: "pending", phase: "waiting_verifier", progressAt: null },
        ...{ failure: null, refunded: false, finishedAt: null, verdict: null },
      },
      3,
      at,
    );
    expect(issued.issued).toBe(true);
    await built.store.saveSnapshots([{ interviewId: id, challengeId, step: 0, t: 1, jpeg: JPEG, createdAt: at }]);
    return id;
  };
  return { ...built, api, dispatcher, register, seeded };
}

const types = (r: Receiver) => r.received.map((x) => (JSON.parse(x.body) as WebhookEvent).type);

describe("interview.personal_data_redacted", () => {
  let receiver: Receiver;
  const kits: ReturnType<typeof kit>[] = [];
  const open = (now?: () => Date) => {
    const k = kit(now);
    kits.push(k);
    return k;
  };
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(() => receiver.close());
  afterEach(async () => {
    receiver.received.length = 0;
    for (const k of kits.splice(0)) await k.store.close().catch(() => {});
  });

  it("is sent for DELETE /personal-data with the removed counts, signed, and names no one", async () => {
    const k = open();
    const ep = await k.register(receiver.url, { events: ["interview.personal_data_redacted"] });
    const id = await k.seeded();
    const res = await k.api.call("DELETE", `/v1/interviews/${id}/personal-data`, { headers: k.api.auth });
    expect(res.status).toBe(200);
    const result = RedactionResult.parse(await res.json());
    expect(result.removed.snapshots).toBe(1);
    expect(result.removed.events).toBeGreaterThan(0);

    // Queued with the redaction, before any dispatcher ran.
    const [queued] = await k.store.webhooks.listDeliveries(ep.id, 10);
    expect(queued).toMatchObject({ type: "interview.personal_data_redacted", status: "pending" });
    const [redactionEvent] = (await k.store.listEvents(id)).filter((e) => e.type === "personal_data_redacted");
    expect(queued!.eventId).toBe(redactionEvent!.id);

    expect(await k.dispatcher.tick()).toBe(1);
    expect(receiver.received).toHaveLength(1);
    const got = receiver.received[0]!;
    const event = WebhookEvent.parse(verify(ep.secret, got));
    expect(event).toEqual({
      type: "interview.personal_data_redacted",
      timestamp: result.redactedAt,
      data: { interviewId: id, reason: "api", removed: result.removed },
    });
    expect(got.headers["webhook-id"]).toBe(queued!.id);
    expect(got.body).not.toContain("Kim");
    expect(got.body).not.toContain("example.com");
    expect(got.body).not.toContain("203.0.113.7");

    // A second request is refused (409) and sends nothing more.
    expect((await k.api.call("DELETE", `/v1/interviews/${id}/personal-data`, { headers: k.api.auth })).status).toBe(409);
    expect(await k.dispatcher.tick()).toBe(0);
    expect(await k.store.webhooks.listDeliveries(ep.id, 10)).toHaveLength(1);
  });

  it("goes only to endpoints that want it, after the interview's other events", async () => {
    const k = open();
    const all = await k.register(receiver.url);
    const other = await k.register(receiver.url, { events: ["interview.ended"] });
    const id = await k.seeded();
    await k.api.call("DELETE", `/v1/interviews/${id}/personal-data`, { headers: k.api.auth });
    await k.dispatcher.tick();
    expect(types(receiver)).toEqual(["interview.created", "interview.link_opened", "interview.personal_data_redacted"]);
    expect(await k.store.webhooks.listDeliveries(other.id, 10)).toEqual([]);
    for (const r of receiver.received) verify(all.secret, r);
  });

  it("is sent with reason retention when the retention purge redacts", async () => {
    let t = Date.now();
    const k = open(() => new Date(t));
    const ep = await k.register(receiver.url, { events: ["interview.personal_data_redacted"] });
    const id = await k.seeded();
    t += 31 * 86_400_000;
    expect(await k.personal.purgeOlderThan(30)).toBe(1);
    expect(await k.dispatcher.tick()).toBe(1);
    // The clock moved a month ahead: check the signature at the delivery's own timestamp.
    const got = receiver.received[0]!;
    const body = JSON.parse(got.body) as WebhookEvent;
    expect(body).toMatchObject({ type: "interview.personal_data_redacted", data: { interviewId: id, reason: "retention" } });
    const [delivery] = await k.store.webhooks.listDeliveries(ep.id, 10);
    expect(delivery!.status).toBe("delivered");
  });

  it("rolls the redaction back when its delivery cannot be queued: nothing is removed and nothing is sent", async () => {
    const k = open();
    await k.register(receiver.url);
    const id = await k.seeded();
    const before = await k.store.listEvents(id);
    const broken = await k.store.redactPersonalData(id, {
      placeholderName: REDACTED_NAME,
      redactData: () => ({}),
      event: (removed) => ({ type: "personal_data_redacted", actor: "system", at: new Date().toISOString(), data: { reason: "api", riskLevel: "clear", flags: [], removed } }),
      outbox: () => {
        throw new Error("outbox broke");
      },
    }).then(
      () => "resolved",
      (err: Error) => err.message,
    );
    expect(broken).toBe("outbox broke");
    expect(await k.store.listEvents(id)).toEqual(before);
    expect((await k.store.getInterview(id))!.candidateName).toBe("Kim Min-jun");
    expect(await k.store.listSnapshots(id)).toHaveLength(1);
    // The interview can still be redacted properly afterwards, and only that redaction is sent.
    expect((await k.api.call("DELETE", `/v1/interviews/${id}/personal-data`, { headers: k.api.auth })).status).toBe(200);
    await k.dispatcher.tick();
    expect(types(receiver).filter((t) => t === "interview.personal_data_redacted")).toHaveLength(1);
  });
});
