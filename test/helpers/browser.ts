import fs from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, BrowserContextOptions } from "playwright-core";
import { launchChromium } from "../../scripts/chromium.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
export const FIXTURES = path.join(ROOT, ".cache", "fixtures");

/** A fake-camera file from `scripts/make-fixtures.sh`. */
export function fixture(name: string): string {
  const file = path.join(FIXTURES, name);
  if (!fs.existsSync(file)) throw new Error(`missing fixture ${file}: run npm run pretest (scripts/make-fixtures.sh)`);
  return file;
}

/**
 * Launches Debian's Chromium headless. With `camera`, the fake camera plays that
 * file (Chromium loops it); with `camera: null` the browser has no camera at all.
 */
export async function launchBrowser(options: {
  camera: string | null;
  /** Answer the camera permission prompt with "Block". */
  denyPermission?: boolean;
}): Promise<Browser> {
  const args: string[] = [];
  if (options.camera) {
    args.push("--use-fake-device-for-media-stream", `--use-file-for-fake-video-capture=${options.camera}`);
    // Without the fake UI flag headless Chromium denies the prompt, as a candidate clicking "Block" would.
    args.push(options.denyPermission ? "--deny-permission-prompts" : "--use-fake-ui-for-media-stream");
  } else {
    args.push("--use-fake-ui-for-media-stream");
  }
  return launchChromium(args);
}

/**
 * A fresh browser context that may reach only this machine: any request off
 * 127.0.0.1 is aborted, so a test can never pass by fetching from the internet.
 */
export async function loopbackContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  await context.route(/^(?!https?:\/\/127\.0\.0\.1[:/]|wss?:\/\/127\.0\.0\.1[:/]|data:|blob:)/, (route) => route.abort());
  return context;
}
