/** The interviewer dashboard in a real browser: create, live status, and candidate-supplied text kept as text. */
import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_API_KEY, tokenOf } from "../helpers/app.js";
import { launchBrowser, loopbackContext } from "../helpers/browser.js";
import { type RunningKit, startKit } from "../helpers/kit-server.js";

const SHOTS = path.resolve(import.meta.dirname, "../../test-results/screenshots");
const XSS = "<img src=x onerror=alert(1)>";
let kit: RunningKit;
let browser: Browser;
let page: Page;
const dialogs: string[] = [];

beforeAll(async () => {
  kit = await startKit();
  browser = await launchBrowser({ camera: null });
  const context = await loopbackContext(browser, { viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(`${kit.url}/`);
});
afterAll(async () => {
  await browser?.close();
  await kit?.stop();
});

describe("dashboard", () => {
  it("refuses a wrong API key with a clear message", async () => {
    await page.fill("#api-key", "not-the-key-at-all");
    await page.click("#key-form button[type=submit]");
    await page.waitForSelector("#key-error .banner.error");
    expect(await page.textContent("#key-error")).toMatch(/API key/);
    expect(await page.isHidden("#app")).toBe(true);
  });

  it("creates an interview and shows the links, rendering a hostile name as text", async () => {
    await page.fill("#api-key", TEST_API_KEY);
    await page.click("#key-form button[type=submit]");
    await page.waitForSelector("#app:not([hidden])");
    await page.fill("#name", XSS);
    await page.fill("#country", "KR");
    await page.fill("#city", "Seoul");
    await page.selectOption("#document", "required");
    await page.click("#create button[type=submit]");
    await page.waitForSelector("#candidate-url");
    const [created] = await kit.app.store.listInterviews(1, 0);
    expect(created).toMatchObject({ candidateName: XSS, documentMode: "required" });
    expect(await page.textContent("#candidate-url")).toMatch(new RegExp(`^${kit.url}/c/[A-Za-z0-9_-]{43}$`));
    expect(await page.textContent("#interviewer-url")).toMatch(new RegExp(`^${kit.url}/i/[A-Za-z0-9_-]{43}$`));

    const row = page.locator("#rows tr").first();
    await expect.poll(() => row.locator("td.name").textContent()).toBe(XSS);
    expect(await page.locator("#rows img").count()).toBe(0);
    await row.click();
    await page.waitForSelector("#detail-name");
    expect(await page.textContent("#detail-name")).toBe(XSS);
    expect(await page.locator("#detail img[src=x]").count()).toBe(0);
    expect(dialogs).toEqual([]);
  });

  it("shows a status change live, without a reload", async () => {
    const { json } = await kit.api.createInterview({ candidate: { name: "Live Update" } });
    const row = page.locator(`#rows tr[data-id="${json.id}"]`);
    await row.waitFor({ timeout: 10_000 });
    expect(await row.locator("[data-status]").getAttribute("data-status")).toBe("created");
    await row.click();
    // The candidate opens their link elsewhere; the dashboard hears it over the stream.
    await kit.api.call("GET", `/v1/candidate/${tokenOf(json.candidateUrl!)}`);
    await row.locator("[data-status=link_opened]").waitFor({ timeout: 10_000 });
    await page.waitForSelector("#detail svg circle[data-lane=Network]");
    expect(await page.textContent("#live-status")).toBe("live");
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, "dashboard.png"), fullPage: true });
  });
});
