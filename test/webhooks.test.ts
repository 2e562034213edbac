import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { WebhookEvent, type WebhookDelivery, type WebhookEndpointWithSecret } from "../shared/webhooks.js";
import type { InterviewRecord, Store } from "../server/store/index.js";
import { SqliteStore } from "../server/store/index.js";
import { RETRY_SCHEDULE_MS, WebhookDispatcher, newWebhookSecret, webhookOutbox } from "../server/webhooks-out/index.js";
import { client, tempDbFile, testApp } from "./helpers/app.js";
import { type Receiver, signedBy, startReceiver, verify } from "./helpers/webhook-receiver.js";

/** No LiveKit call is made by these suites: nothing here touches a room. */
const livekit = { url: "ws://127.0.0.1:9", publicUrl: "ws://127.0.0.1:9", apiKey: "unused-key", apiSecret: "unused-secret-0123456789abcdef0123456789" };

/** A clock that starts at the real time and moves only when told. */
function fakeClock() {
  let t = Date.now();
  return { now: () => new Date(t), advance: (ms: number) => void (t += ms) };
}

let seq = 0;
async function newInterview(store: Store, createdAt: string): Promise<InterviewRecord> {
  const id = `iv_${++seq}_${Math.random().toString(36).slice(2)}`;
  const record: InterviewRecord = {
    id,
    status: "created",
    candidateName: "Ada Lovelace",
    room: `room-${id}`,
    candidateTokenHash: `c-${id}`,
    interviewerTokenHash: `i-${id}`,
    createdAt,
    expiresAt: "2099-01-01T00:00:00.000Z",
    interviewerExpiresAt: "2099-01-01T00:00:00.000Z",
  };
  await store.createInterview(record);
  return record;
}

function kit(options: { dbFile?: string } = {}) {
  const clock = fakeClock();
  // The receivers listen on loopback: private targets are allowed here, explicitly (webhooks-ssrf.test.ts covers the default).
  const built = testApp({ livekit, now: clock.now, webhookAllowPrivateUrls: true, ...options });
  const api = client(built.app);
  const dispatcher = new WebhookDispatcher({ store: built.store.webhooks, now: clock.now, allowPrivateUrls: true });
  const register = async (url: string, body: Record<string, unknown> = {}) => {
    const res = await api.call("POST", "/v1/webhook-endpoints", { body: { url, ...body }, headers: api.auth });
    expect(res.status).toBe(201);
    return (await res.json()) as WebhookEndpointWithSecret;
  };
  const deliveries = async (endpointId: string) => {
    const res = await api.call("GET", `/v1/webhook-endpoints/${endpointId}/deliveries`, { headers: api.auth });
    expect(res.status).toBe(200);
    return ((await res.json()) as { deliveries: WebhookDelivery[] }).deliveries;
  };
  /** Creates an interview and records its `interview_created` event through the Timeline. */
  const created = async () => {
    const iv = await newInterview(built.store, clock.now().toISOString());
    await built.timeline.record(iv, { type: "interview_created", actor: "system" });
    return iv;
  };
  return { ...built, api, clock, dispatcher, register, deliveries, created };
}

describe("outgoing webhooks", () => {
  let receiver: Receiver;
  const kits: ReturnType<typeof kit>[] = [];
  const open = (options?: { dbFile?: string }) => {
    const k = kit(options);
    kits.push(k);
    return k;
  };
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(() => receiver.close());
  afterEach(async () => {
    receiver.received.length = 0;
    receiver.answer(() => ({ status: 200 }));
    for (const k of kits.splice(0)) await k.store.close().catch(() => {});
  });

  it("registers endpoints behind the API key and shows the secret only once", async () => {
    const k = open();
    expect((await k.api.call("POST", "/v1/webhook-endpoints", { body: { url: receiver.url } })).status).toBe(401);
    expect((await k.api.call("GET", "/v1/webhook-endpoints")).status).toBe(401);
    const bad = await k.api.call("POST", "/v1/webhook-endpoints", { body: { url: "ftp://example.com/x" }, headers: k.api.auth });
    expect(bad.status).toBe(400);
    const ep = await k.register(receiver.url, { description: "ATS", events: ["interview.created"] });
    expect(ep.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(ep).toMatchObject({ url: receiver.url, description: "ATS", events: ["interview.created"], disabledAt: null });
    const list = await (await k.api.call("GET", "/v1/webhook-endpoints", { headers: k.api.auth })).text();
    expect(list).toContain(ep.id);
    expect(list).not.toContain(ep.secret.slice(6));
    expect((await k.api.call("DELETE", `/v1/webhook-endpoints/${ep.id}`, { headers: k.api.auth })).status).toBe(204);
    expect((await k.api.call("DELETE", `/v1/webhook-endpoints/${ep.id}`, { headers: k.api.auth })).status).toBe(404);
    expect((await (await k.api.call("GET", "/v1/webhook-endpoints", { headers: k.api.auth })).json()).endpoints).toEqual([]);
  });

  it("delivers a signed event the receiver verifies with standardwebhooks; a wrong secret fails", async () => {
    const k = open();
    const ep = await k.register(receiver.url);
    const iv = await k.created();
    expect(await k.dispatcher.tick()).toBe(1);
    expect(receiver.received).toHaveLength(1);
    const got = receiver.received[0]!;
    const event = WebhookEvent.parse(verify(ep.secret, got));
    expect(event).toEqual({ type: "interview.created", timestamp: k.clock.now().toISOString(), data: { interviewId: iv.id } });
    expect(got.headers["webhook-id"]).toMatch(/^msg_/);
    expect(() => verify(newWebhookSecret(), got)).toThrow();
    expect(() => verify(ep.secret, { ...got, body: got.body.replace(iv.id, "iv_other") })).toThrow();
    const [delivery] = await k.deliveries(ep.id);
    expect(delivery).toMatchObject({ id: got.headers["webhook-id"], status: "delivered", type: "interview.created", nextAttemptAt: null });
    expect(delivery!.attempts).toEqual([expect.objectContaining({ statusCode: 200, error: null })]);
    expect(await k.dispatcher.tick()).toBe(0);
  });

  it("sends an endpoint only the types it asked for", async () => {
    const k = open();
    const ended = await k.register(receiver.url, { events: ["interview.ended"] });
    const iv = await k.created();
    await k.timeline.record(iv, { type: "interview_ended", actor: "interviewer" });
    await k.dispatcher.tick();
    expect(receiver.received.map((r) => (JSON.parse(r.body) as WebhookEvent).type)).toEqual(["interview.ended"]);
    expect((await k.deliveries(ended.id)).map((d) => d.type)).toEqual(["interview.ended"]);
  });

  it("sends interview.started once, for the candidate's first join", async () => {
    const k = open();
    const ep = await k.register(receiver.url, { events: ["interview.started"] });
    const iv = await k.created();
    const join = (role: "candidate" | "interviewer") => k.timeline.record(iv, { type: "participant_joined", actor: "livekit", data: { identity: role, role } }, { candidate: role === "candidate" });
    await join("interviewer");
    await join("candidate");
    await join("candidate");
    expect((await k.deliveries(ep.id)).map((d) => d.type)).toEqual(["interview.started"]);
  });

  it("retries a 500 on the schedule (5 s, 5 min, 30 min...) with the same webhook-id, and records each attempt", async () => {
    const k = open();
    const ep = await k.register(receiver.url);
    await k.created();
    receiver.answer((n) => ({ status: n <= 3 ? 500 : 204 }));
    expect(await k.dispatcher.tick()).toBe(1);
    expect(await k.dispatcher.tick()).toBe(0);
    k.clock.advance(4_999);
    expect(await k.dispatcher.tick()).toBe(0);
    k.clock.advance(1);
    expect(await k.dispatcher.tick()).toBe(1);
    k.clock.advance(5 * 60_000 - 1);
    expect(await k.dispatcher.tick()).toBe(0);
    k.clock.advance(1);
    expect(await k.dispatcher.tick()).toBe(1);
    k.clock.advance(30 * 60_000);
    expect(await k.dispatcher.tick()).toBe(1);
    expect(receiver.received).toHaveLength(4);
    const ids = new Set(receiver.received.map((r) => r.headers["webhook-id"]));
    expect(ids.size).toBe(1);
    for (const r of receiver.received) expect(signedBy(ep.secret, r)).toBe(true);
    const [delivery] = await k.deliveries(ep.id);
    expect(delivery!.status).toBe("delivered");
    expect(delivery!.attempts.map((a) => a.statusCode)).toEqual([500, 500, 500, 204]);
    expect(delivery!.attempts.every((a) => a.durationMs >= 0)).toBe(true);
  });

  it("gives up after the last retry, honours a longer Retry-After, and records network errors", async () => {
    const k = open();
    const ep = await k.register(receiver.url);
    await k.created();
    // The first answer asks for 10 minutes, longer than the scheduled 5 s; later ones are plain 500s.
    receiver.answer((n) => (n === 1 ? { status: 503, headers: { "retry-after": "600" } } : { status: 500 }));
    await k.dispatcher.tick();
    k.clock.advance(5_000);
    expect(await k.dispatcher.tick()).toBe(0);
    k.clock.advance(595_000);
    expect(await k.dispatcher.tick()).toBe(1);
    for (const wait of RETRY_SCHEDULE_MS.slice(1)) {
      k.clock.advance(wait);
      expect(await k.dispatcher.tick()).toBe(1);
    }
    k.clock.advance(48 * 3600_000);
    expect(await k.dispatcher.tick()).toBe(0);
    const [delivery] = await k.deliveries(ep.id);
    expect(delivery!.status).toBe("failed");
    expect(delivery!.attempts).toHaveLength(RETRY_SCHEDULE_MS.length + 1);

    // Nobody listening: the error is recorded instead of a status code.
    const gone = await startReceiver();
    await gone.close();
    const dead = await k.register(gone.url);
    await k.created();
    await k.dispatcher.tick();
    const [failed] = await k.deliveries(dead.id);
    expect(failed!.attempts[0]).toMatchObject({ statusCode: null, error: expect.any(String) });
    expect(failed!.status).toBe("pending");
  });

  it("fails an attempt the receiver does not answer within the timeout, and retries it", async () => {
    const k = open();
    const ep = await k.register(receiver.url);
    await k.created();
    const dispatcher = new WebhookDispatcher({ store: k.store.webhooks, now: k.clock.now, allowPrivateUrls: true, timeoutMs: 200 });
    receiver.answer(() => ({ status: 200, delayMs: 1_000 }));
    expect(await dispatcher.tick()).toBe(1);
    const [delivery] = await k.deliveries(ep.id);
    expect(delivery).toMatchObject({ status: "pending", nextAttemptAt: new Date(k.clock.now().getTime() + 5_000).toISOString() });
    expect(delivery!.attempts[0]).toMatchObject({ statusCode: null, error: "timeout" });
    expect(delivery!.attempts[0]!.durationMs).toBeGreaterThanOrEqual(150);
  });

  it("disables the endpoint on 410 Gone and queues nothing more for it", async () => {
    const k = open();
    const ep = await k.register(receiver.url);
    await k.created();
    receiver.answer(() => ({ status: 410 }));
    await k.dispatcher.tick();
    const [listed] = (await (await k.api.call("GET", "/v1/webhook-endpoints", { headers: k.api.auth })).json()).endpoints;
    expect(listed.disabledAt).toBe(k.clock.now().toISOString());
    expect((await k.deliveries(ep.id))[0]!.status).toBe("failed");
    await k.created();
    k.clock.advance(3600_000);
    expect(await k.dispatcher.tick()).toBe(0);
    expect(receiver.received).toHaveLength(1);
    expect(await k.deliveries(ep.id)).toHaveLength(1);
  });

  it("signs with both the old and the new secret for 24 h after a rotation, then the new one only", async () => {
    const k = open();
    const ep = await k.register(receiver.url);
    const res = await k.api.call("POST", `/v1/webhook-endpoints/${ep.id}/rotate-secret`, { headers: k.api.auth });
    expect(res.status).toBe(201);
    const rotated = (await res.json()) as WebhookEndpointWithSecret;
    expect(rotated.secret).not.toBe(ep.secret);
    await k.created();
    await k.dispatcher.tick();
    const first = receiver.received[0]!;
    expect(first.headers["webhook-signature"]!.split(" ")).toHaveLength(2);
    expect(verify(ep.secret, first)).toBeTruthy();
    expect(verify(rotated.secret, first)).toBeTruthy();

    k.clock.advance(24 * 3600_000 + 1000);
    await k.created();
    await k.dispatcher.tick();
    const later = receiver.received[1]!;
    expect(later.headers["webhook-signature"]!.split(" ")).toHaveLength(1);
    expect(signedBy(rotated.secret, later)).toBe(true);
    expect(signedBy(ep.secret, later)).toBe(false);
  });

  it("replays a delivery with the same webhook-id", async () => {
    const k = open();
    const ep = await k.register(receiver.url);
    await k.created();
    await k.dispatcher.tick();
    const [delivery] = await k.deliveries(ep.id);
    const res = await k.api.call("POST", `/v1/webhook-deliveries/${delivery!.id}/replay`, { headers: k.api.auth });
    expect(res.status).toBe(202);
    expect(await k.dispatcher.tick()).toBe(1);
    expect(receiver.received.map((r) => r.headers["webhook-id"])).toEqual([delivery!.id, delivery!.id]);
    expect((await k.deliveries(ep.id))[0]!.attempts).toHaveLength(2);
    expect((await k.api.call("POST", "/v1/webhook-deliveries/msg_nope/replay", { headers: k.api.auth })).status).toBe(404);
    expect((await k.api.call("POST", `/v1/webhook-deliveries/${delivery!.id}/replay`)).status).toBe(401);
  });

  it("survives a kill: deliveries queued with their events are sent after a restart, once each, with their original ids", async () => {
    const dbFile = tempDbFile();
    const second = await startReceiver();
    try {
      const before = open({ dbFile });
      const a = await before.register(receiver.url);
      const b = await before.register(second.url);
      for (let i = 0; i < 3; i++) await before.created();
      const queued = async (k: ReturnType<typeof kit>, id: string) => (await k.deliveries(id)).map((d) => d.id).sort();
      const idsA = await queued(before, a.id);
      const idsB = await queued(before, b.id);
      expect(idsA).toHaveLength(3);
      expect(idsB).toHaveLength(3);
      // A dispatcher that claimed one and died before it sent it.
      const now = before.clock.now();
      const claimed = await before.store.webhooks.claimDue(now.toISOString(), new Date(now.getTime() + 60_000).toISOString(), 1);
      expect(claimed).toHaveLength(1);
      await before.store.close();
      expect(receiver.received).toHaveLength(0);

      const after = open({ dbFile });
      expect(await after.dispatcher.tick()).toBe(5);
      // The dead dispatcher's claim lapses after its lease, then that one is sent too.
      expect(await after.dispatcher.tick()).toBe(0);
      after.clock.advance(60_000);
      expect(await after.dispatcher.tick()).toBe(1);
      const got = (r: Receiver) => r.received.map((x) => x.headers["webhook-id"]!).sort();
      expect(got(receiver)).toEqual(idsA);
      expect(got(second)).toEqual(idsB);
      for (const r of receiver.received) verify(a.secret, r);
      for (const r of second.received) verify(b.secret, r);
      after.clock.advance(24 * 3600_000);
      expect(await after.dispatcher.tick()).toBe(0);
      expect(receiver.received).toHaveLength(3);
      expect(second.received).toHaveLength(3);
    } finally {
      await second.close();
    }
  });

  it("writes the event and its deliveries in one transaction: neither without the other", async () => {
    const k = open();
    await k.register(receiver.url);
    const store = k.store as SqliteStore;
    const at = k.clock.now().toISOString();
    // The event insert fails (no such interview): no delivery may be left behind.
    await expect(store.addEvent({ interviewId: "iv_missing", type: "interview_created", actor: "system", at }, webhookOutbox)).rejects.toThrow();
    // The outbox fails: the event is not stored either.
    const iv = await newInterview(store, at);
    const failing = () => {
      throw new Error("outbox broke");
    };
    await expect(store.addEvent({ interviewId: iv.id, type: "interview_created", actor: "system", at }, failing)).rejects.toThrow("outbox broke");
    expect(await store.listEvents(iv.id)).toEqual([]);
    const [ep] = await store.webhooks.listEndpoints();
    expect(await store.webhooks.listDeliveries(ep!.id, 100)).toEqual([]);
    expect(await k.dispatcher.tick()).toBe(0);
    // And the same call with a working outbox commits both.
    const stored = await store.addEvent({ interviewId: iv.id, type: "interview_created", actor: "system", at }, webhookOutbox);
    const [delivery] = await store.webhooks.listDeliveries(ep!.id, 100);
    expect(delivery!.eventId).toBe(stored.id);
  });
});
