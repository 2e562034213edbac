/**
 * Builds a MediaPipe Tasks-compatible face detection model from the legacy
 * model shipped in `@mediapipe/face_detection` by adding TFLite metadata.
 *
 * Usage: npx tsx scripts/build-face-model.ts [outPath]
 * Default output: build/models/face_detection_short_range_tasks.tflite
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addImageMetadata } from './face-model/patch-model.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Legacy npm-shipped model (float32 input, no metadata). */
export const SOURCE_MODEL = resolve(ROOT, 'node_modules/@mediapipe/face_detection/face_detection_short_range.tflite');

/** Default output path of the patched model. */
export const DEFAULT_OUTPUT = resolve(ROOT, 'build/models/face_detection_short_range_tasks.tflite');

/**
 * Writes the patched model to `outPath` unless it already exists and is newer
 * than the source model. Returns the output path, its size, and whether it was
 * (re)built.
 */
export function buildFaceModel(
  outPath: string = DEFAULT_OUTPUT,
  source: string = SOURCE_MODEL,
): { path: string; bytes: number; built: boolean } {
  const out = resolve(outPath);
  const sourceMtime = statSync(source).mtimeMs;
  const existing = statSync(out, { throwIfNoEntry: false });
  if (existing && existing.mtimeMs > sourceMtime) return { path: out, bytes: existing.size, built: false };

  const patched = addImageMetadata(new Uint8Array(readFileSync(source)));
  mkdirSync(dirname(out), { recursive: true });
  // Rename so an interrupted write never leaves a fresh-looking partial file
  // that the mtime check would then skip.
  const tmp = `${out}.${process.pid}.tmp`;
  writeFileSync(tmp, patched);
  renameSync(tmp, out);
  return { path: out, bytes: patched.length, built: true };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const { path, bytes, built } = buildFaceModel(process.argv[2]);
    console.log(`${built ? 'built' : 'up to date'}: ${path} (${bytes} bytes)`);
  } catch (err) {
    console.error(`build-face-model: ${(err as Error).message}`);
    process.exitCode = 1;
  }
}
