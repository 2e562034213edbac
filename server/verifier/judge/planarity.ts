import { Matrix, solve } from "ml-matrix";

/** A 2D point in frame pixels. */
export type Point = readonly [number, number];

/** Translates and scales points so their centroid is 0 and mean distance √2 (Hartley), for a well-conditioned fit. */
function normaliser(points: readonly Point[]): { apply: (p: Point) => Point; scale: number; cx: number; cy: number } {
  const cx = points.reduce((a, p) => a + p[0], 0) / points.length;
  const cy = points.reduce((a, p) => a + p[1], 0) / points.length;
  const mean = points.reduce((a, p) => a + Math.hypot(p[0] - cx, p[1] - cy), 0) / points.length || 1;
  const scale = Math.SQRT2 / mean;
  return { apply: (p) => [(p[0] - cx) * scale, (p[1] - cy) * scale], scale, cx, cy };
}

/**
 * Root-mean-square distance, in `dst`'s pixels, between `dst` and `src` mapped by the single
 * homography (plane-to-plane perspective mapping) that fits them best in least squares. Points of
 * one flat picture, however it is moved, turned or zoomed in front of a camera, map onto each
 * other by one homography (residual ≈ landmark noise); a head's nose and face contour, at
 * different depths, do not once the head turns. Needs ≥ 5 point pairs.
 */
export function homographyResidual(src: readonly Point[], dst: readonly Point[]): number {
  if (src.length !== dst.length || src.length < 5) throw new Error("homographyResidual: needs ≥ 5 matching points");
  const ns = normaliser(src);
  const nd = normaliser(dst);
  const a = new Matrix(2 * src.length, 8);
  const b = new Matrix(2 * src.length, 1);
  src.forEach((s, i) => {
    const [x, y] = ns.apply(s);
    const [u, v] = nd.apply(dst[i]!);
    a.setRow(2 * i, [x, y, 1, 0, 0, 0, -u * x, -u * y]);
    b.set(2 * i, 0, u);
    a.setRow(2 * i + 1, [0, 0, 0, x, y, 1, -v * x, -v * y]);
    b.set(2 * i + 1, 0, v);
  });
  // Least squares (ml-matrix solves an overdetermined system by QR).
  const h = solve(a, b, true).to1DArray();
  let sse = 0;
  src.forEach((s, i) => {
    const [x, y] = ns.apply(s);
    const w = h[6]! * x + h[7]! * y + 1;
    const u = (h[0]! * x + h[1]! * y + h[2]!) / w;
    const v = (h[3]! * x + h[4]! * y + h[5]!) / w;
    const [du, dv] = nd.apply(dst[i]!);
    sse += (u - du) ** 2 + (v - dv) ** 2;
  });
  // Back to dst pixels: undo the normalising scale.
  return Math.sqrt(sse / src.length) / nd.scale;
}
