/**
 * Per-frame head-pose timeline of a video, measured with the real MediaPipe
 * FaceDetector (tasks-vision, CPU delegate, VIDEO mode like the candidate page)
 * in headless Chromium.
 *
 *   npx tsx scripts/pose-timeline.ts VIDEO [fromSec] [toSec] [--fps=N] [--json=FILE] [--every=N]
 *
 * VIDEO: anything ffmpeg reads; an `.mjpeg` file is read at 30 fps, the rate
 * Chromium's fake camera plays it at. Frames are decoded with ffmpeg, fitted to
 * 640x480 exactly like scripts/make-fixtures.sh (so widths are in fixture pixels),
 * and fed to the detector one by one. Default --fps: the source rate (30 for mjpeg).
 *
 * Columns: t (s, source time), faces, score, box width (px at 640x480),
 * r = |nose - right ear| / |left ear - nose| in pixels (rN: the same from
 * keypoints normalised to 0..1 per axis, as the candidate page's trace sends them),
 * ms = detectForVideo time. r > 1: turned to the subject's left; r < 1: to their right.
 * --every=N prints every Nth row (the summary and --json always use all frames).
 *
 * Needs the patched model (npm run build, or tsx scripts/build-face-model.ts),
 * ffmpeg and /usr/bin/chromium (CHROMIUM_PATH overrides). Listens on 127.0.0.1:0.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { launchChromium } from './chromium.js';

const ROOT = resolve(import.meta.dirname, '..');
const TASKS_DIR = join(ROOT, 'node_modules/@mediapipe/tasks-vision');
const MODEL = join(ROOT, 'build/models/face_detection_short_range_tasks.tflite');
const FIT =
  'scale=640:480:force_original_aspect_ratio=decrease:flags=bicubic,pad=640:480:(ow-iw)/2:(oh-ih)/2,setsar=1';
const W = 640;
const H = 480;

interface Det {
  score: number;
  box: { originX: number; originY: number; width: number; height: number };
  kp: [number, number][]; // normalised 0..1
}
interface FrameOut {
  ms: number;
  dets: Det[];
}
export interface Row {
  t: number;
  faces: number;
  score?: number;
  width?: number;
  cx?: number;
  r?: number;
  rN?: number;
  ms: number;
}

const PAGE_HTML = `<!doctype html><title>pose</title><script type="module">
import { FilesetResolver, FaceDetector } from '/vision_bundle.mjs';
let detector;
let ts = 0;
window.init = async () => {
  const fileset = await FilesetResolver.forVisionTasks('/wasm');
  detector = await FaceDetector.createFromOptions(fileset, {
    baseOptions: { modelAssetPath: '/model.tflite', delegate: 'CPU' },
    runningMode: 'VIDEO',
    minDetectionConfidence: 0.5,
  });
};
window.run = async (from, to, stepMs) => {
  const out = [];
  for (let i = from; i < to; i++) {
    const blob = await (await fetch('/frames/' + String(i + 1).padStart(6, '0') + '.jpg')).blob();
    const bmp = await createImageBitmap(blob);
    ts += stepMs;
    const t0 = performance.now();
    const res = detector.detectForVideo(bmp, ts);
    const ms = performance.now() - t0;
    bmp.close();
    out.push({
      ms,
      dets: res.detections.map((d) => ({
        score: d.categories[0]?.score ?? 0,
        box: d.boundingBox,
        kp: d.keypoints.map((k) => [k.x, k.y]),
      })),
    });
  }
  return out;
};
window.harnessReady = true;
</script>`;

const dist = (a: [number, number], b: [number, number], sx: number, sy: number) =>
  Math.hypot((a[0] - b[0]) * sx, (a[1] - b[1]) * sy);

function toRow(t: number, f: FrameOut): Row {
  const d = f.dets[0];
  if (!d) return { t, faces: 0, ms: f.ms };
  const [, , nose, , rEar, lEar] = d.kp as [number, number][];
  const row: Row = { t, faces: f.dets.length, score: d.score, width: d.box.width, cx: d.box.originX + d.box.width / 2, ms: f.ms };
  if (nose && rEar && lEar) {
    row.r = dist(nose, rEar, W, H) / dist(lEar, nose, W, H);
    row.rN = dist(nose, rEar, 1, 1) / dist(lEar, nose, 1, 1);
  }
  return row;
}

function parseArgs(argv: string[]) {
  const pos: string[] = [];
  const opt: Record<string, string> = {};
  for (const a of argv) {
    const m = /^--([a-z]+)=(.*)$/.exec(a);
    if (m) opt[m[1]!] = m[2]!;
    else pos.push(a);
  }
  return { pos, opt };
}

function sourceFps(video: string): number {
  if (extname(video).toLowerCase() === '.mjpeg') return 30;
  const out = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=r_frame_rate', '-of', 'csv=p=0', video], { encoding: 'utf8' }).trim();
  const [n, d] = out.split('/').map(Number);
  return n && d ? n / d : 25;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

async function main() {
  const { pos, opt } = parseArgs(process.argv.slice(2));
  const video = pos[0];
  if (!video || !existsSync(video)) {
    console.error('usage: npx tsx scripts/pose-timeline.ts VIDEO [fromSec] [toSec] [--fps=N] [--json=FILE] [--every=N]');
    process.exit(2);
  }
  if (!existsSync(MODEL)) {
    console.error(`missing ${MODEL}: run  npx tsx scripts/build-face-model.ts`);
    process.exit(2);
  }
  const from = Number(pos[1] ?? 0);
  const to = pos[2] !== undefined ? Number(pos[2]) : undefined;
  const fps = Number(opt.fps ?? sourceFps(video));
  const every = Math.max(1, Number(opt.every ?? 1));

  const tmp = mkdtempSync(join(tmpdir(), 'pose-timeline-'));
  try {
    const input = extname(video).toLowerCase() === '.mjpeg' ? ['-f', 'mjpeg', '-framerate', '30'] : [];
    execFileSync('ffmpeg', [
      '-nostdin', '-hide_banner', '-loglevel', 'error',
      ...(from > 0 ? ['-ss', String(from)] : []),
      ...input, '-i', video,
      ...(to !== undefined ? ['-t', String(to - from)] : []),
      '-vf', `fps=${fps},${FIT}`, '-q:v', '2', join(tmp, '%06d.jpg'),
    ]);
    const n = readdirSync(tmp).filter((f) => f.endsWith('.jpg')).length;

    const files: Record<string, string> = {
      '/vision_bundle.mjs': join(TASKS_DIR, 'vision_bundle.mjs'),
      '/model.tflite': MODEL,
    };
    const server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path === '/') return void res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE_HTML);
      const clean = (p: string) => p.replace(/[/\\]/g, '');
      const file = path.startsWith('/wasm/')
        ? join(TASKS_DIR, 'wasm', clean(path.slice(6)))
        : path.startsWith('/frames/')
          ? join(tmp, clean(path.slice(8)))
          : files[path];
      try {
        const body = readFileSync(file ?? '');
        const type = { '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.jpg': 'image/jpeg' }[extname(file!)];
        res.writeHead(200, { 'content-type': type ?? 'application/octet-stream' }).end(body);
      } catch {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const browser = await launchChromium();
    const rows: Row[] = [];
    try {
      const page = await browser.newPage();
      await page.route(/^(?!http:\/\/127\.0\.0\.1:)/, (route) => route.abort());
      await page.goto(`${origin}/`);
      await page.waitForFunction(() => 'harnessReady' in window);
      await page.evaluate(() => (window as unknown as { init(): Promise<void> }).init());
      const CHUNK = 100;
      for (let i = 0; i < n; i += CHUNK) {
        const outs: FrameOut[] = await page.evaluate(
          ([a, b, s]) => (window as unknown as { run(from: number, to: number, stepMs: number): Promise<FrameOut[]> }).run(a, b, s),
          [i, Math.min(n, i + CHUNK), 1000 / fps] as const,
        );
        outs.forEach((f, k) => rows.push(toRow(from + (i + k) / fps, f)));
      }
    } finally {
      await browser.close();
      server.close();
    }

    const f = (v: number | undefined, d: number, w: number) => (v === undefined ? '-' : v.toFixed(d)).padStart(w);
    console.log(`# ${video}  ${from}..${to ?? 'end'} s  ${fps} fps  ${n} frames  (640x480 px)`);
    console.log('     t  faces  score  width     cx      r     rN     ms');
    rows.forEach((r, i) => {
      if (i % every) return;
      console.log(`${f(r.t, 2, 6)}  ${String(r.faces).padStart(5)}  ${f(r.score, 2, 5)}  ${f(r.width, 0, 5)}  ${f(r.cx, 0, 5)}  ${f(r.r, 3, 5)}  ${f(r.rN, 3, 5)}  ${f(r.ms, 1, 5)}`);
    });
    const ms = rows.map((r) => r.ms);
    const rs = rows.flatMap((r) => (r.r === undefined ? [] : [r.r]));
    const ws = rows.flatMap((r) => (r.width === undefined ? [] : [r.width]));
    const counts = [0, 1, 2].map((k) => rows.filter((r) => (k === 2 ? r.faces >= 2 : r.faces === k)).length);
    console.log(
      `# frames ${rows.length}: 0 faces ${counts[0]}, 1 face ${counts[1]}, 2+ faces ${counts[2]}; ` +
        `r ${Math.min(...rs).toFixed(3)}..${Math.max(...rs).toFixed(3)}; width ${Math.min(...ws).toFixed(0)}..${Math.max(...ws).toFixed(0)} px; ` +
        `detect ms median ${pct(ms, 50).toFixed(1)} p95 ${pct(ms, 95).toFixed(1)} max ${Math.max(...ms).toFixed(1)}`,
    );
    if (opt.json) writeFileSync(opt.json, JSON.stringify({ video, from, to, fps, rows }, null, 1));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
