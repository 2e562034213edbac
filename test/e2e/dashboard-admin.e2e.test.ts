/**
 * The dashboard's admin tabs in a real browser against a real kit: API keys made,
 * used and revoked through the UI; a webhook endpoint registered there, its
 * deliveries (sent by the real dispatcher to a loopback receiver) in the log,
 * a failed one replayed, the secret rotated, the endpoint disabled and deleted.
 */
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebhookDispatcher } from "../../server/webhooks-out/index.js";
import { TEST_API_KEY } from "../helpers/app.js";
import { launchBrowser, loopbackContext } from "../helpers/browser.js";
import { type RunningKit, startKit } from "../helpers/kit-server.js";

const SHOTS = path.resolve(import.meta.dirname, "../../test-results/screenshots");

interface Received {
  headers: Record<string, string>;
  body: string;
}
type Answer = { status: number; headers?: Record<string, string> };

/** A real HTTP receiver on loopback; `answer` decides each reply from how many came before. */
async function startReceiver() {
  const received: Received[] = [];
  let answer: (n: number) => Answer = () => ({ status: 200 });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString("utf8") });
      const a = answer(received.length);
      res.writeHead(a.status, a.headers ?? {});
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    answer: (fn: typeof answer) => void (answer = fn),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
type Receiver = Awaited<ReturnType<typeof startReceiver>>;

let kit: RunningKit;
let browser: Browser;
let page: Page;
let receiver: Receiver;
let gone: Receiver;
let stopDispatcher: () => Promise<void>;

/** A request to the kit over real HTTP with `key` as the bearer key. */
const withKey = (key: string, url = "/v1/interviews") => fetch(`${kit.url}${url}`, { headers: { authorization: `Bearer ${key}` } });

async function signIn(key: string): Promise<void> {
  await page.fill("#api-key", key);
  await page.click("#key-form button[type=submit]");
  await page.waitForSelector("#app:not([hidden])");
}

async function confirmDialog(button: string): Promise<void> {
  const dialog = page.locator("dialog.confirm[open]");
  await dialog.waitFor();
  await dialog.getByRole("button", { name: button }).click();
  await dialog.waitFor({ state: "detached" });
}

async function shoot(name: string, width = 1280): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.setViewportSize({ width, height: 900 });
  await page.screenshot({ path: path.join(SHOTS, name), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
}

beforeAll(async () => {
  kit = await startKit();
  // The kit's own dispatcher loop, as server/main.ts starts it, on this kit's store.
  // The receivers are on loopback, which the SSRF guard refuses unless private targets are allowed.
  stopDispatcher = new WebhookDispatcher({ store: kit.app.store.webhooks, allowPrivateUrls: true }).start(200);
  receiver = await startReceiver();
  gone = await startReceiver();
  gone.answer(() => ({ status: 410 }));
  browser = await launchBrowser({ camera: null });
  const context = await loopbackContext(browser, { viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: kit.url });
  page = await context.newPage();
  await page.goto(`${kit.url}/`);
  await signIn(TEST_API_KEY);
});
afterAll(async () => {
  await stopDispatcher?.();
  await browser?.close();
  await receiver?.close();
  await gone?.close();
  await kit?.stop();
});

describe("dashboard: API keys", () => {
  let secret = "";

  it("marks the configured key and offers no way to revoke it", async () => {
    await page.locator("#screen-interviews").waitFor();
    await shoot("dashboard-interviews-tabs.png");
    await page.click("#tab-keys");
    expect(new URL(page.url()).hash).toBe("#keys");
    const row = page.locator('#key-rows tr[data-key-id="cfg_1"]');
    await row.waitFor();
    expect(await row.locator("[data-source=configuration]").textContent()).toBe("from configuration");
    expect(await row.textContent()).toContain("this dashboard");
    expect(await row.locator("button").count()).toBe(0);
  });

  it("shows the server's error next to the form for a bad name", async () => {
    await page.fill("#key-name", "   ");
    await page.click("#key-create button[type=submit]");
    await page.waitForSelector("#key-create-result .banner.error");
    expect(await page.textContent("#key-create-result")).toMatch(/^name: /);
    expect(await page.getAttribute("#key-name", "aria-invalid")).toBe("true");
  });

  it("creates a key whose secret is shown once and works against the API", async () => {
    await page.fill("#key-name", "Greenhouse integration");
    await page.click("#key-create button[type=submit]");
    secret = (await page.locator("#new-key-secret").textContent())!;
    expect(secret).toMatch(/^vk_[A-Za-z0-9_-]{20,}$/);
    expect(await page.textContent("#key-create-result")).toMatch(/won't see this again/);
    expect(await page.getAttribute("#key-name", "aria-invalid")).toBeNull();
    await page.getByRole("button", { name: "Copy secret" }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);

    const row = page.locator("#key-rows tr", { hasText: "Greenhouse integration" });
    await row.waitFor();
    expect(await row.textContent()).toContain(`${secret.slice(0, 8)}…`);
    expect(await row.locator("[data-revoked]").textContent()).toBe("active");
    expect((await withKey(secret)).status).toBe(200);
    await shoot("dashboard-keys.png");
    await shoot("dashboard-keys-narrow.png", 390);

    // Shown once: gone from the page after "Done" and a reload, and never in the list the API gives.
    await page.getByRole("button", { name: "Done, I saved it" }).click();
    await page.reload();
    await row.waitFor();
    expect(await page.content()).not.toContain(secret);
    expect(await (await withKey(TEST_API_KEY, "/v1/api-keys")).text()).not.toContain(secret);
  });

  it("revokes the key only after confirmation; then the API refuses it", async () => {
    const row = page.locator("#key-rows tr", { hasText: "Greenhouse integration" });
    await row.getByRole("button", { name: "Revoke Greenhouse integration" }).click();
    await page.locator("dialog.confirm[open]").waitFor();
    await shoot("dashboard-keys-confirm.png");
    await confirmDialog("Cancel");
    expect((await withKey(secret)).status).toBe(200);

    await row.getByRole("button", { name: "Revoke Greenhouse integration" }).click();
    await confirmDialog("Revoke key");
    await row.locator('[data-revoked="true"]').waitFor();
    expect(await row.locator("button").count()).toBe(0);
    expect((await withKey(secret)).status).toBe(401);
  });

  it("signs out when the key it is using is revoked from its own screen", async () => {
    const res = await fetch(`${kit.url}/v1/api-keys`, {
      method: "POST",
      headers: { authorization: `Bearer ${TEST_API_KEY}`, "content-type": "application/json" },
      // A dashboard user's key: every scope (a key made without scopes runs interviews only).
      body: JSON.stringify({ name: "Temporary admin", scopes: ["interviews:read", "interviews:write", "personal_data", "webhooks", "keys:admin"] }),
    });
    const own = (await res.json()) as { secret: string };
    await page.click("#sign-out");
    await signIn(own.secret);
    const row = page.locator("#key-rows tr", { hasText: "Temporary admin" });
    await row.waitFor();
    expect(await row.textContent()).toContain("this dashboard");
    await row.getByRole("button", { name: "Revoke Temporary admin" }).click();
    expect(await page.textContent("dialog.confirm")).toContain("you will be signed out");
    await confirmDialog("Revoke key");
    await page.waitForSelector("#key-form:not([hidden]) #key-error .banner.error");
    expect(await page.textContent("#key-error")).toMatch(/no longer accepted/);
    expect(await page.isHidden("#app")).toBe(true);
    // The signed-out view keeps nothing of what the revoked key could see.
    expect(await page.locator("#key-rows tr, #rows tr").count()).toBe(0);
    expect(await page.inputValue("#api-key")).toBe("");
    await signIn(TEST_API_KEY);
  });
});

describe("dashboard: webhooks", () => {
  let secret = "";
  let endpointId = "";

  it("shows the server's error for a URL it will not send to", async () => {
    await page.click("#tab-webhooks");
    await page.waitForSelector("#endpoints-empty:not([hidden])");
    await page.fill("#endpoint-url", "ftp://127.0.0.1/hook");
    await page.click("#endpoint-create button[type=submit]");
    await page.waitForSelector("#endpoint-create-result .banner.error");
    expect(await page.textContent("#endpoint-create-result")).toMatch(/^url: /);
    expect(await page.getAttribute("#endpoint-url", "aria-invalid")).toBe("true");
  });

  it("registers an endpoint for chosen events and shows its secret once", async () => {
    await page.check("input[name=scope][value=some]");
    await page.check('input[name=events][value="interview.created"]');
    await page.fill("#endpoint-url", receiver.url);
    await page.fill("#endpoint-description", "ATS production");
    await page.click("#endpoint-create button[type=submit]");
    secret = (await page.locator("#new-endpoint-secret").textContent())!;
    expect(secret).toMatch(/^whsec_/);
    const item = page.locator("li.endpoint", { hasText: receiver.url });
    await item.waitFor();
    endpointId = (await item.getAttribute("data-endpoint-id"))!;
    expect(await item.locator("[data-state]").textContent()).toBe("active");
    expect(await item.textContent()).toContain("Events: interview.created");
    expect(await item.textContent()).toContain("ATS production");
    expect(await page.isHidden("#event-choices")).toBe(true);
  });

  it("logs a failed delivery with its status code, and Replay sends it again", async () => {
    // The first answer fails with a retry an hour away, so only Replay can bring the second attempt.
    receiver.answer((n) => (n === 1 ? { status: 500, headers: { "retry-after": "3600" } } : { status: 200 }));
    await page.locator("li.endpoint", { hasText: receiver.url }).getByRole("button", { name: "Delivery log" }).click();
    await page.waitForSelector("#deliveries:not([hidden]) li.empty");
    const { json } = await kit.api.createInterview({ candidate: { name: "Webhook Candidate" } });

    // The dashboard hears the interview over its live stream and reloads the log; no click needed.
    const delivery = page.locator("li.delivery").first();
    await delivery.locator('[data-code="500"]').waitFor({ timeout: 15_000 });
    expect(await delivery.getAttribute("data-status")).toBe("pending");
    expect(await delivery.textContent()).toContain(json.id);
    expect(await delivery.locator(".next").textContent()).toMatch(/Next attempt .*in 1 hour/);
    expect(await delivery.locator("table.attempts tbody tr").count()).toBe(1);

    await delivery.getByRole("button", { name: /^Replay/ }).click();
    await page.locator('li.delivery[data-status="delivered"]').waitFor({ timeout: 15_000 });
    const codes = await delivery.locator("table.attempts [data-code]").allTextContents();
    expect(codes).toEqual(["500", "200"]);
    expect(await delivery.locator(".next").count()).toBe(0);

    // Both attempts were the same message, signed with the secret the form showed.
    expect(receiver.received).toHaveLength(2);
    const [first, second] = receiver.received;
    expect(second!.headers["webhook-id"]).toBe(first!.headers["webhook-id"]);
    expect(await delivery.getAttribute("data-delivery-id")).toBe(first!.headers["webhook-id"]);
    expect(new Webhook(secret).verify(second!.body, second!.headers)).toMatchObject({ type: "interview.created", data: { interviewId: json.id } });
    await shoot("dashboard-webhooks.png");
    await shoot("dashboard-webhooks-narrow.png", 390);
  });

  it("rotates the secret, shown once with the 24-hour overlap; both secrets sign meanwhile", async () => {
    const item = page.locator(`li.endpoint[data-endpoint-id="${endpointId}"]`);
    await item.getByRole("button", { name: /^Rotate the secret/ }).click();
    expect(await page.textContent("dialog.confirm")).toContain("24 hours");
    await confirmDialog("Rotate secret");
    const rotated = (await item.locator(`[id="rotated-secret-${endpointId}"]`).textContent())!;
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);
    expect(await item.textContent()).toMatch(/old secret stays valid for 24 hours/);

    await kit.api.createInterview({ candidate: { name: "After Rotation" } });
    await expect.poll(() => receiver.received.length, { timeout: 15_000 }).toBe(3);
    const third = receiver.received[2]!;
    expect(new Webhook(rotated).verify(third.body, third.headers)).toMatchObject({ type: "interview.created" });
    expect(new Webhook(secret).verify(third.body, third.headers)).toMatchObject({ type: "interview.created" });
  });

  it("shows an endpoint the receiver disabled with 410 Gone, and deletes endpoints", async () => {
    const res = await fetch(`${kit.url}/v1/webhook-endpoints`, {
      method: "POST",
      headers: { authorization: `Bearer ${TEST_API_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ url: gone.url }),
    });
    expect(res.status).toBe(201);
    await kit.api.createInterview({ candidate: { name: "Gone Receiver" } });
    const disabledAt = async () => {
      const { endpoints } = (await (await withKey(TEST_API_KEY, "/v1/webhook-endpoints")).json()) as { endpoints: { url: string; disabledAt: string | null }[] };
      return endpoints.find((e) => e.url === gone.url)?.disabledAt ?? null;
    };
    await expect.poll(disabledAt, { timeout: 15_000 }).not.toBeNull();

    await page.click("#tab-keys");
    await page.click("#tab-webhooks");
    const item = page.locator("li.endpoint", { hasText: gone.url });
    await item.locator('[data-state="disabled"]').waitFor();
    expect(await item.textContent()).toMatch(/410 Gone/);
    await item.getByRole("button", { name: "Delivery log" }).click();
    await page.waitForSelector("#deliveries li.delivery [data-code='410']");
    expect(await page.locator("#deliveries li.delivery").first().getByRole("button", { name: /^Replay/ }).isDisabled()).toBe(true);
    await shoot("dashboard-webhooks-disabled.png");

    for (const url of [gone.url, receiver.url]) {
      await page.locator("li.endpoint", { hasText: url }).getByRole("button", { name: `Delete ${url}` }).click();
      await confirmDialog("Delete endpoint");
      await page.locator("li.endpoint", { hasText: url }).waitFor({ state: "detached" });
    }
    await page.waitForSelector("#endpoints-empty:not([hidden])");
    expect(await page.isHidden("#deliveries")).toBe(true);
    const list = (await (await withKey(TEST_API_KEY, "/v1/webhook-endpoints")).json()) as { endpoints: unknown[] };
    expect(list.endpoints).toEqual([]);
  });
});
