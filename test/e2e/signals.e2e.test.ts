/**
 * The browser's own time zone reaches the risk report: Chromium runs under a
 * forced zone (the DevTools protocol's timezone override, through Playwright),
 * the candidate claims South Korea, and the report and the interviewer's
 * panel show the emulated zone and the mismatch.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixture, launchBrowser, loopbackContext } from "../helpers/browser.js";
import { type RunningKit, startKit } from "../helpers/kit-server.js";

let kit: RunningKit;
const browsers: Browser[] = [];
beforeAll(async () => {
  kit = await startKit();
});
afterAll(async () => {
  await Promise.all(browsers.map((b) => b.close()));
  await kit?.stop();
});

describe("time zone evidence from a real browser", () => {
  it("reports an Asia/Shanghai browser against a Korean claim", async () => {
    const { json } = await kit.api.createInterview({
      candidate: { name: "Choi" },
      claimedLocation: { country: "KR", city: "Seoul", timezone: "Asia/Seoul" },
    });
    const browser = await launchBrowser({ camera: fixture("face.mjpeg") });
    browsers.push(browser);
    const context = await loopbackContext(browser, { timezoneId: "Asia/Shanghai", locale: "zh-CN" });
    const page = await context.newPage();
    await page.goto(json.candidateUrl!);
    await page.click("#consent");

    let report: { environment: { report: { timeZone: string; offsetJanuary: number }; zoneCountry?: string } | null; flags: Array<{ id: string; severity: string; evidence: unknown }>; level: string } | undefined;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && !report?.environment) {
      report = await (await kit.api.call("GET", `/v1/interviews/${json.id}/report`, { headers: kit.api.auth })).json();
      if (!report?.environment) await new Promise((r) => setTimeout(r, 300));
    }
    expect(report?.environment?.report.timeZone).toBe("Asia/Shanghai");
    expect(report?.environment?.report.offsetJanuary).toBe(-480);
    expect(report?.environment?.zoneCountry).toBe("CN");
    const flag = report!.flags.find((f) => f.id === "timezone_mismatch");
    expect(flag?.severity).toBe("high");
    expect(report!.level).toBe("high");

    // The interviewer's panel shows the same, as text.
    const interviewer = await context.newPage();
    await interviewer.goto(json.interviewerUrl!);
    await interviewer.waitForSelector("[data-flag=timezone_mismatch]", { timeout: 15_000 });
    expect(await interviewer.textContent("#browser-zone")).toContain("Asia/Shanghai");
    expect(await interviewer.getAttribute("#risk-level", "data-level")).toBe("high");
  }, 90_000);
});
