/**
 * The mesh face's renderer alone, free of Node modules, so a browser page can run it too
 * (test/helpers/mesh-player-page.ts bundles it). test/helpers/mesh-face.ts loads the photo and its
 * mesh and re-exports all of this; see there for the geometry and the pose convention.
 */

export const MESH_WIDTH = 640;
export const MESH_HEIGHT = 480;
/** Pinhole focal length in pixels of the 640x480 frame (about a 56° horizontal field, a webcam's). */
export const FOCAL_PX = 600;
const SKIRT_SCALE = 1.45;

/** human's face oval (annotations.silhouette), in order around the face. */
export const FACE_OVAL = [
  10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377, 152, 148, 176, 149, 150, 136, 172, 58, 132, 93, 234,
  127, 162, 21, 54, 103, 67, 109,
] as const;

/** Inner lip contours from corner 78 to corner 308 (human's lipsUpperInner / lipsLowerInner). */
const MOUTH_UPPER = [78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308] as const;
const MOUTH_LOWER = [78, 95, 88, 178, 87, 14, 317, 402, 318, 324, 308] as const;

export interface MeshPose {
  /** Degrees; + = the subject turns to his left (nose toward image right, unmirrored). */
  yawDeg: number;
  /** Degrees; + = chin up. */
  pitchDeg: number;
}

export interface RgbaFrame {
  width: 640;
  height: 480;
  rgba: Uint8Array;
}

/** What `.cache/fixtures/mesh-face.json` holds: enough to render without human. */
export interface MeshFaceData {
  version: number;
  image: string;
  imageBytes: number;
  /** Crop of the image (left, top, width, height) scaled to 640x480. */
  crop: [number, number, number, number];
  /** 468 points [x, y, z] in 640x480 frame pixels; z relative, + away from the camera. */
  mesh: [number, number, number][];
  /** Triangle vertex indices, 3 per triangle (human's faceTriangulation). */
  triangles: number[];
  /** human's own reading of the photo: box side (px) and angles (degrees, its convention). */
  detected: { score: number; box: [number, number, number, number]; yawDeg: number; pitchDeg: number; rollDeg: number };
}

export interface MeshFace {
  readonly width: 640;
  readonly height: 480;
  readonly data: MeshFaceData;
  /** The face at that pose over the photo, RGBA. Writes into `out` (640*480*4) when given. */
  render(pose: MeshPose, out?: Uint8Array): RgbaFrame;
  /** The same as I420 (640*480*3/2 bytes), in `out` when given, else in a buffer of its own (rtc-node needs one per frame). */
  renderI420(pose: MeshPose, out?: Uint8Array): Uint8Array;
  /** The same as packed RGB24, the analyser's input. */
  renderRgb(pose: MeshPose): { width: number; height: number; data: Uint8Array };
  /** Where the 468 mesh points land at that pose: [x0, y0, x1, y1, ...] in frame pixels (ground truth). */
  project(pose: MeshPose): Float64Array;
}

// ---------------------------------------------------------------------------------------------
// the renderer

export function createMeshFace(data: MeshFaceData, background: Uint8Array): MeshFace {
  const W = MESH_WIDTH;
  const H = MESH_HEIGHT;
  const cx = W / 2;
  const cy = H / 2;
  const F = FOCAL_PX;
  const n = data.mesh.length;
  // human's triangulation leaves the mouth open (a hole between the inner lips): close it with a
  // strip between the upper and lower inner lip so the teeth move with the lips.
  const mouth: number[] = [];
  for (let k = 0; k + 1 < MOUTH_UPPER.length; k++) {
    const [u0, u1, l0, l1] = [MOUTH_UPPER[k]!, MOUTH_UPPER[k + 1]!, MOUTH_LOWER[k]!, MOUTH_LOWER[k + 1]!];
    if (u1 !== l1) mouth.push(u0, u1, l1);
    if (u0 !== l0) mouth.push(u0, l1, l0);
  }
  const tris = Int32Array.from([...data.triangles, ...mouth]);
  const oval = FACE_OVAL as readonly number[];
  const ringN = oval.length;
  const nv = n + ringN;

  // Unprojected 3D points (pixel units at the mean face depth, camera at the origin looking +z).
  let zMean = 0;
  for (const p of data.mesh) zMean += p[2];
  zMean /= n;
  const X = new Float64Array(n);
  const Y = new Float64Array(n);
  const Z = new Float64Array(n);
  let gx = 0;
  let gy = 0;
  let gz = 0;
  for (let i = 0; i < n; i++) {
    const [x, y, z] = data.mesh[i]!;
    const depth = F + (z - zMean);
    X[i] = ((x - cx) * depth) / F;
    Y[i] = ((y - cy) * depth) / F;
    Z[i] = depth;
    gx += X[i]!;
    gy += Y[i]!;
    gz += Z[i]!;
  }
  const m234 = data.mesh[234]!;
  const m454 = data.mesh[454]!;
  const faceWidth = Math.hypot(m454[0] - m234[0], m454[1] - m234[1]);
  const centre = [gx / n, gy / n, gz / n + faceWidth / 2] as const;

  // Source (texture) coordinates: the photo's own pixels; the skirt's outer ring is fixed.
  const su = new Float64Array(nv);
  const sv = new Float64Array(nv);
  for (let i = 0; i < n; i++) {
    su[i] = data.mesh[i]![0];
    sv[i] = data.mesh[i]![1];
  }
  let ox = 0;
  let oy = 0;
  for (const i of oval) {
    ox += su[i]!;
    oy += sv[i]!;
  }
  ox /= ringN;
  oy /= ringN;
  for (let k = 0; k < ringN; k++) {
    const i = oval[k]!;
    su[n + k] = Math.min(W, Math.max(0, ox + (su[i]! - ox) * SKIRT_SCALE));
    sv[n + k] = Math.min(H, Math.max(0, oy + (sv[i]! - oy) * SKIRT_SCALE));
  }
  const skirt: number[] = [];
  for (let k = 0; k < ringN; k++) {
    const a = oval[k]!;
    const b = oval[(k + 1) % ringN]!;
    skirt.push(a, b, n + k, b, n + ((k + 1) % ringN), n + k);
  }
  const skirtTris = Int32Array.from(skirt);

  // Which winding faces the camera: the sign most of human's triangles have in the photo.
  let front = 0;
  for (let t = 0; t < data.triangles.length; t += 3) front += Math.sign(area(su, sv, tris[t]!, tris[t + 1]!, tris[t + 2]!));
  const frontSign = front >= 0 ? 1 : -1;
  for (let t = data.triangles.length; t < tris.length; t += 3) {
    if (area(su, sv, tris[t]!, tris[t + 1]!, tris[t + 2]!) * frontSign < 0) [tris[t + 1], tris[t + 2]] = [tris[t + 2]!, tris[t + 1]!];
  }

  const px = new Float64Array(nv);
  const py = new Float64Array(nv);
  const pz = new Float64Array(nv);
  const projectInto = (pose: MeshPose) => {
    const yaw = (pose.yawDeg * Math.PI) / 180;
    const pitch = (pose.pitchDeg * Math.PI) / 180;
    const cyw = Math.cos(yaw);
    const syw = Math.sin(yaw);
    const cp = Math.cos(pitch);
    const sp = Math.sin(pitch);
    // R = Ryaw · Rpitch (pitch about the head's ear axis, then yaw about the vertical), x right, y down, z away.
    // Rpitch: y' = c y + s z, z' = -s y + c z  (the nose, (0,0,-1), goes to y' = -s: up for pitch > 0).
    // Ryaw:   x' = c x - s z, z' = s x + c z   (the nose goes to x' = +s: image right for yaw > 0).
    for (let i = 0; i < n; i++) {
      const x = X[i]! - centre[0];
      const y = Y[i]! - centre[1];
      const z = Z[i]! - centre[2];
      const y1 = cp * y + sp * z;
      const z1 = -sp * y + cp * z;
      const x2 = cyw * x - syw * z1;
      const z2 = syw * x + cyw * z1;
      const wx = x2 + centre[0];
      const wy = y1 + centre[1];
      const wz = z2 + centre[2];
      px[i] = cx + (F * wx) / wz;
      py[i] = cy + (F * wy) / wz;
      pz[i] = wz;
    }
    for (let k = 0; k < ringN; k++) {
      px[n + k] = su[n + k]!;
      py[n + k] = sv[n + k]!;
      pz[n + k] = Infinity;
    }
  };

  const zbuf = new Float32Array(W * H);
  const scratch = new Uint8Array(W * H * 4);
  const bgI420 = new Uint8Array((W * H * 3) / 2);
  rgbaToI420(background, W, H, bgI420, 0, 0, W, H);
  let dirty = [0, 0, W, H];

  const render = (pose: MeshPose, out: Uint8Array = new Uint8Array(W * H * 4)): RgbaFrame => {
    if (out.length !== W * H * 4) throw new Error(`mesh-face: render buffer must be ${W * H * 4} bytes`);
    out.set(background);
    projectInto(pose);
    let x0 = Infinity;
    let y0 = Infinity;
    let x1 = -Infinity;
    let y1 = -Infinity;
    for (let i = 0; i < nv; i++) {
      x0 = Math.min(x0, px[i]!);
      x1 = Math.max(x1, px[i]!);
      y0 = Math.min(y0, py[i]!);
      y1 = Math.max(y1, py[i]!);
    }
    const bx0 = Math.max(0, Math.floor(x0) - 1);
    const by0 = Math.max(0, Math.floor(y0) - 1);
    const bx1 = Math.min(W, Math.ceil(x1) + 1);
    const by1 = Math.min(H, Math.ceil(y1) + 1);
    dirty = [bx0, by0, bx1, by1];
    for (let y = by0; y < by1; y++) zbuf.fill(Infinity, y * W + bx0, y * W + bx1);
    // The skirt under everything (no depth), then the face, front faces only, nearest wins.
    for (let t = 0; t < skirtTris.length; t += 3) {
      drawTriangle(out, zbuf, background, W, H, px, py, pz, su, sv, skirtTris[t]!, skirtTris[t + 1]!, skirtTris[t + 2]!, false);
    }
    for (let t = 0; t < tris.length; t += 3) {
      const a = tris[t]!;
      const b = tris[t + 1]!;
      const c = tris[t + 2]!;
      if (area(px, py, a, b, c) * frontSign <= 0) continue;
      drawTriangle(out, zbuf, background, W, H, px, py, pz, su, sv, a, b, c, true);
    }
    return { width: W, height: H, rgba: out };
  };

  return {
    width: W,
    height: H,
    data,
    render,
    renderI420(pose, out = new Uint8Array((W * H * 3) / 2)) {
      if (out.length !== (W * H * 3) / 2) throw new Error(`mesh-face: I420 buffer must be ${(W * H * 3) / 2} bytes`);
      render(pose, scratch);
      out.set(bgI420);
      const [bx0, by0, bx1, by1] = dirty as [number, number, number, number];
      const ex0 = bx0 & ~1;
      const ey0 = by0 & ~1;
      rgbaToI420(scratch, W, H, out, ex0, ey0, Math.min(W, (bx1 + 1) & ~1), Math.min(H, (by1 + 1) & ~1));
      return out;
    },
    renderRgb(pose) {
      render(pose, scratch);
      return { width: W, height: H, data: rgbaToRgb(scratch) };
    },
    project(pose) {
      projectInto(pose);
      const out = new Float64Array(n * 2);
      for (let i = 0; i < n; i++) {
        out[2 * i] = px[i]!;
        out[2 * i + 1] = py[i]!;
      }
      return out;
    },
  };
}

function area(x: ArrayLike<number>, y: ArrayLike<number>, a: number, b: number, c: number): number {
  return (x[b]! - x[a]!) * (y[c]! - y[a]!) - (x[c]! - x[a]!) * (y[b]! - y[a]!);
}

/**
 * Fills triangle (a, b, c) at its projected position (px, py) with the photo's pixels from its
 * source triangle (su, sv): affine map, bilinear sampling, pixel centres at +0.5. With `depth`,
 * only pixels nearer than the z-buffer are drawn (depth interpolated affinely on screen).
 */
function drawTriangle(
  out: Uint8Array, zbuf: Float32Array, src: Uint8Array, W: number, H: number,
  px: Float64Array, py: Float64Array, pz: Float64Array, su: Float64Array, sv: Float64Array,
  a: number, b: number, c: number, depth: boolean,
): void {
  const x0 = px[a]!, y0 = py[a]!, x1 = px[b]!, y1 = py[b]!, x2 = px[c]!, y2 = py[c]!;
  const det = (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0);
  if (Math.abs(det) < 1e-9) return;
  const minX = Math.max(0, Math.floor(Math.min(x0, x1, x2)));
  const maxX = Math.min(W - 1, Math.ceil(Math.max(x0, x1, x2)));
  const minY = Math.max(0, Math.floor(Math.min(y0, y1, y2)));
  const maxY = Math.min(H - 1, Math.ceil(Math.max(y0, y1, y2)));
  if (minX > maxX || minY > maxY) return;
  // Barycentric weights of b and c as affine functions of (x, y): wb = A1 x + B1 y + C1, wc = A2 x + B2 y + C2.
  const inv = 1 / det;
  const A1 = (y2 - y0) * inv, B1 = -(x2 - x0) * inv, C1 = -(A1 * x0 + B1 * y0);
  const A2 = -(y1 - y0) * inv, B2 = (x1 - x0) * inv, C2 = -(A2 * x0 + B2 * y0);
  const u0 = su[a]!, du1 = su[b]! - u0, du2 = su[c]! - u0;
  const v0 = sv[a]!, dv1 = sv[b]! - v0, dv2 = sv[c]! - v0;
  const z0 = pz[a]!, dz1 = pz[b]! - z0, dz2 = pz[c]! - z0;
  const eps = -1e-7;
  const sw = W - 1;
  const sh = H - 1;
  for (let y = minY; y <= maxY; y++) {
    const yc = y + 0.5;
    let wb = A1 * (minX + 0.5) + B1 * yc + C1;
    let wc = A2 * (minX + 0.5) + B2 * yc + C2;
    for (let x = minX; x <= maxX; x++, wb += A1, wc += A2) {
      const wa = 1 - wb - wc;
      if (wa < eps || wb < eps || wc < eps) continue;
      const o = y * W + x;
      if (depth) {
        const z = z0 + wb * dz1 + wc * dz2;
        if (z >= zbuf[o]!) continue;
        zbuf[o] = z;
      }
      // Source position, pixel centres at +0.5.
      let sx = u0 + wb * du1 + wc * du2 - 0.5;
      let sy = v0 + wb * dv1 + wc * dv2 - 0.5;
      if (sx < 0) sx = 0;
      else if (sx > sw) sx = sw;
      if (sy < 0) sy = 0;
      else if (sy > sh) sy = sh;
      const ix = sx | 0;
      const iy = sy | 0;
      const fx = sx - ix;
      const fy = sy - iy;
      const i00 = (iy * W + ix) * 4;
      const i01 = ix < sw ? i00 + 4 : i00;
      const i10 = iy < sh ? i00 + W * 4 : i00;
      const i11 = ix < sw ? i10 + 4 : i10;
      const w00 = (1 - fx) * (1 - fy), w01 = fx * (1 - fy), w10 = (1 - fx) * fy, w11 = fx * fy;
      const d = o * 4;
      out[d] = src[i00]! * w00 + src[i01]! * w01 + src[i10]! * w10 + src[i11]! * w11 + 0.5;
      out[d + 1] = src[i00 + 1]! * w00 + src[i01 + 1]! * w01 + src[i10 + 1]! * w10 + src[i11 + 1]! * w11 + 0.5;
      out[d + 2] = src[i00 + 2]! * w00 + src[i01 + 2]! * w01 + src[i10 + 2]! * w10 + src[i11 + 2]! * w11 + 0.5;
      out[d + 3] = 255;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// pixel formats

/** Packed RGB24 of an RGBA buffer. */
export function rgbaToRgb(rgba: Uint8Array): Uint8Array {
  const n = rgba.length >> 2;
  const out = new Uint8Array(n * 3);
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    const s = i << 2;
    out[j] = rgba[s]!;
    out[j + 1] = rgba[s + 1]!;
    out[j + 2] = rgba[s + 2]!;
  }
  return out;
}

/**
 * RGBA → I420 (BT.601 limited range, as ffmpeg's yuv420p and libyuv's ARGBToI420) for the rectangle
 * [x0, x1) × [y0, y1) with even corners, written into a full-frame I420 buffer.
 */
export function rgbaToI420(rgba: Uint8Array, W: number, H: number, out: Uint8Array, x0 = 0, y0 = 0, x1 = W, y1 = H): Uint8Array {
  const uOff = W * H;
  const vOff = uOff + (W >> 1) * (H >> 1);
  const cw = W >> 1;
  for (let y = y0; y < y1; y += 2) {
    for (let x = x0; x < x1; x += 2) {
      let rs = 0, gs = 0, bs = 0;
      for (let dy = 0; dy < 2; dy++) {
        const row = (y + dy) * W;
        for (let dx = 0; dx < 2; dx++) {
          const s = (row + x + dx) << 2;
          const r = rgba[s]!, g = rgba[s + 1]!, b = rgba[s + 2]!;
          out[row + x + dx] = ((66 * r + 129 * g + 25 * b + 128) >> 8) + 16;
          rs += r;
          gs += g;
          bs += b;
        }
      }
      const ci = (y >> 1) * cw + (x >> 1);
      out[uOff + ci] = ((-38 * rs - 74 * gs + 112 * bs + 512) >> 10) + 128;
      out[vOff + ci] = ((112 * rs - 94 * gs - 18 * bs + 512) >> 10) + 128;
    }
  }
  return out;
}
