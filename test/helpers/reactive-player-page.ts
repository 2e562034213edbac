import type { PlayerMode, PlayerShown } from "./reactive-player.js";

/** What `installReactivePlayer` hands the page script (JSON). */
export interface PlayerInitConfig {
  reactionMs: number;
  mode: PlayerMode;
  label: string;
  fps: number;
  route: string;
  deviceId: string;
  /** The idle loop and the step clips, fetched when the camera opens. */
  clips: string[];
  /** Scene clips, fetched on first `show`. */
  scenes: string[];
}

/**
 * The reactive player's page side: runs in the page before any of its scripts
 * (serialised as source text: no closures over module scope, no imports at run time).
 * Exposes `window.__player`, whose enumerable fields are `PlayerState` and whose
 * non-enumerable `show(scene)` swaps what the camera canvas draws.
 */
export function playerInit(cfg: PlayerInitConfig): void {
  type Clip = "idle" | "turn_left" | "turn_right" | "move_closer";
  type Step = Exclude<Clip, "idle">;
  type Shown = Exclude<PlayerShown, null>;
  const w = window as unknown as { __player?: unknown };
  const md = navigator.mediaDevices;
  if (w.__player || !md) return; // not a secure context: nothing to replace
  const PROMPT_EVENT = "verify-kit:prompt";
  const WIDTH = 640;
  const HEIGHT = 480;

  const state = {
    mode: cfg.mode,
    reactionMs: cfg.reactionMs,
    prompts: [] as { step: string; index?: number; total?: number; at: number; ignoredFor?: Shown }[],
    played: [] as { step: Step; clip: Step; promptAt: number; at: number; firstFrameAt?: number; endedAt?: number }[],
    current: "idle" as Clip,
    scene: null as PlayerShown,
    frames: 0,
    sceneFrames: Object.fromEntries([...cfg.scenes, "black"].map((s) => [s, 0])) as Record<Shown, number>,
    streams: 0,
  };
  w.__player = state;

  const videos: Partial<Record<Clip, HTMLVideoElement>> = {};
  const scenes: Partial<Record<Shown, Promise<HTMLVideoElement>>> = {};
  let canvas: HTMLCanvasElement | undefined;
  let ctx: CanvasRenderingContext2D | null = null;
  let active: HTMLVideoElement | undefined;
  let sceneVideo: HTMLVideoElement | undefined; // the scene's clip while one is shown ("black" has none)
  let entry: (typeof state.played)[number] | undefined; // the reaction on the canvas now
  let ready: Promise<void> | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  let showing = 0; // bumped by every show(), so a slow scene load cannot override a later call

  const draw = () => {
    if (!ctx) return;
    if (state.scene === "black") {
      ctx.fillStyle = "#000";
      ctx.fillRect(0, 0, WIDTH, HEIGHT);
    } else {
      const src = state.scene ? sceneVideo : active;
      if (!src || src.readyState < 2) return;
      ctx.drawImage(src, 0, 0, WIDTH, HEIGHT);
    }
    state.frames++;
    if (state.scene) state.sceneFrames[state.scene]++;
    else if (entry && entry.firstFrameAt === undefined) entry.firstFrameAt = Date.now();
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

  const video = async (name: string, loop: boolean): Promise<HTMLVideoElement> => {
    const res = await fetch(`${cfg.route}${name}.webm`);
    if (!res.ok) throw new Error(`reactive player: ${cfg.route}${name}.webm answered ${res.status}`);
    const v = document.createElement("video");
    v.muted = true;
    v.playsInline = true;
    v.preload = "auto";
    v.loop = loop;
    v.src = URL.createObjectURL(await res.blob());
    await new Promise<void>((resolve, reject) => {
      v.addEventListener("loadeddata", () => resolve(), { once: true });
      v.addEventListener("error", () => reject(new Error(`reactive player: cannot decode ${name}.webm`)), { once: true });
    });
    return v;
  };

  const load = () =>
    (ready ??= (async () => {
      canvas = document.createElement("canvas");
      canvas.width = WIDTH;
      canvas.height = HEIGHT;
      ctx = canvas.getContext("2d", { alpha: false });
      await Promise.all(
        cfg.clips.map(async (name) => {
          const v = await video(name, name === "idle");
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

  /** Puts `scene` on the canvas in place of idle and reactions (null: back to them); resolves once it is there. */
  const show = async (scene: PlayerShown): Promise<void> => {
    if (scene !== null && !(scene in state.sceneFrames)) throw new Error(`reactive player: no scene ${String(scene)}`);
    const token = ++showing;
    let next: HTMLVideoElement | undefined;
    if (scene && scene !== "black") {
      next = await (scenes[scene] ??= video(scene, true));
      if (token !== showing) return;
      next.currentTime = 0;
      await next.play();
      if (token !== showing) return;
    }
    if (sceneVideo && sceneVideo !== next) sceneVideo.pause();
    if (scene && active && active !== videos.idle) toIdle(state.current); // the scene cuts a reaction short
    sceneVideo = next;
    state.scene = scene;
    draw();
  };
  Object.defineProperty(state, "show", { value: show, enumerable: false }); // kept out of the JSON a test reads

  const react = (step: Step, prompt: (typeof state.prompts)[number]) => {
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
      // Whoever is in front of the camera instead of the candidate does not follow prompts.
      if (state.scene) {
        prompt.ignoredFor = state.scene;
        return;
      }
      const v = videos[clip];
      if (!v) return; // camera never opened
      if (active && active !== videos.idle && active !== v) toIdle(state.current);
      if (active === v) v.currentTime = 0; // the same move prompted again mid-play: restart it
      active = v;
      state.current = clip;
      entry = { step, clip, promptAt: prompt.at, at: Date.now() };
      state.played.push(entry);
      void v.play();
      draw();
    }, state.reactionMs);
  };

  window.addEventListener(PROMPT_EVENT, (event) => {
    const detail = ((event as CustomEvent).detail ?? {}) as { step?: string; index?: number; total?: number };
    const prompt: (typeof state.prompts)[number] = { step: String(detail.step), index: detail.index, total: detail.total, at: Date.now() };
    state.prompts.push(prompt);
    if (state.scene) prompt.ignoredFor = state.scene;
    else if (detail.step === "turn_left" || detail.step === "turn_right" || detail.step === "move_closer") react(detail.step, prompt);
    // A clip library has no clip for a moving target: the best it can do is play a turn when asked to follow.
    else if (detail.step === "follow") react("turn_left", prompt);
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
