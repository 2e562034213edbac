import { simdKernel } from './simd-kernel.js';
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

/** Options for the {@link TemplateIndex} constructor. */
export interface TemplateIndexOptions {
  /** Rows to allocate up front (default 64); capacity doubles from there. */
  initialCapacity?: number;
  /** Scan with the WebAssembly SIMD kernel when the runtime has it (default true); false forces the plain JS loop. */
  simd?: boolean;
}

const DIM = TEMPLATE_LENGTH;
const ROW_BYTES = DIM * 4;
const PAGE = 65536;
/** Rows of the WebAssembly memory start after the query; the similarities follow the rows. */
const QUERY_BYTES = ROW_BYTES;

/**
 * Templates in memory, searched by a linear scan: one packed Float32Array of unit rows
 * ({@link TEMPLATE_LENGTH} values each), so a search is one tight dot-product pass over contiguous
 * memory. Capacity doubles as rows are added; removal moves the last row into the gap.
 * Each row carries an id (unique) and a caller-defined payload.
 *
 * The scan runs in a small hand-assembled WebAssembly SIMD kernel (4 float32 lanes, 4 accumulators)
 * over a Float32Array view of the kernel's memory: 100,000 templates in 31 ms against 141 ms for
 * the best plain JS loop (`npm run bench:templates`), which stays as the fallback. WebAssembly
 * memory is capped at 4 GiB, so at most about one million templates (beyond, add throws RangeError).
 */
export class TemplateIndex<P> {
  /** Whether searches use the WebAssembly SIMD kernel. */
  readonly simd: boolean;
  private capacity: number;
  private matrix!: Float32Array;
  private query!: Float32Array;
  private sims!: Float32Array;
  private readonly memory?: WebAssembly.Memory;
  private readonly dots?: (mat: number, query: number, rows: number, out: number) => void;
  private readonly ids: string[] = [];
  private readonly payloads: P[] = [];
  private readonly rowOf = new Map<string, number>();

  constructor(options: TemplateIndexOptions = {}) {
    this.capacity = Math.max(1, Math.floor(options.initialCapacity ?? 64));
    const kernel = options.simd === false ? undefined : simdKernel();
    if (kernel) {
      this.memory = new WebAssembly.Memory({ initial: pagesFor(this.capacity) });
      const instance = new WebAssembly.Instance(kernel, { env: { memory: this.memory } });
      this.dots = instance.exports.dots as NonNullable<TemplateIndex<P>['dots']>;
      this.wasmViews();
    } else {
      this.matrix = new Float32Array(this.capacity * DIM);
      this.query = new Float32Array(DIM);
      this.sims = new Float32Array(this.capacity);
    }
    this.simd = !!kernel;
  }

  /** Rows held. */
  get size(): number {
    return this.ids.length;
  }

  /** Rows allocated. */
  get rowCapacity(): number {
    return this.capacity;
  }

  /** Bytes allocated for rows, query and similarities (the capacity, not only the rows in use). */
  get byteLength(): number {
    return this.memory ? this.memory.buffer.byteLength : this.matrix.byteLength + this.sims.byteLength + this.query.byteLength;
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
      if (row === this.capacity) this.grow();
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
   * at most `limit`. Equal similarities come in no particular order. Similarities are float32 sums,
   * within 1e-6 of the exact cosine. `exclude` must not add to or remove from this index.
   * @throws {TemplateError} for a query {@link normalize} refuses; RangeError for a bad limit or threshold.
   */
  search(query: ArrayLike<number>, options: SearchOptions<P>): Array<TemplateMatch<P>> {
    const { threshold, limit, exclude } = options;
    if (Number.isNaN(threshold)) throw new RangeError('threshold is NaN');
    if (!(limit >= 1) || (Number.isFinite(limit) && !Number.isInteger(limit))) {
      throw new RangeError(`limit must be a positive integer or Infinity, not ${limit}`);
    }
    this.query.set(normalize(query));
    const rows = this.ids.length;
    this.scan(rows);
    const sims = this.sims;
    const top = new TopK(Math.min(limit, rows));
    for (let r = 0; r < rows; r++) {
      const sim = sims[r]!;
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

  /** Fills `sims[0..rows)` with each row's dot product with `query`. */
  private scan(rows: number): void {
    if (this.dots) {
      this.dots(QUERY_BYTES, 0, rows, QUERY_BYTES + this.capacity * ROW_BYTES);
      return;
    }
    const { matrix: m, query: q, sims } = this;
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
      sims[r] = s0 + s1 + s2 + s3;
    }
  }

  private grow(): void {
    const capacity = this.capacity * 2;
    if (this.memory) {
      // grow() keeps the bytes (the rows sit at a fixed offset) but detaches the old views.
      const pages = pagesFor(capacity) - this.memory.buffer.byteLength / PAGE;
      if (pages > 0) this.memory.grow(pages);
      this.capacity = capacity;
      this.wasmViews();
    } else {
      const matrix = new Float32Array(capacity * DIM);
      matrix.set(this.matrix);
      this.matrix = matrix;
      this.sims = new Float32Array(capacity);
      this.capacity = capacity;
    }
  }

  private wasmViews(): void {
    const buffer = this.memory!.buffer;
    this.query = new Float32Array(buffer, 0, DIM);
    this.matrix = new Float32Array(buffer, QUERY_BYTES, this.capacity * DIM);
    this.sims = new Float32Array(buffer, QUERY_BYTES + this.capacity * ROW_BYTES, this.capacity);
  }
}

const pagesFor = (capacity: number) => Math.ceil((QUERY_BYTES + capacity * (ROW_BYTES + 4)) / PAGE);

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
