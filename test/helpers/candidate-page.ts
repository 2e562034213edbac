import type { Browser, Page } from "playwright-core";
import { launchBrowser, loopbackContext } from "./browser.js";
import { installReactivePlayer, type PlayerMode } from "./reactive-player.js";

/** How the candidate's camera is played: a fake-camera file, no camera, or the reactive player of real footage. */
export type CandidateCamera = { file: string } | { player: PlayerMode } | null;

/** States in which the candidate page has stopped and waits for a person. */
export const SETTLED_STATES = ["in_interview", "check_failed", "blocked", "camera_failed", "check_busy", "join_failed"] as const;

/**
 * Opens the candidate page in a fresh headless Chromium. With `{ player }` the
 * camera is the test-only reactive player (real cap12 footage that follows the
 * verifier's prompts, as a cooperative person would).
 */
export async function openCandidate(
  url: string,
  camera: CandidateCamera,
  options: { denyPermission?: boolean; timezoneId?: string } = {},
): Promise<{ browser: Browser; page: Page }> {
  const browser = await launchBrowser({ camera: camera && "file" in camera ? camera.file : null, denyPermission: options.denyPermission });
  const context = await loopbackContext(browser, options.timezoneId ? { timezoneId: options.timezoneId } : {});
  if (camera && "player" in camera) await installReactivePlayer(context, { mode: camera.player });
  const page = await context.newPage();
  page.on("pageerror", (err) => console.error("candidate page error:", err.message));
  await page.goto(url);
  return { browser, page };
}

/** Consents and waits until the page settles (admitted, failed, blocked…); returns the state. */
export async function consentAndSettle(page: Page, timeoutMs = 120_000): Promise<string> {
  await page.click("#consent");
  await page.waitForSelector(SETTLED_STATES.map((s) => `body[data-state=${s}]`).join(", "), { timeout: timeoutMs });
  return (await page.evaluate(() => document.body.dataset.state)) ?? "";
}
