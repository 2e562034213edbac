/**
 * Per-frame face timeline of a video, measured with the server verifier's FaceAnalyzer
 * (@vladmandic/human on tfjs WASM in a worker thread, offline).
 *
 *   npx tsx scripts/verifier-timeline.ts VIDEO [--from S] [--to S] [--fps N] [--no-mesh] [--json FILE] [--every N]
 *
 * Frames are decoded with ffmpeg and fitted to 640x480 like scripts/make-fixtures.sh, so box
 * widths are in fixture pixels. Default --fps: the source rate. Columns: t (s, source time),
 * faces, score, yaw/pitch (degrees, from the mesh; yaw rises as the subject turns to his right), w (box width, px),
 * r (keypoint yaw ratio, < 1 = the subject's right), ms (inference in the worker).
 * --no-mesh runs the detector only (no degrees; r from blazeface's ear keypoints).
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createHumanAnalyzer } from '../server/verifier/analyzer/index.js';

const W = 640;
const H = 480;
const FIT = `scale=${W}:${H}:force_original_aspect_ratio=decrease:flags=bicubic,pad=${W}:${H}:(ow-iw)/2:(oh-ih)/2,setsar=1`;

interface Row { t: number; faces: number; score: number; yaw: number; pitch: number; roll: number; w: number; r: number; ms: number }

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    from: { type: 'string' }, to: { type: 'string' }, fps: { type: 'string' },
    'no-mesh': { type: 'boolean' }, json: { type: 'string' }, every: { type: 'string' },
  },
});
const video = positionals[0];
if (!video) {
  console.error('usage: npx tsx scripts/verifier-timeline.ts VIDEO [--from S] [--to S] [--fps N] [--no-mesh] [--json FILE] [--every N]');
  process.exit(2);
}
const from = Number(values.from ?? 0);
const every = Math.max(1, Number(values.every ?? 1));

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : NaN;
};
const f = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '-');

/** Source frame rate, so t can be computed from the frame index when --fps is not given. */
async function sourceFps(path: string): Promise<number> {
  const out = await run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=r_frame_rate', '-of', 'csv=p=0', path]);
  const [n, d] = out.trim().split('/').map(Number);
  return path.endsWith('.mjpeg') ? 30 : n! / (d || 1);
}
function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args);
    let out = '';
    p.stdout.on('data', (c: Buffer) => (out += c));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} exited ${code}`))));
  });
}

async function main(path: string): Promise<void> {
  const fps = values.fps ? Number(values.fps) : await sourceFps(path);
  const analyzer = await createHumanAnalyzer({ mesh: !values['no-mesh'], embedding: false, antispoof: false });
  console.log(`# model load ${f(analyzer.stats.loadMs, 0)} ms, mesh ${values['no-mesh'] ? 'off' : 'on'}, ${fps} fps`);
  const input = path.endsWith('.mjpeg') ? ['-f', 'mjpeg', '-framerate', '30'] : [];
  const args = ['-v', 'error', ...input, '-ss', String(from), ...(values.to ? ['-to', values.to] : []), '-i', path,
    '-vf', `fps=${fps},${FIT}`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'];
  if (values.to) args.splice(args.indexOf('-to'), 2, '-t', String(Number(values.to) - from));
  const ff = spawn('ffmpeg', args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const rows: Row[] = [];
  let rss = 0;
  let pending: Buffer<ArrayBufferLike> = Buffer.alloc(0);
  console.log('t\tfaces\tscore\tyaw\tpitch\tw\tr\tms');
  for await (const chunk of ff.stdout as AsyncIterable<Buffer>) {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    while (pending.length >= W * H * 3) {
      const data = new Uint8Array(pending.subarray(0, W * H * 3)); // own copy, so it can be transferred
      pending = pending.subarray(W * H * 3);
      const res = await analyzer.analyze({ width: W, height: H, data });
      const face = res.faces[0];
      const row: Row = {
        t: from + rows.length / fps, faces: res.faces.length, score: face?.score ?? NaN, yaw: face?.yawDeg ?? NaN,
        pitch: face?.pitchDeg ?? NaN, roll: face?.rollDeg ?? NaN, w: face ? face.box.w * W : NaN, r: face?.yawRatio ?? NaN, ms: res.inferenceMs,
      };
      rows.push(row);
      rss = Math.max(rss, process.memoryUsage().rss);
      if ((rows.length - 1) % every === 0) {
        console.log([f(row.t, 2), row.faces, f(row.score, 2), f(row.yaw), f(row.pitch), f(row.w, 0), f(row.r, 2), f(row.ms, 0)].join('\t'));
      }
    }
  }
  await analyzer.close();
  const withFace = rows.filter((r) => r.faces > 0);
  const yaws = withFace.map((r) => r.yaw).filter(Number.isFinite);
  const ms = rows.slice(1).map((r) => r.ms);
  console.log(`# frames ${rows.length}, with a face ${withFace.length}, more than one ${rows.filter((r) => r.faces > 1).length}`);
  if (yaws.length) {
    console.log(`# yaw min ${f(Math.min(...yaws))} median ${f(quantile(yaws, 0.5))} max ${f(Math.max(...yaws))}`);
  }
  console.log(`# inference ms: first ${f(rows[0]?.ms ?? NaN, 0)}, then median ${f(quantile(ms, 0.5))} p90 ${f(quantile(ms, 0.9))}; max RSS ${f(rss / 2 ** 20, 0)} MiB`);
  if (values.json) writeFileSync(values.json, JSON.stringify({ video: path, fps, loadMs: analyzer.stats.loadMs, rows }, null, 1));
}

await main(video);
