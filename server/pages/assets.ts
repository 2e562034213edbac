import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { FACE_MODEL_URL_PATH, wasmUrlPath } from "../../shared/paths.js";

const require = createRequire(import.meta.url);

/** The tasks-vision version; its WASM is served under a versioned path so it can be cached for a year. */
export const TASKS_VISION_VERSION: string = JSON.parse(
  // The package's exports map hides package.json, so find it beside the entry point.
  fs.readFileSync(path.join(path.dirname(require.resolve("@mediapipe/tasks-vision")), "package.json"), "utf8"),
).version;

/** URL prefix of the self-hosted MediaPipe WASM fileset. */
export const WASM_URL_PATH = wasmUrlPath(TASKS_VISION_VERSION);
export { FACE_MODEL_URL_PATH };

/** Where build outputs live: the Vite client bundle and the precompressed vendor files. */
export interface AssetPaths {
  clientDir: string;
  publicDir: string;
  faceModelPath: string;
}

/** Checks at start-up that the build outputs exist, naming the command that makes each. */
export function checkAssets(paths: AssetPaths): string[] {
  const problems: string[] = [];
  if (!fs.existsSync(path.join(paths.clientDir, "candidate", "index.html"))) {
    problems.push(`client bundle missing in ${paths.clientDir}: run npm run build`);
  }
  if (!fs.existsSync(path.join(paths.publicDir, WASM_URL_PATH.slice(1)))) {
    problems.push(`MediaPipe WASM missing in ${paths.publicDir}: run npm run build`);
  }
  if (!fs.existsSync(paths.faceModelPath)) {
    problems.push(`face model missing at ${paths.faceModelPath}: run npm run build, or set FACE_MODEL_PATH`);
  }
  return problems;
}
