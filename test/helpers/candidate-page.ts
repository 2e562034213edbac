import type { Browser, Page } from "playwright-core";
import { launchBrowser, loopbackContext } from "./browser.js";
import { installMeshPlayer, type MeshPlayerOptions } from "./mesh-player.js";
import { installReactivePlayer, type PlayerMode } from "./reactive-player.js";

/**
 * How the candidate's camera is played: a fake-camera file, no camera, the reactive player of
 * recorded footage (an attack tool on the follow challenge), or the mesh-face player that follows
 * the target (the bona fide test candidate: a live 3D render of one photo).
 */
export type CandidateCamera = { file: string } | { player: PlayerMode } | { mesh: MeshPlayerOptions } | null;

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
  if (camera && "mesh" in camera) await installMeshPlayer(context, camera.mesh);
  const page = await context.newPage();
  page.on("pageerror", (err) => console.error("candidate page error:", err.message));
  await page.goto(url);
  return { browser, page };
}

const SETTLED_SELECTOR = SETTLED_STATES.map((s) => `body[data-state=${s}]`).join(", ");

/**
 * Consents and waits until the page settles; a failed check is retried with the page's own Retry
 * button while attempts remain, as a candidate would (a real-media judgement on a busy machine may
 * need it). Each failure is printed with its reason. Returns the final state.
 */
export async function consentAndPass(page: Page, maxAttempts = 3, timeoutMs = 120_000): Promise<string> {
  await page.click("#consent");
  for (let attempt = 1; ; attempt++) {
    await page.waitForSelector(SETTLED_SELECTOR, { timeout: timeoutMs });
    const state = (await page.evaluate(() => document.body.dataset.state)) ?? "";
    if (state !== "check_failed" || attempt >= maxAttempts) return state;
    console.warn(`candidate check ${attempt} failed: ${await page.getAttribute("#liveness-failure", "data-failure")}; retrying`);
    await page.click("#retry");
    await page.waitForSelector("body:not([data-state=check_failed])", { timeout: timeoutMs });
  }
}

/** Consents and waits until the page settles (admitted, failed, blocked…); returns the state. */
export async function consentAndSettle(page: Page, timeoutMs = 120_000): Promise<string> {
  await page.click("#consent");
  await page.waitForSelector(SETTLED_STATES.map((s) => `body[data-state=${s}]`).join(", "), { timeout: timeoutMs });
  return (await page.evaluate(() => document.body.dataset.state)) ?? "";
}
