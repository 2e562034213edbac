import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Browser, chromium } from "playwright-core";

const ROOT = path.resolve(import.meta.dirname, "../..");
export const FIXTURES = path.join(ROOT, ".cache", "fixtures");

/** A fake-camera file from `scripts/make-fixtures.sh`. */
export function fixture(name: string): string {
  const file = path.join(FIXTURES, name);
  if (!fs.existsSync(file)) throw new Error(`missing fixture ${file}: run npm run pretest (scripts/make-fixtures.sh)`);
  return file;
}

const BASE_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--autoplay-policy=no-user-gesture-required",
];

/**
 * Launches Debian's Chromium headless. With `camera`, the fake camera plays that
 * file (Chromium loops it); with `camera: null` the browser has no camera at all.
 */
export async function launchBrowser(options: {
  camera: string | null;
  /** Answer the camera permission prompt with "Block". */
  denyPermission?: boolean;
  extraArgs?: string[];
}): Promise<Browser> {
  const args = [...BASE_ARGS, ...(options.extraArgs ?? [])];
  if (options.camera) {
    args.push("--use-fake-device-for-media-stream", `--use-file-for-fake-video-capture=${options.camera}`);
    // Without the fake UI flag headless Chromium denies the prompt, as a candidate clicking "Block" would.
    args.push(options.denyPermission ? "--deny-permission-prompts" : "--use-fake-ui-for-media-stream");
  } else {
    args.push("--use-fake-ui-for-media-stream");
  }
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args,
    env: { ...process.env, HOME: fs.mkdtempSync(path.join(os.tmpdir(), "kit-chromium-")) },
  });
}
