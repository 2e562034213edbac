import { normalize, TEMPLATE_LENGTH } from './template.js';

/** One search hit. */
export interface TemplateMatch<P> {
  id: string;
  /** Cosine similarity to the query, -1..1. */
  similarity: number;
  payload: P;
}

/** Options for {@link TemplateIndex.search}. */
export interface SearchOptions<P> {
  /** Lowest similarity returned; a row exactly at the threshold matches. */
  threshold: number;
  /** Most hits returned (a positive integer, or Infinity). */
  limit: number;
  /** Skips rows whose payload this returns true for, e.g. the candidate's own interviews. Called only for rows at or above the threshold. */
  exclude?: (payload: P) => boolean;
}

const DIM = TEMPLATE_LENGTH;

/**
 * Templates in memory, searched by a linear scan: one packed Float32Array of unit rows
 * ({@link TEMPLATE_LENGTH} values each), so a search is one tight dot-product loop over contiguous
 * memory. Capacity doubles as rows are added; removal moves the last row into the gap.
 * Each row carries an id (unique) and a caller-defined payload.
 */
export class TemplateIndex<P> {
  private matrix: Float32Array;
  private ids: string[] = [];
  private payloads: P[] = [];
  private readonly rowOf = new Map<string, number>();

  /** @param initialCapacity rows to allocate up front (default 64). */
  constructor(initialCapacity = 64) {
    this.matrix = new Float32Array(Math.max(1, Math.floor(initialCapacity)) * DIM);
  }

  /** Rows held. */
  get size(): number {
    return this.ids.length;
  }

  /** Bytes of the row matrix as allocated (capacity, not only the rows in use). */
  get byteLength(): number {
    return this.matrix.byteLength;
  }

  /** Whether `id` is held. */
  has(id: string): boolean {
    return this.rowOf.has(id);
  }

  /**
   * Adds a template, normalised to unit length on the way in; an id already held is replaced
   * (vector and payload).
   * @throws {TemplateError} for a vector {@link normalize} refuses.
   */
  add(id: string, vector: ArrayLike<number>, payload: P): void {
    const unit = normalize(vector);
    let row = this.rowOf.get(id);
    if (row === undefined) {
      row = this.ids.length;
      if ((row + 1) * DIM > this.matrix.length) {
        const grown = new Float32Array(this.matrix.length * 2);
        grown.set(this.matrix.subarray(0, row * DIM));
        this.matrix = grown;
      }
      this.ids.push(id);
      this.payloads.push(payload);
      this.rowOf.set(id, row);
    } else {
      this.payloads[row] = payload;
    }
    this.matrix.set(unit, row * DIM);
  }

  /** Removes a template; false when `id` was not held. Capacity is kept. */
  remove(id: string): boolean {
    const row = this.rowOf.get(id);
    if (row === undefined) return false;
    const last = this.ids.length - 1;
    if (row !== last) {
      this.matrix.copyWithin(row * DIM, last * DIM, (last + 1) * DIM);
      const movedId = this.ids[last]!;
      this.ids[row] = movedId;
      this.payloads[row] = this.payloads[last]!;
      this.rowOf.set(movedId, row);
    }
    this.ids.pop();
    this.payloads.pop();
    this.rowOf.delete(id);
    return true;
  }

  /**
   * The rows most similar to `query` (normalised here), at or above `threshold`, best first,
   * at most `limit`. Equal similarities come in no particular order.
   * @throws {TemplateError} for a query {@link normalize} refuses; RangeError for a bad limit or threshold.
   */
  search(query: ArrayLike<number>, options: SearchOptions<P>): Array<TemplateMatch<P>> {
    const { threshold, limit, exclude } = options;
    if (Number.isNaN(threshold)) throw new RangeError('threshold is NaN');
    if (!(limit >= 1) || (Number.isFinite(limit) && !Number.isInteger(limit))) {
      throw new RangeError(`limit must be a positive integer or Infinity, not ${limit}`);
    }
    const q = normalize(query);
    const m = this.matrix;
    const rows = this.ids.length;
    const top = new TopK(Math.min(limit, rows));
    for (let r = 0, base = 0; r < rows; r++, base += DIM) {
      // Four accumulators break the add dependency chain; DIM is a multiple of 8.
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let i = 0; i < DIM; i += 8) {
        const j = base + i;
        s0 += m[j]! * q[i]! + m[j + 4]! * q[i + 4]!;
        s1 += m[j + 1]! * q[i + 1]! + m[j + 5]! * q[i + 5]!;
        s2 += m[j + 2]! * q[i + 2]! + m[j + 6]! * q[i + 6]!;
        s3 += m[j + 3]! * q[i + 3]! + m[j + 7]! * q[i + 7]!;
      }
      const sim = s0 + s1 + s2 + s3;
      if (sim < threshold || !top.wants(sim)) continue;
      if (exclude && exclude(this.payloads[r]!)) continue;
      top.push(sim, r);
    }
    return top.sorted().map(([sim, r]) => ({
      id: this.ids[r]!,
      similarity: Math.max(-1, Math.min(1, sim)),
      payload: this.payloads[r]!,
    }));
  }
}

/** The k largest (similarity, row) pairs seen, as a binary min-heap so the weakest is evicted in O(log k). */
class TopK {
  private readonly sims: number[] = [];
  private readonly rows: number[] = [];

  constructor(private readonly k: number) {}

  /** Whether a hit with this similarity would be kept. */
  wants(sim: number): boolean {
    return this.sims.length < this.k || sim > this.sims[0]!;
  }

  push(sim: number, row: number): void {
    const { sims, rows } = this;
    if (sims.length < this.k) {
      let i = sims.length;
      sims.push(sim);
      rows.push(row);
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (sims[p]! <= sim) break;
        sims[i] = sims[p]!;
        rows[i] = rows[p]!;
        i = p;
      }
      sims[i] = sim;
      rows[i] = row;
      return;
    }
    // Replace the root (the weakest kept) and sift down.
    let i = 0;
    const n = sims.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const c = l + 1 < n && sims[l + 1]! < sims[l]! ? l + 1 : l;
      if (sims[c]! >= sim) break;
      sims[i] = sims[c]!;
      rows[i] = rows[c]!;
      i = c;
    }
    sims[i] = sim;
    rows[i] = row;
  }

  /** The kept pairs, best first. */
  sorted(): Array<[number, number]> {
    return this.sims.map((s, i): [number, number] => [s, this.rows[i]!]).sort((a, b) => b[0] - a[0]);
  }
}
