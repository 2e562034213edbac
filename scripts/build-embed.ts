/**
 * Builds the widget script (`client/embed/element.ts`) into `dist/embed/embed.<hash>.js`:
 * one dependency-free, minified classic script, named by its content hash so the kit
 * can serve it with a one-year immutable cache (`/embed.js` redirects to it). Copies
 * the element's TypeScript declarations beside it, writes gzip and brotli copies and
 * `manifest.json`, and prints the sizes.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { build, type Rollup } from "vite";
import type { EmbedManifest } from "../server/embed/index.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const outDir = path.resolve(process.argv[2] ?? path.join(ROOT, "dist/embed"));
const DECLARATIONS = ["verify-interview.d.ts", "verify-interview-react.d.ts"];

const result = await build({
  configFile: false,
  logLevel: "warn",
  build: {
    write: false,
    target: "es2020",
    minify: true,
    lib: { entry: path.join(ROOT, "client/embed/element.ts"), formats: ["iife"], name: "VerifyInterviewWidget", fileName: () => "embed.js" },
  },
});
const outputs = (Array.isArray(result) ? result : [result]) as Rollup.RollupOutput[];
const chunk = outputs.flatMap((o) => o.output).find((o): o is Rollup.OutputChunk => o.type === "chunk");
if (!chunk) throw new Error("the widget build produced no script");
const code = chunk.code;
if (/\bimport\s*\(|\brequire\(/.test(code)) throw new Error("the widget script must not load anything else");

const hash = createHash("sha256").update(code).digest("hex").slice(0, 10);
const script = `embed.${hash}.js`;
fs.rmSync(outDir, { recursive: true, force: true });
fs.mkdirSync(outDir, { recursive: true });
const write = (name: string, data: string | Buffer) => {
  const file = path.join(outDir, name);
  fs.writeFileSync(file, data);
  const gz = zlib.gzipSync(data, { level: 9 });
  fs.writeFileSync(`${file}.gz`, gz);
  fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(data));
  return { bytes: Buffer.byteLength(data), gzip: gz.length };
};
const sizes = write(script, code);
for (const name of DECLARATIONS) write(name, fs.readFileSync(path.join(ROOT, "client/embed", name)));
const manifest: EmbedManifest = { script, declarations: DECLARATIONS };
fs.writeFileSync(path.join(outDir, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`widget: /embed/${script} ${sizes.bytes} B, ${sizes.gzip} B gzip`);
