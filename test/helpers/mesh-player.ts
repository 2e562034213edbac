import path from "node:path";
import { buildSync } from "esbuild";
import type { BrowserContext, Page } from "playwright-core";
import { PROMPT_EVENT, TARGET_EVENT } from "../../shared/verification.js";
import { loadMeshFaceData, type MeshFaceData } from "./mesh-face.js";
import type { MeshPlayerInitConfig, MeshPlayerState } from "./mesh-player-page.js";
import { type PlayerClip, PLAYER_ROUTE, PLAYER_SCENES, type PlayerScene, type PlayerShown, playerClips, showScene } from "./reactive-player.js";

/**
 * A test-only bona fide candidate for Chromium that can pass the `follow` liveness challenge: the
 * page's camera becomes a live 3D render of one photograph's face (skimage's astronaut, the mesh
 * face of ./mesh-face.ts) that turns its head after the follow target the candidate page shows
 * (`window` event `verify-kit:target`), with a human's reaction time, smoothing and jitter, as
 * ./mesh-publisher.ts does for a Node participant. Rendering runs in the page (./mesh-player-page.ts,
 * bundled with the renderer by esbuild), one frame per timer tick, each at the head's pose then.
 *
 * Like the reactive player (./reactive-player.ts), whose clips and `showScene` it shares (its scenes
 * as MESH_PLAYER_SCENE_CLIPS says: the stranger is not the astronaut here), it
 * replaces `navigator.mediaDevices.getUserMedia` and `enumerateDevices` with plain page functions,
 * which the kit's production check (`mediaFunctionsAreNative`) reports: only a test configuration
 * that tolerates them (`allowFakeCamera`) passes with this player.
 */

export type { MeshPlayerState, MeshRenderedPose, MeshTargetEntry } from "./mesh-player-page.js";
export { PLAYER_SCENES, type PlayerScene, type PlayerShown, showScene };

export interface MeshPlayerOptions {
  /** A target is followed once it is this old, ms (default 300). */
  reactionMs?: number;
  /** Standard deviation of the head's random jitter per axis, degrees (default 0.6; 0 for none). */
  jitterDeg?: number;
  /** How long the jitter takes to decorrelate, ms (default 250). */
  jitterMs?: number;
  /** How far the head goes for a given target, 1 = exactly (default 1). */
  gain?: number;
  /** Time constant of the head's low pass toward the lagged target, ms (default 80). */
  smoothingMs?: number;
  /** Frames drawn per second (default 15). */
  fps?: number;
  /** Seed of the jitter's random numbers (default: random). */
  seed?: number;
  /** Label of the one camera the page sees (default "Mesh face test player"). */
  label?: string;
  /** The photo whose face is rendered (default: the astronaut; see `loadMeshFace`). */
  image?: string;
}

export const MESH_PLAYER_DEVICE_ID = "mesh-test-player";
/**
 * The clip (of `playerClips()`) each scene plays. The candidate here is the astronaut, who is the
 * reactive player's "stranger"; so the stranger is the reactive player's candidate: the real webcam
 * footage of cap12 looking at the camera (its idle loop). The others are the reactive player's own.
 */
export const MESH_PLAYER_SCENE_CLIPS: Record<PlayerScene, PlayerClip | PlayerScene> = {
  stranger: "idle",
  nobody: "nobody",
  two_faces: "two_faces",
};
export const MESH_PLAYER_DEFAULTS = {
  reactionMs: 300,
  jitterDeg: 0.6,
  jitterMs: 250,
  gain: 1,
  smoothingMs: 80,
  fps: 15,
  label: "Mesh face test player",
} as const;

const PAGE_SCRIPT = path.join(import.meta.dirname, "mesh-player-page.ts");
/** The global name the bundle binds, local to the init script's own function scope. */
const BUNDLE_NAME = "meshPlayerBundle";
let bundle: string | undefined;

/** The page script and the renderer as one IIFE (esbuild, a few tens of ms; built once per process). */
export function meshPlayerBundle(): string {
  if (bundle === undefined) {
    const out = buildSync({
      entryPoints: [PAGE_SCRIPT],
      bundle: true,
      format: "iife",
      globalName: BUNDLE_NAME,
      platform: "browser",
      target: "chrome110",
      write: false,
      logLevel: "silent",
    });
    bundle = out.outputFiles[0]!.text;
  }
  return bundle;
}

const faces = new Map<string, Promise<{ json: string; background: Buffer }>>();

/** The mesh (as JSON) and the background photo (640x480 RGBA) the page renders from, loaded once per image. */
function faceAssets(image: string | undefined): Promise<{ json: string; background: Buffer }> {
  const key = image ?? "";
  let assets = faces.get(key);
  if (!assets) {
    assets = loadMeshFaceData(image).then(({ data, background }: { data: MeshFaceData; background: Uint8Array }) => ({
      json: JSON.stringify(data),
      background: Buffer.from(background.buffer, background.byteOffset, background.byteLength),
    }));
    assets.catch(() => faces.delete(key));
    faces.set(key, assets);
  }
  return assets;
}

/**
 * Makes every page of `context` see one camera that is the mesh player. Call before opening the
 * page. Needs pages on a secure origin such as http://127.0.0.1:PORT: the face data and the scene
 * clips are fetched from that origin's `/__player/*`, which this routes to files on this machine,
 * so no request leaves the browser. Resolves once the face data is loaded (the mesh is computed
 * by human, a few seconds, only when `.cache/fixtures/mesh-face.json` is missing).
 */
export async function installMeshPlayer(context: BrowserContext, options: MeshPlayerOptions = {}): Promise<void> {
  const assets = await faceAssets(options.image);
  let clips: Record<string, string> | undefined; // built on the first scene asked for, as they are needed only then
  await context.route(`**${PLAYER_ROUTE}*`, async (route) => {
    const name = path.basename(new URL(route.request().url()).pathname);
    const headers = { "cache-control": "no-store" };
    if (name === "mesh-face.json") return route.fulfill({ status: 200, body: assets.json, contentType: "application/json", headers });
    if (name === "mesh-background.rgba") {
      return route.fulfill({ status: 200, body: assets.background, contentType: "application/octet-stream", headers });
    }
    const clip = name.endsWith(".webm") ? name.slice(0, -".webm".length) : "";
    if ((Object.values(MESH_PLAYER_SCENE_CLIPS) as string[]).includes(clip)) {
      clips ??= playerClips();
      return route.fulfill({ status: 200, path: clips[clip], contentType: "video/webm", headers });
    }
    return route.fulfill({ status: 404, body: "no such player asset" });
  });
  const d = MESH_PLAYER_DEFAULTS;
  const cfg: MeshPlayerInitConfig = {
    reactionMs: options.reactionMs ?? d.reactionMs,
    jitterDeg: options.jitterDeg ?? d.jitterDeg,
    jitterMs: options.jitterMs ?? d.jitterMs,
    gain: options.gain ?? d.gain,
    smoothingMs: options.smoothingMs ?? d.smoothingMs,
    fps: options.fps ?? d.fps,
    seed: (options.seed ?? Math.floor(Math.random() * 2 ** 32)) >>> 0,
    label: options.label ?? d.label,
    deviceId: MESH_PLAYER_DEVICE_ID,
    route: PLAYER_ROUTE,
    targetEvent: TARGET_EVENT,
    promptEvent: PROMPT_EVENT,
    scenes: { ...MESH_PLAYER_SCENE_CLIPS },
    keepRendered: 600,
    keepTargets: 2000,
  };
  await context.addInitScript({ content: `(() => {\n${meshPlayerBundle()}\n${BUNDLE_NAME}.meshPlayerInit(${JSON.stringify(cfg)});\n})();` });
}

/** The page's `window.__player` (undefined before the init script ran). */
export function meshPlayerState(page: Page): Promise<MeshPlayerState> {
  return page.evaluate(() => (window as unknown as { __player: MeshPlayerState }).__player);
}
