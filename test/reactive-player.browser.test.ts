import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mediaFunctionsAreNative } from "../client/camera/virtual.js";
import { PROMPT_EVENT } from "../shared/verification.js";
import { launchChromium } from "../scripts/chromium.js";
import { loopbackContext } from "./helpers/browser.js";
import { installReactivePlayer, type PlayerMode, type PlayerState } from "./helpers/reactive-player.js";

// The reactive player in Debian's Chromium: one camera, real footage, a switch to the
// prompted move after the reaction time, and media functions that read as patched.

let browser: Browser;
let server: http.Server;
let origin: string;

beforeAll(async () => {
  server = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>player</title><body></body>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

async function openPage(mode: PlayerMode, reactionMs = 350): Promise<Page> {
  const context = await loopbackContext(browser);
  await installReactivePlayer(context, { mode, reactionMs });
  const page = await context.newPage();
  await page.goto(`${origin}/`);
  return page;
}

/**
 * Opens the camera as the kit does, plays it in a <video> and records, for each
 * frame the stream delivers, its time and a 64x48 grey thumbnail's mean difference
 * from the previous frame (a cut between clips shows as a spike).
 */
async function openCamera(page: Page) {
  return page.evaluate(async () => {
    const stream = await navigator.mediaDevices.getUserMedia({
      video: { width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 30 } },
      audio: false,
    });
    const track = stream.getVideoTracks()[0]!;
    const video = document.createElement("video");
    video.muted = true;
    video.srcObject = stream;
    await video.play();
    const c = document.createElement("canvas");
    c.width = 64;
    c.height = 48;
    const g = c.getContext("2d", { willReadFrequently: true })!;
    let prev: Uint8ClampedArray | undefined;
    const log: { at: number; diff: number; mean: number }[] = [];
    (window as unknown as { __frames: typeof log }).__frames = log;
    const onFrame = () => {
      g.drawImage(video, 0, 0, 64, 48);
      const px = g.getImageData(0, 0, 64, 48).data;
      let diff = 0;
      let sum = 0;
      for (let i = 0; i < px.length; i += 4) {
        sum += px[i]!;
        if (prev) diff += Math.abs(px[i]! - prev[i]!);
      }
      prev = px;
      log.push({ at: Date.now(), diff: diff / (64 * 48), mean: sum / (64 * 48) });
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
    const devices = await navigator.mediaDevices.enumerateDevices();
    return {
      settings: track.getSettings(),
      label: track.label,
      devices: devices.map((d) => ({ kind: d.kind, label: d.label, deviceId: d.deviceId })),
      size: [video.videoWidth, video.videoHeight],
    };
  });
}

const player = (page: Page) => page.evaluate(() => (window as unknown as { __player: PlayerState }).__player);
const frames = (page: Page) =>
  page.evaluate(() => (window as unknown as { __frames: { at: number; diff: number; mean: number }[] }).__frames);
const prompt = (page: Page, step: string, index = 0) =>
  page.evaluate(
    ([name, step, index]) => window.dispatchEvent(new CustomEvent(name, { detail: { step, index, total: 3 } })),
    [PROMPT_EVENT, step, index] as const,
  );
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("reactive player", () => {
  it("is one 640x480 camera of real footage whose media functions read as patched", async () => {
    const page = await openPage("cooperative");
    const cam = await openCamera(page);
    expect(cam.settings).toMatchObject({ width: 640, height: 480, deviceId: "reactive-test-player" });
    expect(cam.label).toBe("Reactive test player");
    expect(cam.devices).toEqual([{ kind: "videoinput", label: "Reactive test player", deviceId: "reactive-test-player" }]);
    expect(cam.size).toEqual([640, 480]);

    const native = await page.evaluate(`(() => { const __name = (f) => f; return (${mediaFunctionsAreNative})(navigator.mediaDevices); })()`);
    expect(native).toBe(false);
    // The check itself is right: a context without the player has native functions.
    const plain = await (await loopbackContext(browser)).newPage();
    await plain.goto(`${origin}/`);
    expect(await plain.evaluate(`(() => { const __name = (f) => f; return (${mediaFunctionsAreNative})(navigator.mediaDevices); })()`)).toBe(true);

    await sleep(1500);
    const log = await frames(page);
    const span = (log.at(-1)!.at - log[0]!.at) / 1000;
    const fps = (log.length - 1) / span;
    console.log(`idle: ${log.length} frames in ${span.toFixed(2)} s = ${fps.toFixed(1)} fps`);
    expect(fps).toBeGreaterThan(20);
    // Real footage moves: some consecutive frames differ, and the image is not blank.
    expect(Math.max(...log.slice(1).map((f) => f.diff))).toBeGreaterThan(0.3);
    expect(log.at(-1)!.mean).toBeGreaterThan(40);
    expect((await player(page)).played).toEqual([]);
    await page.context().close();
    await plain.context().close();
  });

  it("plays the prompted move after the reaction time, then returns to idle", async () => {
    const page = await openPage("cooperative", 350);
    await openCamera(page);
    await sleep(800);
    const before = (await frames(page)).length;
    await prompt(page, "turn_left");
    await sleep(200);
    expect((await player(page)).current).toBe("idle"); // not before the reaction time
    await page.waitForFunction(() => (window as unknown as { __player: PlayerState }).__player.current === "turn_left");
    await page.waitForFunction(() => (window as unknown as { __player: PlayerState }).__player.current === "idle", null, {
      timeout: 5000,
    });
    const state = await player(page);
    expect(state.prompts).toHaveLength(1);
    expect(state.played).toHaveLength(1);
    const [e] = state.played;
    expect(e).toMatchObject({ step: "turn_left", clip: "turn_left" });
    const delay = e!.at - e!.promptAt;
    const firstFrame = e!.firstFrameAt! - e!.promptAt;
    const played = e!.endedAt! - e!.at;
    console.log(`turn_left: switch ${delay} ms after the prompt, first frame drawn at +${firstFrame} ms, on canvas ${played} ms (clip 1333 ms)`);
    expect(delay).toBeGreaterThanOrEqual(345);
    expect(delay).toBeLessThan(500);
    expect(firstFrame).toBeLessThan(550);
    expect(played).toBeGreaterThan(1100);
    expect(played).toBeLessThan(2000);

    // The cut shows in the delivered stream: the largest frame-to-frame change after the prompt
    // comes near the switch (the cut from idle 2-3.5 s to the turn at 20.68 s, or the cut back).
    const log = (await frames(page)).slice(before);
    const cut = log.filter((f) => f.at >= e!.promptAt && f.at <= e!.at + 400).sort((a, b) => b.diff - a.diff)[0]!;
    console.log(`stream: cut seen ${cut.at - e!.promptAt} ms after the prompt (diff ${cut.diff.toFixed(1)})`);

    // A second prompt plays the next move.
    await prompt(page, "move_closer", 1);
    await page.waitForFunction(() => (window as unknown as { __player: PlayerState }).__player.current === "move_closer");
    expect((await player(page)).played.map((p) => p.clip)).toEqual(["turn_left", "move_closer"]);
    await page.context().close();
  });

  it("turns the wrong way in wrong_way mode and never reacts in ignore mode", async () => {
    const wrong = await openPage("wrong_way", 100);
    await openCamera(wrong);
    await prompt(wrong, "turn_right");
    await wrong.waitForFunction(() => (window as unknown as { __player: PlayerState }).__player.played.length === 1);
    expect((await player(wrong)).played[0]).toMatchObject({ step: "turn_right", clip: "turn_left" });
    await wrong.context().close();

    const ignore = await openPage("ignore", 100);
    await openCamera(ignore);
    await prompt(ignore, "turn_right");
    await sleep(600);
    const state = await player(ignore);
    expect(state.prompts).toHaveLength(1);
    expect(state.played).toEqual([]);
    expect(state.current).toBe("idle");
    await ignore.context().close();
  });
});
