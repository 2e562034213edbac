/**
 * Laptop farms, the device half, from real browsers: two Chromium sessions with the same
 * characteristics (the same browser build, screen, GPU, time zone, languages and fake camera) under
 * two names give `device_reused`; a session with another screen gives none. The page reports its
 * environment and camera as it does for any candidate; no check is needed for the device to be known
 * (the camera shows no face, so none starts).
 */
import type { Browser, BrowserContextOptions } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixture, launchBrowser, loopbackContext } from "../helpers/browser.js";
import { pollForEvent } from "../helpers/events.js";
import { type RunningKit, startKit } from "../helpers/kit-server.js";

let kit: RunningKit;
let browser: Browser;
beforeAll(async () => {
  kit = await startKit();
  browser = await launchBrowser({ camera: fixture("noface.mjpeg") });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await kit?.stop();
});

const events = (id: string) => kit.app.store.listEvents(id);

/** A candidate of a new interview opens the link in a fresh context and consents; resolves once the page reported its machine and camera. */
async function candidate(name: string, email: string, options: BrowserContextOptions = {}): Promise<string> {
  const { json } = await kit.api.createInterview({ candidate: { name, email } });
  const context = await loopbackContext(browser, options);
  try {
    const page = await context.newPage();
    await page.goto(json.candidateUrl!);
    await page.click("#consent");
    await pollForEvent(events, json.id!, (e) => e.type === "camera_granted", 30_000);
    const environment = await pollForEvent(events, json.id!, (e) => e.type === "environment_reported", 30_000);
    expect((environment.data as { device?: unknown }).device).toMatchObject({ platform: expect.any(String), screen: { width: expect.any(Number) } });
  } finally {
    await context.close();
  }
  return json.id!;
}

async function deviceFlag(id: string) {
  const report = await (await kit.api.call("GET", `/v1/interviews/${id}/report`, { headers: kit.api.auth })).json();
  return report.flags.find((f: { id: string }) => f.id === "device_reused");
}

describe("device_reused from real browsers", () => {
  it("is raised for two sessions of one machine under two names, and not for a session with another screen", async () => {
    const first = await candidate("Kim Min-su", "kim@example.com", { screen: { width: 1920, height: 1080 } });
    const second = await candidate("Lee Ji-ho", "lee@example.com", { screen: { width: 1920, height: 1080 } });
    expect(await deviceFlag(first)).toBeUndefined();
    expect(await deviceFlag(second)).toMatchObject({ severity: "medium", evidence: { reported: true, others: [{ interviewId: first, candidateName: "Kim Min-su" }] } });
    const other = await candidate("Park Seo-yeon", "park@example.com", { screen: { width: 1366, height: 768 } });
    expect((await events(other)).map((e) => e.type)).not.toContain("device_checked");
    expect(await deviceFlag(other)).toBeUndefined();
  }, 120_000);
});
