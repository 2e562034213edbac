/** The API reference at /docs in a real browser: it renders the kit's document under its CSP, from the kit alone. */
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../helpers/browser.js";
import { type RunningKit, startKit } from "../helpers/kit-server.js";

const SHOTS = path.resolve(import.meta.dirname, "../../test-results/screenshots");
let kit: RunningKit;
let browser: Browser;

beforeAll(async () => {
  kit = await startKit();
  browser = await launchBrowser({ camera: null });
});
afterAll(async () => {
  await browser?.close();
  await kit?.stop();
});

describe("/docs", () => {
  it("renders the operations and webhooks without a request off the kit or a CSP violation", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const origin = new URL(kit.url).origin;
    const offOrigin: string[] = [];
    // Recorded and refused rather than fetched: this machine has no internet, and the page must not need it.
    await context.route(
      (url) => url.origin !== origin && url.protocol !== "data:" && url.protocol !== "blob:",
      (route) => {
        offOrigin.push(route.request().url());
        return route.abort();
      },
    );
    const page = await context.newPage();
    const violations: string[] = [];
    page.on("console", (m) => {
      if (/Content.Security.Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    await page.goto(`${kit.url}/docs`);
    const shown = (text: string) => page.waitForFunction((t) => document.body.innerText.includes(t), text, { timeout: 30_000 });
    await shown("Create an interview");
    // The outgoing events are listed under the Webhooks tag, once it is opened.
    await page.getByText("Webhooks", { exact: true }).first().click();
    await shown("identity.changed");
    await page.screenshot({ path: path.join(SHOTS, "docs.png") });
    expect(offOrigin).toEqual([]);
    expect(violations).toEqual([]);
    await context.close();
  }, 60_000);
});
