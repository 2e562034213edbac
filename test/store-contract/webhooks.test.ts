import { describe, expect, it } from "vitest";
import type { OutboxMapper, Store, WebhookEndpointRecord } from "../../server/store/index.js";
import { BACKENDS, useStore } from "./backends.js";
import { interview, opened, T, together } from "./fixtures.js";

const endpoint = (id: string, over: Partial<WebhookEndpointRecord> = {}): WebhookEndpointRecord => ({
  id,
  url: `https://example.com/${id}`,
  description: null,
  events: null,
  secret: `whsec_${id}`,
  previousSecret: null,
  previousSecretExpiresAt: null,
  createdAt: T(0),
  disabledAt: null,
  ...over,
});

/** Each event becomes one `link.opened` message, plus a once-only `interview.started`. */
const mapper: OutboxMapper = (e) => [
  { type: "link.opened", payload: JSON.stringify({ id: e.id, interviewId: e.interviewId }) },
  { type: "interview.started", payload: JSON.stringify({ interviewId: e.interviewId }), onceKey: `interview.started:${e.interviewId}` },
];

const LEASE = "2026-01-01T01:00:00.000Z";

describe.each(BACKENDS)("Store contract on $name: webhook endpoints and the outbox", (backend) => {
  const ctx = useStore(backend);
  const setup = async (...endpoints: WebhookEndpointRecord[]): Promise<Store> => {
    const { store } = ctx;
    await store.createInterview(interview("a"));
    for (const ep of endpoints) await store.webhooks.createEndpoint(ep);
    return store;
  };

  it("stores endpoints, lists them oldest first, rotates secrets and disables once", async () => {
    const store = await setup(endpoint("e2", { createdAt: T(2), events: ["link.opened"], description: "ATS" }), endpoint("e1", { createdAt: T(1) }));
    expect(await store.webhooks.getEndpoint("e2")).toEqual(endpoint("e2", { createdAt: T(2), events: ["link.opened"], description: "ATS" }));
    expect((await store.webhooks.listEndpoints()).map((e) => e.id)).toEqual(["e1", "e2"]);
    expect(await store.webhooks.rotateSecret("e1", "whsec_new", T(9))).toBe(true);
    expect(await store.webhooks.getEndpoint("e1")).toMatchObject({ secret: "whsec_new", previousSecret: "whsec_e1", previousSecretExpiresAt: T(9) });
    expect(await store.webhooks.rotateSecret("nope", "whsec_x", T(9))).toBe(false);
    await store.webhooks.disableEndpoint("e1", T(3));
    await store.webhooks.disableEndpoint("e1", T(4));
    expect((await store.webhooks.getEndpoint("e1"))?.disabledAt).toBe(T(3));
  });

  it("queues each message for every enabled endpoint that wants its type, once per once-key", async () => {
    const store = await setup(endpoint("all"), endpoint("opens", { events: ["link.opened"] }), endpoint("off", { disabledAt: T(0) }));
    const first = await store.addEvent(opened(T(1)), mapper);
    await store.addEvent(opened(T(2)), mapper);
    const all = await store.webhooks.listDeliveries("all", 10);
    // Latest first (insertion order breaks ties): the second event's link.opened, then the first event's two.
    expect(all.map((d) => d.type)).toEqual(["link.opened", "interview.started", "link.opened"]);
    expect(all[1]).toMatchObject({ endpointId: "all", eventId: first.id, status: "pending", attempts: 0, nextAttemptAt: T(1), createdAt: T(1) });
    expect(all[1]!.payload).toBe(JSON.stringify({ interviewId: "a" }));
    expect(all.every((d) => /^msg_/.test(d.id))).toBe(true);
    expect((await store.webhooks.listDeliveries("opens", 10)).map((d) => d.type)).toEqual(["link.opened", "link.opened"]);
    expect(await store.webhooks.listDeliveries("off", 10)).toEqual([]);
    expect(await store.webhooks.listDeliveries("all", 1)).toHaveLength(1);
    expect(await store.webhooks.getDelivery(all[0]!.id)).toEqual(all[0]);
  });

  it("claims due deliveries of enabled endpoints under a lease, oldest first, up to the limit", async () => {
    const store = await setup(endpoint("e"));
    await store.addEvent(opened(T(1)), mapper);
    await store.addEvent(opened(T(50)), mapper);
    // At T(10) only the first event's two are due.
    const claimed = await store.webhooks.claimDue(T(10), LEASE, 10);
    expect(claimed.map((d) => [d.type, d.status, d.nextAttemptAt])).toEqual([
      ["link.opened", "delivering", LEASE],
      ["interview.started", "delivering", LEASE],
    ]);
    // Leased: not due again until the lease ends.
    expect(await store.webhooks.claimDue(T(20), LEASE, 10)).toEqual([]);
    expect(await store.webhooks.claimDue(T(55), LEASE, 1)).toHaveLength(1);
    // A kit that died mid-attempt: its lease runs out and the delivery is taken again.
    const retaken = await store.webhooks.claimDue("2026-01-01T01:00:00.000Z", "2026-01-01T02:00:00.000Z", 10);
    expect(retaken.map((d) => d.id).sort()).toEqual([...claimed.map((d) => d.id), (await store.webhooks.listDeliveries("e", 1))[0]!.id].sort());
    await store.webhooks.disableEndpoint("e", T(60));
    expect(await store.webhooks.claimDue("2099-01-01T00:00:00.000Z", "2099-01-01T01:00:00.000Z", 10)).toEqual([]);
  });

  it("never gives one delivery to two dispatchers claiming at once", async () => {
    const store = await setup(endpoint("e1"), endpoint("e2"));
    const peer = await ctx.peer();
    for (let i = 0; i < 30; i++) await store.addEvent(opened(T(i)), mapper);
    const total = (await store.webhooks.listDeliveries("e1", 100)).length + (await store.webhooks.listDeliveries("e2", 100)).length;
    expect(total).toBe(62);
    const batches = await together(8, (i) => (i % 2 ? peer : store).webhooks.claimDue(T(100), LEASE, 10));
    const ids = batches.flat().map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    // Whatever was left is still claimable, so the claims together took each at most once and lost none.
    const rest = await store.webhooks.claimDue(T(100), LEASE, 100);
    expect(ids.length + rest.length).toBe(62);
    expect(new Set([...ids, ...rest.map((d) => d.id)]).size).toBe(62);
  });

  it("records attempts and applies their outcome: delivered, retry later, or failed", async () => {
    const store = await setup(endpoint("e"));
    await store.addEvent(opened(T(1)), () => [{ type: "link.opened", payload: "{}" }]);
    const [d] = await store.webhooks.claimDue(T(2), LEASE, 10);
    await store.webhooks.finishAttempts([{ attempt: { deliveryId: d!.id, at: T(2), statusCode: 500, error: null, durationMs: 12 }, outcome: { status: "pending", nextAttemptAt: T(30) } }]);
    expect(await store.webhooks.getDelivery(d!.id)).toMatchObject({ status: "pending", attempts: 1, nextAttemptAt: T(30) });
    expect(await store.webhooks.claimDue(T(29), LEASE, 10)).toEqual([]);
    await store.webhooks.claimDue(T(30), LEASE, 10);
    await store.webhooks.finishAttempts([{ attempt: { deliveryId: d!.id, at: T(31), statusCode: null, error: "timeout", durationMs: 15000 }, outcome: { status: "failed" } }]);
    expect(await store.webhooks.getDelivery(d!.id)).toMatchObject({ status: "failed", attempts: 2, nextAttemptAt: null });
    expect(await store.webhooks.listAttempts(d!.id)).toEqual([
      { deliveryId: d!.id, at: T(2), statusCode: 500, error: null, durationMs: 12 },
      { deliveryId: d!.id, at: T(31), statusCode: null, error: "timeout", durationMs: 15000 },
    ]);
    // A replay keeps the webhook-id and starts a fresh schedule.
    expect(await store.webhooks.requeue(d!.id, T(40))).toBe(true);
    expect(await store.webhooks.getDelivery(d!.id)).toMatchObject({ id: d!.id, status: "pending", attempts: 0, nextAttemptAt: T(40) });
    expect(await store.webhooks.requeue("nope", T(40))).toBe(false);
    const [again] = await store.webhooks.claimDue(T(41), LEASE, 10);
    await store.webhooks.finishAttempts([{ attempt: { deliveryId: again!.id, at: T(41), statusCode: 204, error: null, durationMs: 3 }, outcome: { status: "delivered" } }]);
    expect(await store.webhooks.getDelivery(d!.id)).toMatchObject({ status: "delivered", attempts: 1, nextAttemptAt: null });
  });

  it("deletes an endpoint with its deliveries and attempts; an attempt finishing afterwards is dropped", async () => {
    const store = await setup(endpoint("e"));
    await store.addEvent(opened(T(1)), () => [{ type: "link.opened", payload: "{}" }]);
    const [d] = await store.webhooks.claimDue(T(2), LEASE, 10);
    await store.webhooks.finishAttempts([{ attempt: { deliveryId: d!.id, at: T(2), statusCode: 500, error: null, durationMs: 1 }, outcome: { status: "pending", nextAttemptAt: T(3) } }]);
    expect(await store.webhooks.deleteEndpoint("e")).toBe(true);
    expect(await store.webhooks.deleteEndpoint("e")).toBe(false);
    expect(await store.webhooks.getDelivery(d!.id)).toBeUndefined();
    expect(await store.webhooks.listAttempts(d!.id)).toEqual([]);
    await store.webhooks.finishAttempts([{ attempt: { deliveryId: d!.id, at: T(4), statusCode: 200, error: null, durationMs: 1 }, outcome: { status: "delivered" } }]);
    expect(await store.webhooks.listAttempts(d!.id)).toEqual([]);
  });
});
