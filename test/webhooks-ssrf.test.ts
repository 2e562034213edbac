import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { WebhookDelivery, WebhookEndpointWithSecret } from "../shared/webhooks.js";
import { WebhookDispatcher, WebhookEndpointService } from "../server/webhooks-out/index.js";
import type { Resolver } from "../server/webhooks-out/url-guard.js";
import { client, tempDbFile, testApp } from "./helpers/app.js";
import { type Receiver, startReceiver, verify } from "./helpers/webhook-receiver.js";

/** Nothing here touches a room: the LiveKit settings are never used. */
const livekit = { url: "ws://127.0.0.1:9", publicUrl: "ws://127.0.0.1:9", apiKey: "unused-key", apiSecret: "unused-secret-0123456789abcdef0123456789" };

/** The kit with WEBHOOK_ALLOW_PRIVATE_URLS as given (production's default is false). */
function kit(allowPrivate: boolean, dbFile = tempDbFile()) {
  const built = testApp({ livekit, dbFile, webhookAllowPrivateUrls: allowPrivate });
  const api = client(built.app);
  const post = (url: string) => api.call("POST", "/v1/webhook-endpoints", { body: { url }, headers: api.auth });
  const deliveries = async (endpointId: string) =>
    ((await (await api.call("GET", `/v1/webhook-endpoints/${endpointId}/deliveries`, { headers: api.auth })).json()) as { deliveries: WebhookDelivery[] })
      .deliveries;
  const created = () => api.createInterview();
  return { ...built, api, post, deliveries, created, dbFile };
}

describe("webhook endpoints and SSRF", () => {
  let receiver: Receiver;
  const kits: ReturnType<typeof kit>[] = [];
  const open = (allowPrivate: boolean, dbFile?: string) => {
    const k = kit(allowPrivate, dbFile);
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

  it("refuses loopback, private, link-local, metadata and disguised addresses with 422 webhook_url_forbidden", async () => {
    const k = open(false);
    const port = receiver.port;
    const refused = [
      `http://127.0.0.1:${port}/hook`,
      `http://[::1]:${port}/hook`,
      "http://10.0.0.1/hook",
      "http://172.16.5.4/hook",
      "http://192.168.0.10/hook",
      "http://169.254.169.254/latest/meta-data/",
      "http://100.64.0.1/hook",
      "http://0.0.0.0/hook",
      "http://224.0.0.1/hook",
      "http://[fe80::1]/hook",
      "http://[fd00::1]/hook",
      `http://[::ffff:127.0.0.1]:${port}/hook`,
      "http://[::ffff:169.254.169.254]/",
      `http://localhost:${port}/hook`,
      `http://2130706433:${port}/hook`,
      `http://0177.0.0.1:${port}/hook`,
      `http://0x7f000001:${port}/hook`,
      `http://0:${port}/hook`,
    ];
    for (const url of refused) {
      const res = await k.post(url);
      const body = (await res.json()) as { error: { code: string; message: string; field?: string } };
      expect([url, res.status, body.error.code, body.error.field]).toEqual([url, 422, "webhook_url_forbidden", "url"]);
      expect(body.error.message).toContain("WEBHOOK_ALLOW_PRIVATE_URLS");
    }
    expect((await (await k.api.call("GET", "/v1/webhook-endpoints", { headers: k.api.auth })).json()).endpoints).toEqual([]);
    // Nothing was stored, so nothing is queued or sent.
    await k.created();
    const dispatcher = new WebhookDispatcher({ store: k.store.webhooks });
    expect(await dispatcher.tick()).toBe(0);
    expect(receiver.received).toEqual([]);
  });

  it("refuses credentials in the URL and other schemes (400), and accepts a public address", async () => {
    const k = open(false);
    for (const url of ["https://user:secret@hooks.example.com/x", "https://token@hooks.example.com/x", "ftp://hooks.example.com/x", "file:///etc/passwd"]) {
      const res = await k.post(url);
      expect([url, res.status, ((await res.json()) as { error: { code: string } }).error.code]).toEqual([url, 400, "validation_failed"]);
    }
    // An address literal needs no DNS: a public one is registered (and never contacted by this test).
    const ok = await k.post("https://93.184.216.34/hook");
    expect(ok.status).toBe(201);
  });

  it("checks again at delivery: an endpoint stored while allowed is refused when the kit no longer allows it", async () => {
    const dbFile = tempDbFile();
    const allowing = open(true, dbFile);
    const res = await allowing.post(receiver.url);
    expect(res.status).toBe(201);
    const ep = (await res.json()) as WebhookEndpointWithSecret;
    await allowing.created();
    await allowing.store.close();

    const strict = open(false, dbFile);
    const dispatcher = new WebhookDispatcher({ store: strict.store.webhooks, allowPrivateUrls: false });
    expect(await dispatcher.tick()).toBe(1);
    expect(receiver.received).toEqual([]);
    const [delivery] = await strict.deliveries(ep.id);
    expect(delivery!.status).toBe("pending");
    expect(delivery!.attempts).toEqual([
      expect.objectContaining({ statusCode: null, error: expect.stringMatching(/^webhook_url_forbidden: .*loopback.*127\.0\.0\.1/) }),
    ]);

    // The same delivery goes out, with the same webhook-id, once the kit allows private targets again.
    const allowed = new WebhookDispatcher({ store: strict.store.webhooks, allowPrivateUrls: true, now: () => new Date(Date.now() + 10_000) });
    expect(await allowed.tick()).toBe(1);
    expect(receiver.received.map((r) => r.headers["webhook-id"])).toEqual([delivery!.id]);
    verify(ep.secret, receiver.received[0]!);
  });

  // DNS is played by a stub resolver here, so a name can change its answer between two lookups.
  it("refuses a delivery whose name was public at registration and resolves to loopback now (DNS rebinding)", async () => {
    const k = open(false);
    let answer = "93.184.216.34";
    const resolve: Resolver = async () => [{ address: answer, family: 4 }];
    const service = new WebhookEndpointService({ store: k.store.webhooks, now: () => new Date(), allowPrivateUrls: false, resolve });
    const ep = await service.create({ url: `http://rebind.example.test:${receiver.port}/hook` });
    await k.created();
    answer = "127.0.0.1";
    const dispatcher = new WebhookDispatcher({ store: k.store.webhooks, allowPrivateUrls: false, resolve });
    expect(await dispatcher.tick()).toBe(1);
    expect(receiver.received).toEqual([]);
    const [delivery] = await k.deliveries(ep.id);
    expect(delivery!.attempts[0]!.error).toMatch(/^webhook_url_forbidden: .*loopback addresses \(rebind\.example\.test resolves to one\)/);
    // The delivery log, which key holders read, does not say what the name resolved to inside the network.
    expect(delivery!.attempts[0]!.error).not.toContain("127.0.0.1");
  });

  it("connects to the address it checked, not to a fresh lookup", async () => {
    const k = open(true);
    const lookups: string[] = [];
    // The stub is the only place this name resolves: system DNS knows no *.example.test.
    const resolve: Resolver = async (host) => {
      lookups.push(host);
      return [{ address: "127.0.0.1", family: 4 }];
    };
    const service = new WebhookEndpointService({ store: k.store.webhooks, now: () => new Date(), allowPrivateUrls: true, resolve });
    const url = `http://pinned.example.test:${receiver.port}/hook`;
    const ep = await service.create({ url });
    await k.created();
    const dispatcher = new WebhookDispatcher({ store: k.store.webhooks, allowPrivateUrls: true, resolve });
    expect(await dispatcher.tick()).toBe(1);
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]!.headers.host).toBe(`pinned.example.test:${receiver.port}`);
    verify(ep.secret, receiver.received[0]!);
    expect(lookups).toEqual(["pinned.example.test", "pinned.example.test"]);
  });
});
