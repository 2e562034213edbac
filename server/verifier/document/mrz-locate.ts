/**
 * Finds a document's machine-readable zone in a camera frame and cuts it out
 * level: the MRZ is the page's longest, densest run of printed lines, so the
 * frame's skew is the angle at which text edges pile into the sharpest rows,
 * and the zone is the widest group of two or three such rows. The crop is
 * resampled upright and enlarged, ready for OCR. Pure functions on grey pixels.
 */

/** An 8-bit greyscale image, row-major. */
export interface Gray {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Where the zone is: the skew, and the upright rectangle in rotated frame coordinates. */
export interface MrzRegion {
  angleDeg: number;
  x0: number;
  x1: number;
  r0: number;
  r1: number;
  /** Text rows found in the zone (2 for a passport, 3 for an ID card; OCR decides). */
  rows: number;
}

interface EdgePoint {
  x: number;
  y: number;
}

/** Pixels with a strong horizontal gradient: the strokes of printed characters. */
function textEdges(img: Gray): EdgePoint[] {
  const { width, height, data } = img;
  const gradients: number[] = [];
  for (let y = 1; y < height - 1; y += 1) {
    for (let x = 1; x < width - 1; x += 1) {
      const i = y * width + x;
      gradients.push(Math.abs((data[i + 1] ?? 0) - (data[i - 1] ?? 0)));
    }
  }
  // Relative threshold: printed text is the frame's sharpest detail, whatever the exposure.
  const sorted = Float32Array.from(gradients).sort();
  const threshold = Math.max(24, sorted[Math.floor(sorted.length * 0.9)] ?? 0);
  const points: EdgePoint[] = [];
  let k = 0;
  for (let y = 1; y < height - 1; y += 1) {
    for (let x = 1; x < width - 1; x += 1) {
      if ((gradients[k++] ?? 0) >= threshold) points.push({ x, y });
    }
  }
  return points;
}

function rowProfile(points: EdgePoint[], angleRad: number, size: number): Float64Array {
  const sin = Math.sin(angleRad);
  const cos = Math.cos(angleRad);
  const profile = new Float64Array(size * 2);
  for (const p of points) {
    const r = Math.round(-p.x * sin + p.y * cos) + size;
    if (r >= 0 && r < profile.length) profile[r] = (profile[r] ?? 0) + 1;
  }
  return profile;
}

/** The skew, in degrees, at which text edges form the sharpest rows (±maxDeg, 0.5° steps). */
export function estimateSkew(points: EdgePoint[], size: number, maxDeg = 20): number {
  let best = 0;
  let bestScore = -1;
  for (let deg = -maxDeg; deg <= maxDeg; deg += 0.5) {
    const profile = rowProfile(points, (deg * Math.PI) / 180, size);
    let score = 0;
    for (const v of profile) score += v * v;
    if (score > bestScore) {
      bestScore = score;
      best = deg;
    }
  }
  return best;
}

interface Band {
  r0: number;
  r1: number;
  x0: number;
  x1: number;
  count: number;
}

const BIN = 4;

/**
 * The longest stretch of a text row where edges stay dense. A line of print is
 * one unbroken dense run; background texture in the same rows is sparse or
 * patchy, so it neither extends nor breaks the run.
 */
function longestDenseRun(xs: number[], height: number): { x0: number; x1: number; count: number } {
  if (xs.length === 0) return { x0: 0, x1: 0, count: 0 };
  const min = Math.floor(Math.min(...xs) / BIN);
  const bins = new Float64Array(Math.floor(Math.max(...xs) / BIN) - min + 1);
  for (const x of xs) {
    const bin = Math.floor(x / BIN) - min;
    bins[bin] = (bins[bin] ?? 0) + 1;
  }
  const dense = (i: number) => {
    // Three bins either side: the gap between two characters or words must not end the line.
    let sum = 0;
    for (let k = Math.max(0, i - 3); k <= Math.min(bins.length - 1, i + 3); k += 1) sum += bins[k] ?? 0;
    return sum / (7 * BIN * height) >= 0.25;
  };
  let best = { x0: 0, x1: 0, count: 0 };
  let start = -1;
  let count = 0;
  for (let i = 0; i <= bins.length; i += 1) {
    if (i < bins.length && dense(i)) {
      if (start < 0) {
        start = i;
        count = 0;
      }
      count += bins[i] ?? 0;
    } else if (start >= 0) {
      if ((i - start) * BIN > best.x1 - best.x0) best = { x0: (start + min) * BIN, x1: (i + min) * BIN, count };
      start = -1;
    }
  }
  return best;
}

/** Finds the MRZ in an analysis-scale image, or null when no group of long text rows is there. */
export function locateMrz(img: Gray): MrzRegion | null {
  const points = textEdges(img);
  if (points.length < 200) return null;
  const size = img.width + img.height;
  const angleDeg = estimateSkew(points, size);
  const rad = (angleDeg * Math.PI) / 180;
  const sin = Math.sin(rad);
  const cos = Math.cos(rad);
  const profile = rowProfile(points, rad, size);
  const peak = Math.max(...profile);
  // Rows of text: runs of rows holding a good share of the densest row's edges.
  const bands: Band[] = [];
  let start = -1;
  for (let r = 0; r <= profile.length; r += 1) {
    const inText = r < profile.length && (profile[r] ?? 0) >= peak * 0.2;
    if (inText && start < 0) start = r;
    if (!inText && start >= 0) {
      if (r - start >= 3) bands.push({ r0: start - size, r1: r - size, x0: 0, x1: 0, count: 0 });
      start = -1;
    }
  }
  if (bands.length === 0) return null;
  const xs: number[][] = bands.map(() => []);
  for (const p of points) {
    const r = -p.x * sin + p.y * cos;
    const band = bands.findIndex((b) => r >= b.r0 && r < b.r1);
    if (band >= 0) xs[band]?.push(p.x * cos + p.y * sin);
  }
  bands.forEach((b, i) => Object.assign(b, longestDenseRun(xs[i] ?? [], b.r1 - b.r0)));
  // The MRZ: two or three neighbouring rows of like height and like extent; the widest such group wins.
  let best: { group: Band[]; score: number } | null = null;
  for (const rows of [2, 3]) {
    for (let i = 0; i + rows <= bands.length; i += 1) {
      const group = bands.slice(i, i + rows);
      const heights = group.map((b) => b.r1 - b.r0);
      const widths = group.map((b) => b.x1 - b.x0);
      const [first, second] = group;
      const pitch = first && second ? second.r0 - first.r0 : 0;
      const even = Math.max(...heights) <= Math.min(...heights) * 1.8 && Math.max(...widths) <= Math.min(...widths) * 1.35;
      const close = group.every((b, k) => {
        const previous = group[k - 1];
        return !previous || b.r0 - previous.r1 <= pitch;
      });
      const wide = Math.min(...widths) >= Math.max(...heights) * 12;
      if (!even || !close || !wide) continue;
      const score = Math.min(...widths) * rows;
      if (!best || score > best.score) best = { group, score };
    }
  }
  if (!best) return null;
  const g = best.group;
  const top = g[0];
  const bottom = g[g.length - 1];
  if (!top || !bottom) return null;
  const height = Math.max(...g.map((b) => b.r1 - b.r0));
  return {
    angleDeg,
    x0: Math.min(...g.map((b) => b.x0)) - height * 0.4,
    x1: Math.max(...g.map((b) => b.x1)) + height * 0.4,
    r0: top.r0 - height * 0.6,
    r1: bottom.r1 + height * 0.6,
    rows: g.length,
  };
}

/**
 * Resamples a region of `img` (found at `scale` times smaller) upright at
 * `zoom` times the frame's own resolution, bilinear. Pixels outside the frame
 * are white, as paper is.
 */
export function cropUpright(img: Gray, region: MrzRegion, scale: number, zoom: number): Gray {
  const rad = (region.angleDeg * Math.PI) / 180;
  const sin = Math.sin(rad);
  const cos = Math.cos(rad);
  const step = 1 / zoom;
  const x0 = region.x0 * scale;
  const r0 = region.r0 * scale;
  const width = Math.max(1, Math.round((region.x1 - region.x0) * scale * zoom));
  const height = Math.max(1, Math.round((region.r1 - region.r0) * scale * zoom));
  const out = new Uint8Array(width * height);
  for (let j = 0; j < height; j += 1) {
    const r = r0 + j * step;
    for (let i = 0; i < width; i += 1) {
      const xr = x0 + i * step;
      const x = xr * cos - r * sin;
      const y = xr * sin + r * cos;
      const xi = Math.floor(x);
      const yi = Math.floor(y);
      if (xi < 0 || yi < 0 || xi + 1 >= img.width || yi + 1 >= img.height) {
        out[j * width + i] = 255;
        continue;
      }
      const fx = x - xi;
      const fy = y - yi;
      // Inside the frame (checked above): the ?? never applies.
      const a = img.data[yi * img.width + xi] ?? 255;
      const b = img.data[yi * img.width + xi + 1] ?? 255;
      const c = img.data[(yi + 1) * img.width + xi] ?? 255;
      const d = img.data[(yi + 1) * img.width + xi + 1] ?? 255;
      out[j * width + i] = Math.round(a * (1 - fx) * (1 - fy) + b * fx * (1 - fy) + c * (1 - fx) * fy + d * fx * fy);
    }
  }
  return { width, height, data: out };
}
