import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { mediaFunctionsAreNative } from "../client/camera/virtual.js";
import { PROMPT_EVENT } from "../shared/verification.js";
import { launchChromium } from "../scripts/chromium.js";
import { loopbackContext } from "./helpers/browser.js";
import {
  installReactivePlayer,
  PLAYER_ROUTE,
  PLAYER_SCENES,
  type PlayerMode,
  type PlayerScene,
  type PlayerState,
  showScene,
} from "./helpers/reactive-player.js";

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
    Object.assign(window, { __frames: log, __track: track, __video: video });
    const onFrame = () => {
      g.drawImage(video, 0, 0, 64, 48);
      const px = g.getImageData(0, 0, 64, 48).data;
      (window as unknown as { __thumb: Uint8ClampedArray }).__thumb = px;
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

type Looked = "idle" | PlayerScene;

/**
 * Thumbnails (64x48 RGBA) of the idle clip and each scene every 0.5 s, decoded in the page
 * from the player's own route, to tell which of them the camera stream is delivering.
 */
async function loadReferences(page: Page): Promise<void> {
  await page.evaluate(
    async ([route, names]) => {
      const c = document.createElement("canvas");
      c.width = 64;
      c.height = 48;
      const g = c.getContext("2d", { willReadFrequently: true })!;
      const refs: Record<string, Uint8ClampedArray[]> = {};
      for (const name of names) {
        const v = document.createElement("video");
        v.muted = true;
        v.src = URL.createObjectURL(await (await fetch(`${route}${name}.webm`)).blob());
        await new Promise((resolve) => v.addEventListener("loadeddata", resolve, { once: true }));
        refs[name] = [];
        for (let t = 0; t < 2.9; t += 0.5) {
          v.currentTime = t;
          await new Promise((resolve) => v.addEventListener("seeked", resolve, { once: true }));
          g.drawImage(v, 0, 0, 64, 48);
          refs[name].push(g.getImageData(0, 0, 64, 48).data);
        }
      }
      (window as unknown as { __refs: typeof refs }).__refs = refs;
    },
    [PLAYER_ROUTE, ["idle", ...PLAYER_SCENES]] as const,
  );
}

/** The reference nearest to the last frame the stream delivered (mean abs RGB difference, 0-255), and that frame's mean level. */
const look = (page: Page) =>
  page.evaluate(() => {
    const { __thumb: px, __refs: refs } = window as unknown as { __thumb: Uint8ClampedArray; __refs: Record<string, Uint8ClampedArray[]> };
    const dist = (a: Uint8ClampedArray, b: Uint8ClampedArray) => {
      let d = 0;
      for (let i = 0; i < a.length; i++) if (i % 4 !== 3) d += Math.abs(a[i]! - b[i]!);
      return d / ((a.length / 4) * 3);
    };
    const dists = Object.fromEntries(Object.entries(refs).map(([name, frames]) => [name, Math.min(...frames.map((f) => dist(px, f)))]));
    const nearest = Object.entries(dists).sort((a, b) => a[1] - b[1])[0]![0] as Looked;
    let sum = 0;
    for (let i = 0; i < px.length; i++) if (i % 4 !== 3) sum += px[i]!;
    return { nearest, dists, mean: sum / ((px.length / 4) * 3) };
  });

/** The camera track the page opened once, as the page's <video> still plays it. */
const trackInfo = (page: Page) =>
  page.evaluate(() => {
    const { __track: track, __video: video } = window as unknown as { __track: MediaStreamTrack; __video: HTMLVideoElement };
    const playing = (video.srcObject as MediaStream).getVideoTracks();
    return { id: track.id, readyState: track.readyState, playing: playing.length === 1 && playing[0] === track, label: track.label };
  });

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

    // Frames keep arriving (a generous deadline only a stalled player misses); the rate is a figure
    // for `npm run bench:verifier`, not a gate, since it follows the machine's load.
    await page.waitForFunction(() => (window as unknown as { __frames: unknown[] }).__frames.length >= 20, null, { timeout: 15_000 });
    const log = await frames(page);
    const span = (log.at(-1)!.at - log[0]!.at) / 1000;
    console.log(`idle: ${log.length} frames in ${span.toFixed(2)} s = ${((log.length - 1) / span).toFixed(1)} fps (not asserted)`);
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
    await page.waitForFunction(() => (window as unknown as { __player: PlayerState }).__player.current === "turn_left");
    await page.waitForFunction(() => (window as unknown as { __player: PlayerState }).__player.current === "idle", null, {
      timeout: 15_000,
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
    // Never before the reaction time; how soon after, and how long the clip took on the canvas,
    // depend on the machine's load and are printed above, not asserted.
    expect(delay).toBeGreaterThanOrEqual(345);
    expect(firstFrame).toBeGreaterThanOrEqual(delay);
    expect(played).toBeGreaterThan(1100); // the whole 1333 ms clip, not cut short (load only lengthens it)

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

  it("changes who is in front of the camera on the same track, ignoring prompts meanwhile, then returns to idle", async () => {
    const page = await openPage("cooperative", 100);
    await openCamera(page);
    await loadReferences(page);
    const before = await trackInfo(page);
    expect(before).toMatchObject({ readyState: "live", playing: true });
    await vi.waitFor(async () => expect((await look(page)).nearest).toBe("idle"), { timeout: 15_000, interval: 200 });

    for (const scene of PLAYER_SCENES) {
      await showScene(page, scene);
      const drawn = (await player(page)).sceneFrames[scene];
      const delivered = (await frames(page)).length;
      // Eleven frames of the scene drawn and delivered, within a deadline only a stalled player misses.
      await page.waitForFunction(
        ([scene, drawn, delivered]) => {
          const w = window as unknown as { __player: PlayerState; __frames: unknown[] };
          return (w.__player.sceneFrames as Record<string, number>)[scene as string]! - (drawn as number) > 10 && w.__frames.length - (delivered as number) > 10;
        },
        [scene, drawn, delivered] as const,
        { timeout: 15_000 },
      );
      const seen = await look(page);
      const state = await player(page);
      const log = (await frames(page)).slice(delivered);
      const moved = Math.max(...log.slice(1).map((f) => f.diff));
      const dists = Object.entries(seen.dists).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(", ");
      console.log(`${scene}: ${state.sceneFrames[scene] - drawn} frames drawn, ${log.length} delivered, max diff ${moved.toFixed(2)}; distance to ${dists}`);
      expect(state.scene).toBe(scene);
      expect(state.sceneFrames[scene] - drawn).toBeGreaterThan(10);
      expect(log.length).toBeGreaterThan(10); // the track the page already had keeps delivering
      expect(moved).toBeGreaterThan(0.05); // a moving scene, not a frozen frame
      expect(seen.nearest).toBe(scene);
      expect(seen.dists[scene]! * 2).toBeLessThan(seen.dists.idle!);
    }

    // Nobody there follows prompts: the one sent now, and none played after the reaction time.
    await prompt(page, "turn_left");
    await sleep(400);
    let state = await player(page);
    expect(state.prompts).toMatchObject([{ step: "turn_left", ignoredFor: "two_faces" }]);
    expect(state.played).toEqual([]);

    await showScene(page, "black");
    const black = await vi.waitFor(
      async () => {
        const seen = await look(page);
        expect(seen.mean).toBeLessThan(3);
        return seen;
      },
      { timeout: 15_000, interval: 200 },
    );
    console.log(`black: mean level ${black.mean.toFixed(1)}, ${(await player(page)).sceneFrames.black} frames drawn`);
    expect(black.mean).toBeLessThan(3);

    await showScene(page, null);
    await vi.waitFor(
      async () => {
        const back = await look(page);
        expect(back.nearest).toBe("idle");
        expect(back.mean).toBeGreaterThan(40);
      },
      { timeout: 15_000, interval: 200 },
    );
    await prompt(page, "turn_right", 1);
    await page.waitForFunction(() => (window as unknown as { __player: PlayerState }).__player.current === "turn_right");
    state = await player(page);
    expect(state.scene).toBeNull();
    expect(state.played.map((p) => p.clip)).toEqual(["turn_right"]);
    expect(state.prompts[1]?.ignoredFor).toBeUndefined();

    // All of it on the one track: same id, still live, still what the page plays; one getUserMedia.
    expect(await trackInfo(page)).toEqual(before);
    expect(state.streams).toBe(1);
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
