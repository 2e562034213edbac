/**
 * Copies the MediaPipe WASM fileset into build/public under a versioned path and
 * writes gzip and brotli copies beside each file, so the server can send the
 * 13 MB WASM as about 3.8 MB without compressing on every request.
 */
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
// The package's exports map hides package.json, so find it beside the entry point.
const pkgDir = path.dirname(require.resolve("@mediapipe/tasks-vision"));
const version: string = JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8")).version;
const outDir = path.resolve(process.argv[2] ?? "build/public", `vendor/tasks-vision-${version}/wasm`);
// The nosimd and module variants are not used: every browser the kit supports has WASM SIMD.
const FILES = ["vision_wasm_internal.js", "vision_wasm_internal.wasm"];

fs.mkdirSync(outDir, { recursive: true });
for (const name of FILES) {
  const src = path.join(pkgDir, "wasm", name);
  const dest = path.join(outDir, name);
  if (fs.existsSync(`${dest}.br`) && fs.statSync(`${dest}.br`).mtimeMs >= fs.statSync(src).mtimeMs) continue;
  const data = fs.readFileSync(src);
  fs.writeFileSync(dest, data);
  fs.writeFileSync(`${dest}.gz`, zlib.gzipSync(data, { level: 9 }));
  fs.writeFileSync(
    `${dest}.br`,
    zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 9 } }),
  );
  const kb = (f: string) => `${(fs.statSync(f).size / 1024).toFixed(0)} KB`;
  console.log(`vendor: ${name} ${kb(dest)} (gzip ${kb(`${dest}.gz`)}, brotli ${kb(`${dest}.br`)})`);
}
