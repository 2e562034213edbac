import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WebhookEvent } from "../shared/webhooks.js";
import { RETRY_SCHEDULE_MS, WebhookDispatcher } from "../server/webhooks-out/index.js";
import { client, testApp } from "./helpers/app.js";
import { type Receiver, startReceiver } from "./helpers/webhook-receiver.js";

/** Nothing here touches a room: the LiveKit settings are never used. */
const livekit = { url: "ws://127.0.0.1:9", publicUrl: "ws://127.0.0.1:9", apiKey: "unused-key", apiSecret: "unused-secret-0123456789abcdef0123456789" };
const DAY = 86_400_000;

describe("delivery log retention", () => {
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(() => receiver.close());

  it("prunes delivered and failed deliveries with their attempts once both their creation and last attempt are past retention; never pending ones", async () => {
    let t = Date.parse("2030-03-01T00:00:00.000Z");
    const now = () => new Date(t);
    const k = testApp({ livekit, now, webhookAllowPrivateUrls: true });
    const api = client(k.app);
    const dispatcher = new WebhookDispatcher({ store: k.store.webhooks, now, allowPrivateUrls: true });
    try {
      const res = await api.call("POST", "/v1/webhook-endpoints", { body: { url: receiver.url }, headers: api.auth });
      expect(res.status).toBe(201);
      const endpointId = ((await res.json()) as { id: string }).id;
      const interviews: Record<string, string> = {};
      const create = async (name: string) => {
        const { json } = await api.createInterview();
        interviews[json.id!] = name;
      };
      // The receiver's answer depends on the interview: "failing" always 500, "postponed" asks for 46 days.
      receiver.answer((_n, got) => {
        const name = interviews[(JSON.parse(got.body) as WebhookEvent).data.interviewId];
        if (name === "failing") return { status: 500 };
        if (name === "postponed") return { status: 503, headers: { "retry-after": String(46 * 86_400) } };
        return { status: 204 };
      });
      const ids = async () => {
        const byName: Record<string, string> = {};
        for (const d of await k.store.webhooks.listDeliveries(endpointId, 100)) byName[interviews[(JSON.parse(d.payload) as WebhookEvent).data.interviewId]!] = d.id;
        return byName;
      };

      await create("delivered");
      await create("failing");
      await create("postponed");
      await create("replayed");
      expect(await dispatcher.tick()).toBe(4);
      for (const wait of RETRY_SCHEDULE_MS) {
        t += wait;
        expect(await dispatcher.tick()).toBe(1);
      }
      const first = await ids();
      expect((await k.store.webhooks.getDelivery(first.failing!))!.status).toBe("failed");
      expect((await k.store.webhooks.getDelivery(first.postponed!))!.status).toBe("pending");
      const failedAt = t;

      // Day 29: a recent interview, and a replay of an old delivery (its last attempt is now recent).
      t = Date.parse("2030-03-30T00:00:00.000Z");
      await create("recent");
      expect((await api.call("POST", `/v1/webhook-deliveries/${first.replayed}/replay`, { headers: api.auth })).status).toBe(202);
      expect(await dispatcher.tick()).toBe(2);

      // 30 days and an hour after the start: only the delivery finished at the start is past retention.
      t = Date.parse("2030-03-31T01:00:00.000Z");
      expect(t - 30 * DAY).toBeLessThan(failedAt);
      expect(await k.webhooks.pruneLog(30)).toBe(1);
      let left = await ids();
      expect(Object.keys(left).sort()).toEqual(["failing", "postponed", "recent", "replayed"]);
      expect(await k.store.webhooks.listAttempts(first.delivered!)).toEqual([]);
      expect(await k.store.webhooks.getDelivery(first.delivered!)).toBeUndefined();

      // Two days later the failed one's last retry is past retention too; the pending one is kept however old.
      t += 2 * DAY;
      expect(await k.webhooks.pruneLog(30)).toBe(1);
      left = await ids();
      expect(Object.keys(left).sort()).toEqual(["postponed", "recent", "replayed"]);
      expect(await k.store.webhooks.listAttempts(first.failing!)).toEqual([]);
      expect(await k.store.webhooks.listAttempts(first.postponed!)).toHaveLength(1);
      expect(await k.webhooks.pruneLog(30)).toBe(0);

      // A shorter retention takes the replayed and recent ones too, still not the pending one.
      expect(await k.webhooks.pruneLog(1)).toBe(2);
      expect(Object.keys(await ids())).toEqual(["postponed"]);
      // And the pending one is still sent when it falls due.
      t = Date.parse("2030-04-20T00:00:00.000Z");
      receiver.answer(() => ({ status: 204 }));
      expect(await dispatcher.tick()).toBe(1);
      expect((await k.store.webhooks.getDelivery(first.postponed!))!.status).toBe("delivered");
    } finally {
      await k.store.close();
    }
  });
});
