import { createMeshFace, MESH_HEIGHT, MESH_WIDTH, type MeshFace, type MeshFaceData } from "./mesh-render.js";
import { seeded } from "./prng.js";
import type { PlayerShown } from "./reactive-player.js";

/**
 * The mesh player's page side. Bundled by esbuild (with ./mesh-render.ts and ./prng.ts) into one
 * init script by test/helpers/mesh-player.ts, so unlike the reactive player's page script it may
 * import; it must not import anything that needs Node. Runs in the page before any of its scripts.
 *
 * The camera is a 640x480 canvas on which the astronaut's mesh face (./mesh-render.ts) is rendered
 * every frame at the head's pose, the head following the page's `verify-kit:target` events as
 * test/helpers/mesh-publisher.ts follows the verifier's `target` messages: each frame heads for the
 * most recent target received at least `reactionMs` before it (times `gain`; a hidden target,
 * `detail: null`, means facing the camera), through a first-order low pass (`smoothingMs`), plus a
 * smooth random jitter. Facing (0, 0) until the first target is due.
 */

/** What `installMeshPlayer` hands the page script (JSON). */
export interface MeshPlayerInitConfig {
  reactionMs: number;
  jitterDeg: number;
  jitterMs: number;
  gain: number;
  smoothingMs: number;
  fps: number;
  seed: number;
  label: string;
  deviceId: string;
  /** Where the face data and scene clips are fetched from ("/__player/"). */
  route: string;
  /** Window events the page dispatches: the follow target's moves, and prompts (only logged). */
  targetEvent: string;
  promptEvent: string;
  /** Scenes `show` can put in place of the face, and the clip (`<route><clip>.webm`, fetched on first use) each plays. */
  scenes: Record<string, string>;
  /** How many rendered poses `rendered` keeps (the latest). */
  keepRendered: number;
  /** How many received targets `targets` keeps (the latest). */
  keepTargets: number;
}

/** A `verify-kit:target` event as received (`at`: `Date.now()` in the page on arrival). */
export interface MeshTargetEntry {
  /** 0, 1, 2, … in order of arrival (still counting when old entries are dropped). */
  seq: number;
  at: number;
  /** Degrees, the verifier's convention; 0 when `hidden`. */
  yaw: number;
  pitch: number;
  /** The event said `detail: null`: the target is gone, the head drifts back to facing. */
  hidden: boolean;
}

/** One face frame drawn onto the camera canvas. */
export interface MeshRenderedPose {
  /** `Date.now()` in the page when it was rendered. */
  at: number;
  /** The pose rendered (degrees, the verifier's convention), jitter included. */
  yaw: number;
  pitch: number;
  /** `seq` of the target the head was heading for, or -1 before any target was due. */
  target: number;
}

/** What the page exposes as `window.__player` (read it with `page.evaluate(() => window.__player)`). */
export interface MeshPlayerState {
  kind: "mesh";
  reactionMs: number;
  jitterDeg: number;
  gain: number;
  smoothingMs: number;
  fps: number;
  seed: number;
  /** The face data is loaded and frames are being drawn. */
  ready: boolean;
  /** Why the camera could not start, if it could not. */
  error?: string;
  /** Frames drawn onto the camera canvas so far (face and scenes). */
  frames: number;
  /** Of those, frames of the face. */
  faceFrames: number;
  /** Of those, frames drawn while each scene was shown. */
  sceneFrames: Record<Exclude<PlayerShown, null>, number>;
  /** Time spent rendering the face, ms in all (over `faceFrames`). */
  renderMs: number;
  /** The latest `keepTargets` target events. */
  targets: MeshTargetEntry[];
  /** The latest `keepRendered` face frames. */
  rendered: MeshRenderedPose[];
  /** Every prompt event seen (the player does nothing with them). */
  prompts: { step: string; index?: number; total?: number; at: number }[];
  /** The scene shown in place of the face (`show`), or null. */
  scene: PlayerShown;
  /** getUserMedia calls answered. */
  streams: number;
}

/**
 * Installs the player in this page: exposes `window.__player` (enumerable fields: `MeshPlayerState`;
 * non-enumerable `show(scene)`) and replaces `getUserMedia` and `enumerateDevices`.
 */
export function meshPlayerInit(cfg: MeshPlayerInitConfig): void {
  type Shown = Exclude<PlayerShown, null>;
  const w = window as unknown as { __player?: unknown };
  const md = navigator.mediaDevices;
  if (w.__player || !md) return; // not a secure context: nothing to replace
  const W = MESH_WIDTH;
  const H = MESH_HEIGHT;

  const state: MeshPlayerState = {
    kind: "mesh",
    reactionMs: cfg.reactionMs,
    jitterDeg: cfg.jitterDeg,
    gain: cfg.gain,
    smoothingMs: cfg.smoothingMs,
    fps: cfg.fps,
    seed: cfg.seed,
    ready: false,
    frames: 0,
    faceFrames: 0,
    sceneFrames: Object.fromEntries([...Object.keys(cfg.scenes), "black"].map((s) => [s, 0])) as Record<Shown, number>,
    renderMs: 0,
    targets: [],
    rendered: [],
    prompts: [],
    scene: null,
    streams: 0,
  };
  w.__player = state;

  // ---- the head: the lagged target through a low pass, plus an Ornstein-Uhlenbeck wobble
  const random = seeded(cfg.seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  let seq = 0;
  let due = -1; // index in state.targets of the most recent one at least reactionMs old
  let goal: MeshTargetEntry | undefined;
  let yaw = 0;
  let pitch = 0;
  let jYaw = 0;
  let jPitch = 0;
  let last: number | undefined;
  const headAt = (now: number) => {
    const targets = state.targets;
    while (due + 1 < targets.length && targets[due + 1]!.at <= now - cfg.reactionMs) due++;
    if (due >= 0) goal = targets[due];
    const dt = last === undefined ? 0 : Math.max(0, now - last);
    last = now;
    const k = 1 - Math.exp(-dt / cfg.smoothingMs);
    yaw += ((goal && !goal.hidden ? goal.yaw * cfg.gain : 0) - yaw) * k;
    pitch += ((goal && !goal.hidden ? goal.pitch * cfg.gain : 0) - pitch) * k;
    if (cfg.jitterDeg > 0 && dt > 0) {
      const decay = Math.exp(-dt / cfg.jitterMs);
      const kick = cfg.jitterDeg * Math.sqrt(1 - decay * decay);
      jYaw = jYaw * decay + kick * gauss();
      jPitch = jPitch * decay + kick * gauss();
    }
    return { yawDeg: yaw + jYaw, pitchDeg: pitch + jPitch };
  };

  window.addEventListener(cfg.targetEvent, (event) => {
    const detail = (event as CustomEvent).detail as { yaw?: unknown; pitch?: unknown } | null | undefined;
    const at = Date.now();
    const entry: MeshTargetEntry =
      detail && typeof detail.yaw === "number" && typeof detail.pitch === "number"
        ? { seq: seq++, at, yaw: detail.yaw, pitch: detail.pitch, hidden: false }
        : { seq: seq++, at, yaw: 0, pitch: 0, hidden: true };
    state.targets.push(entry);
    if (state.targets.length > cfg.keepTargets + 500) {
      const cut = state.targets.length - cfg.keepTargets;
      state.targets.splice(0, cut);
      due = Math.max(-1, due - cut);
    }
  });
  window.addEventListener(cfg.promptEvent, (event) => {
    const detail = ((event as CustomEvent).detail ?? {}) as { step?: string; index?: number; total?: number };
    state.prompts.push({ step: String(detail.step), index: detail.index, total: detail.total, at: Date.now() });
  });

  // ---- the camera canvas
  let canvas: HTMLCanvasElement | undefined;
  let ctx: CanvasRenderingContext2D | null = null;
  let face: MeshFace | undefined;
  let pixels: Uint8Array | undefined;
  let image: ImageData | undefined;
  let sceneVideo: HTMLVideoElement | undefined; // the scene's clip while one is shown ("black" has none)
  const scenes: Partial<Record<Shown, Promise<HTMLVideoElement>>> = {};
  let ready: Promise<void> | undefined;
  let showing = 0; // bumped by every show(), so a slow scene load cannot override a later call

  const draw = () => {
    if (!ctx || !face || !pixels || !image) return;
    const now = Date.now();
    const pose = headAt(now); // the head keeps moving whoever is on screen
    if (state.scene === "black") {
      ctx.fillStyle = "#000";
      ctx.fillRect(0, 0, W, H);
    } else if (state.scene) {
      if (!sceneVideo || sceneVideo.readyState < 2) return;
      ctx.drawImage(sceneVideo, 0, 0, W, H);
    } else {
      const t0 = performance.now();
      face.render(pose, pixels);
      ctx.putImageData(image, 0, 0);
      state.renderMs += performance.now() - t0;
      state.faceFrames++;
      state.rendered.push({ at: now, yaw: pose.yawDeg, pitch: pose.pitchDeg, target: goal?.seq ?? -1 });
      if (state.rendered.length > cfg.keepRendered + 100) state.rendered.splice(0, state.rendered.length - cfg.keepRendered);
    }
    state.frames++;
    if (state.scene) state.sceneFrames[state.scene]++;
  };

  const fetchOk = async (name: string): Promise<Response> => {
    const res = await fetch(`${cfg.route}${name}`);
    if (!res.ok) throw new Error(`mesh player: ${cfg.route}${name} answered ${res.status}`);
    return res;
  };

  const load = () =>
    (ready ??= (async () => {
      try {
        const [data, background] = await Promise.all([
          fetchOk("mesh-face.json").then((r) => r.json() as Promise<MeshFaceData>),
          fetchOk("mesh-background.rgba").then(async (r) => new Uint8Array(await r.arrayBuffer())),
        ]);
        if (background.length !== W * H * 4) throw new Error(`mesh player: background is ${background.length} bytes, not ${W * H * 4}`);
        face = createMeshFace(data, background);
        const clamped = new Uint8ClampedArray(W * H * 4);
        pixels = new Uint8Array(clamped.buffer);
        image = new ImageData(clamped, W, H);
        canvas = document.createElement("canvas");
        canvas.width = W;
        canvas.height = H;
        ctx = canvas.getContext("2d", { alpha: false });
        draw();
        // A timer rather than requestAnimationFrame, so frames keep coming in a background page.
        setInterval(draw, Math.max(5, Math.round(1000 / cfg.fps)));
        state.ready = true;
      } catch (err) {
        state.error = String(err);
        ready = undefined; // the next getUserMedia tries again
        throw err;
      }
    })());

  const video = async (name: string): Promise<HTMLVideoElement> => {
    const res = await fetchOk(`${name}.webm`);
    const v = document.createElement("video");
    v.muted = true;
    v.playsInline = true;
    v.preload = "auto";
    v.loop = true;
    v.src = URL.createObjectURL(await res.blob());
    await new Promise<void>((resolve, reject) => {
      v.addEventListener("loadeddata", () => resolve(), { once: true });
      v.addEventListener("error", () => reject(new Error(`mesh player: cannot decode ${name}.webm`)), { once: true });
    });
    return v;
  };

  /** Puts `scene` on the canvas in place of the face (null: the face again); resolves once it is there. */
  const show = async (scene: PlayerShown): Promise<void> => {
    if (scene !== null && !(scene in state.sceneFrames)) throw new Error(`mesh player: no scene ${String(scene)}`);
    const token = ++showing;
    let next: HTMLVideoElement | undefined;
    if (scene && scene !== "black") {
      const pending = (scenes[scene] ??= video(cfg.scenes[scene]!));
      pending.catch(() => delete scenes[scene]); // a failed load is tried again next time
      next = await pending;
      if (token !== showing) return;
      next.currentTime = 0;
      await next.play();
      if (token !== showing) return;
    }
    if (sceneVideo && sceneVideo !== next) sceneVideo.pause();
    sceneVideo = next;
    state.scene = scene;
    draw();
  };
  Object.defineProperty(state, "show", { value: show, enumerable: false }); // kept out of the JSON a test reads

  // Plain replacements, on purpose detectable as non-native functions.
  md.getUserMedia = async function getUserMedia(constraints?: MediaStreamConstraints): Promise<MediaStream> {
    if (!constraints || (!constraints.video && !constraints.audio)) {
      throw new TypeError("getUserMedia: at least one of audio and video must be requested");
    }
    await load();
    const stream = new MediaStream();
    if (constraints.video) {
      // No frame rate: the track delivers each frame drawn, at the timer's pace.
      const track = canvas!.captureStream().getVideoTracks()[0]!;
      const settings = track.getSettings.bind(track);
      Object.defineProperty(track, "label", { value: cfg.label });
      track.getSettings = () => {
        const s = settings();
        return { ...s, frameRate: s.frameRate || cfg.fps, deviceId: cfg.deviceId, groupId: cfg.deviceId };
      };
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
}
