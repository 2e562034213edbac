/**
 * Benchmark of TemplateIndex (server/identity/template-index.ts): search time for 10,000 and 100,000
 * random unit templates, the index's memory, and a naive `Array<number[]>` scan in the same run as
 * the baseline. Target: one search over 100,000 templates in ≤ 50 ms.
 *
 * Library candidates for the scan are measured in the same run when they resolve, from the project or
 * from BENCH_LIBS (a folder whose node_modules has them): usearch's `exactSearch` (inner product, f32)
 * and simsimd's `dot` called once per row. Every index and candidate is timed interleaved, query by
 * query, so load from other processes hits them alike, on two workloads: the near-duplicate search
 * below and the "rounds" search of IdentityService (threshold -1, limit 20, all rows but one
 * interview's excluded).
 *
 *   npm run bench:templates            (SEARCHES=50 SIZES=10000,100000 BENCH_LIBS=/some/dir to change the run)
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { TemplateIndex } from '../../server/identity/template-index.js';
import { normalize, TEMPLATE_LENGTH } from '../../server/identity/template.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const SEARCHES = Number(process.env.SEARCHES ?? 50);
const SIZES = (process.env.SIZES ?? '10000,100000').split(',').map(Number);
const OPTIONS = { threshold: 0.6, limit: 10 };
/** IdentityService's rounds search: every row scores, all but one interview's rows are excluded. */
const roundsOf = (r: number) => ({ threshold: -1, limit: 20, exclude: (p: Payload) => p.interview !== `int_${(r * 37) % 5000}` });
const TARGET_MS = 50;

/** Deterministic random unit vectors (xorshift32, roughly uniform per value, then L2-normalised). */
function* randomUnits(seed: number): Generator<Float32Array> {
  let s = seed >>> 0 || 1;
  for (;;) {
    const v = new Float32Array(TEMPLATE_LENGTH);
    let sum = 0;
    for (let i = 0; i < TEMPLATE_LENGTH; i++) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      const x = (s >>> 0) / 2 ** 32 - 0.5;
      v[i] = x;
      sum += x * x;
    }
    const n = Math.sqrt(sum);
    for (let i = 0; i < TEMPLATE_LENGTH; i++) v[i]! /= n;
    yield v;
  }
}

function take(gen: Generator<Float32Array>, n: number): Float32Array[] {
  const out: Float32Array[] = [];
  for (let i = 0; i < n; i++) out.push(gen.next().value as Float32Array);
  return out;
}

function quantile(values: number[], q: number): number {
  const xs = [...values].sort((a, b) => a - b);
  const pos = (xs.length - 1) * q;
  const lo = Math.floor(pos);
  return xs[lo]! + (xs[Math.ceil(pos)]! - xs[lo]!) * (pos - lo);
}

/** Bytes on the JS heap plus ArrayBuffers, after a full GC. */
function memory(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

interface Hit {
  id: string;
  similarity: number;
  payload: { interview: string };
}

/** The baseline: rows as plain arrays, every dot product kept, then sorted. */
function naiveSearch(rows: number[][], ids: string[], payloads: Array<{ interview: string }>, query: Float32Array): Hit[] {
  const q = Array.from(query);
  const hits: Hit[] = [];
  rows.forEach((row, r) => {
    let s = 0;
    for (let i = 0; i < row.length; i++) s += row[i]! * q[i]!;
    if (s >= OPTIONS.threshold) hits.push({ id: ids[r]!, similarity: s, payload: payloads[r]! });
  });
  return hits.sort((a, b) => b.similarity - a.similarity).slice(0, OPTIONS.limit);
}

function time(fn: () => unknown, n: number): number[] {
  for (let i = 0; i < 3; i++) fn(); // warm-up: let the JIT optimise the loop first
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  return ms;
}

/** The rows of a run in order: random unit vectors, with one near duplicate of each query planted at even spacing. */
function* rowsOf(size: number, queries: Float32Array[]): Generator<Float32Array> {
  const gen = randomUnits(size);
  const planted = new Map(queries.map((query, i) => [Math.floor(((i + 0.5) * size) / queries.length), query]));
  for (let r = 0; r < size; r++) {
    const query = planted.get(r);
    if (!query) {
      yield gen.next().value as Float32Array;
      continue;
    }
    const v = query.map((x, i) => x + (i % 2 ? 0.004 : -0.004));
    const n = Math.hypot(...v);
    yield v.map((x) => x / n);
  }
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const f = (x: number) => x.toFixed(2);

type Payload = { interview: string };
const idsOf = (hits: Array<{ id: string }>) => JSON.stringify(hits.map((h) => h.id));

/** Builds an index over a run's rows; memory is measured after a full GC (ids and payloads included). */
function buildIndex(size: number, queries: Float32Array[], simd: boolean) {
  const before = memory();
  const t0 = performance.now();
  const index = new TemplateIndex<Payload>({ simd });
  let r = 0;
  for (const v of rowsOf(size, queries)) {
    index.add(`tpl_${r}`, v, { interview: `int_${r % 5000}` });
    r++;
  }
  const buildMs = performance.now() - t0;
  return { index, buildMs, bytes: memory() - before };
}

interface Options {
  threshold: number;
  limit: number;
  exclude?: (payload: Payload) => boolean;
}
type Search = (query: Float32Array, options: Options) => Array<{ id: string }>;

/** The candidates' packed rows: one Float32Array (at offset 0 of its own buffer), normalised as TemplateIndex does. */
function packedRows(size: number, queries: Float32Array[]): Float32Array {
  const matrix = new Float32Array(size * TEMPLATE_LENGTH);
  let r = 0;
  for (const v of rowsOf(size, queries)) matrix.set(normalize(v), TEMPLATE_LENGTH * r++);
  return matrix;
}

/** A candidate library when it resolves, from BENCH_LIBS or the project. */
function library<T>(name: string): T | undefined {
  const from = process.env.BENCH_LIBS ? join(process.env.BENCH_LIBS, 'bench.cjs') : import.meta.url;
  try {
    return createRequire(from)(name) as T;
  } catch {
    return undefined;
  }
}
interface USearch {
  exactSearch(dataset: Float32Array, queries: Float32Array, dimensions: number, count: number, metric: 'ip', threads: number): { keys: BigUint64Array; distances: Float32Array };
}
interface SimSIMD {
  dot(a: Float32Array, b: Float32Array): number;
}
const usearch = library<USearch>('usearch');
const simsimd = library<SimSIMD>('simsimd');

/**
 * TemplateIndex's search on usearch's exact top-k (inner product distance 1 - dot), which takes no
 * filter: the best `limit` rows, or every row ranked when `exclude` may drop any number of them
 * (one call; asking for 8 times more rows until enough survive measured slower on the rounds workload).
 */
function usearchSearch(lib: USearch, matrix: Float32Array, rows: number, payloads: Payload[], threads: number): Search {
  return (query, { threshold, limit, exclude }) => {
    const k = exclude ? rows : Math.min(rows, limit);
    const { keys, distances } = lib.exactSearch(matrix, normalize(query), TEMPLATE_LENGTH, k, 'ip', threads);
    const hits: Array<{ id: string; similarity: number }> = [];
    for (let i = 0; i < k && hits.length < limit; i++) {
      const similarity = 1 - distances[i]!;
      if (similarity < threshold) break;
      const r = Number(keys[i]);
      if (!exclude?.(payloads[r]!)) hits.push({ id: `tpl_${r}`, similarity });
    }
    return hits;
  };
}

/** The rows' dot products from simsimd, one call per row (views made once), then the best `limit` kept. */
function simsimdSearch(lib: SimSIMD, matrix: Float32Array, rows: number, payloads: Payload[]): Search {
  const views = Array.from({ length: rows }, (_, r) => matrix.subarray(r * TEMPLATE_LENGTH, (r + 1) * TEMPLATE_LENGTH));
  const sims = new Float32Array(rows);
  return (query, { threshold, limit, exclude }) => {
    const q = normalize(query);
    for (let r = 0; r < rows; r++) sims[r] = lib.dot(views[r]!, q);
    const best: Array<{ id: string; similarity: number }> = [];
    for (let r = 0; r < rows; r++) {
      const similarity = sims[r]!;
      if (similarity < threshold || (best.length === limit && similarity <= best[limit - 1]!.similarity)) continue;
      if (exclude?.(payloads[r]!)) continue;
      let i = Math.min(best.length, limit - 1);
      best[i] = { id: `tpl_${r}`, similarity };
      for (; i > 0 && best[i - 1]!.similarity < similarity; i--) [best[i - 1], best[i]] = [best[i]!, best[i - 1]!];
    }
    return best;
  };
}

/** Times each search on the same queries, interleaved (one query, every contender, in rotating order), after 3 warm-up rounds. */
function timeAll(searches: Array<[string, Search]>, queries: Float32Array[], options: (i: number) => Options): Map<string, number[]> {
  const ms = new Map(searches.map(([name]) => [name, [] as number[]]));
  for (let i = -3; i < queries.length; i++) {
    const query = queries[(i + queries.length) % queries.length]!;
    const opts = options(i + 3);
    for (let j = 0; j < searches.length; j++) {
      const [name, search] = searches[(i + 3 + j) % searches.length]!;
      const t0 = performance.now();
      search(query, opts);
      const t = performance.now() - t0;
      if (i >= 0) ms.get(name)!.push(t);
    }
  }
  return ms;
}

const medP90 = (ms: number[]) => `${f(quantile(ms, 0.5))} / ${f(quantile(ms, 0.9))}`;

console.log(`TemplateIndex bench: ${SEARCHES} searches per size, threshold ${OPTIONS.threshold}, limit ${OPTIONS.limit}, Node ${process.version}`);
console.log(`candidates: usearch ${usearch ? 'loaded' : 'not found'}, simsimd ${simsimd ? 'loaded' : 'not found'}\n`);
const results: string[] = [];
const candidates: string[] = [];
for (const size of SIZES) {
  const queries = take(randomUnits(7), SEARCHES);
  const pick = () => queries[Math.floor(Math.random() * SEARCHES)]!;
  const ids = Array.from({ length: size }, (_, r) => `tpl_${r}`);
  const payloads = ids.map((_, r) => ({ interview: `int_${r % 5000}` }));

  const simd = buildIndex(size, queries, true);
  const js = buildIndex(size, queries, false);
  const searches: Array<[string, Search]> = [
    ['index (SIMD)', (q, o) => simd.index.search(q, o)],
    ['index (JS loop)', (q, o) => js.index.search(q, o)],
  ];
  const matrix = usearch || simsimd ? packedRows(size, queries) : new Float32Array(0);
  if (usearch) {
    searches.push(['usearch exactSearch, 1 thread', usearchSearch(usearch, matrix, size, payloads, 1)]);
    searches.push(['usearch exactSearch, 2 threads', usearchSearch(usearch, matrix, size, payloads, 2)]);
  }
  if (simsimd) searches.push(['simsimd dot per row', simsimdSearch(simsimd, matrix, size, payloads)]);

  const found = queries.filter((query) => simd.index.search(query, OPTIONS).length > 0).length;
  console.log(`${size.toLocaleString('en')} templates: SIMD index built in ${simd.buildMs.toFixed(0)} ms (simd: ${simd.index.simd}); ` +
    `${found}/${SEARCHES} planted near-duplicates found`);
  // Hits of the first 10 queries of each workload, compared with the JS loop's.
  const workloads: Array<[string, (i: number) => Options]> = [['near-duplicate', () => OPTIONS], ['rounds', roundsOf]];
  const agrees = new Map<string, boolean[]>();
  for (const [name, search] of searches) {
    agrees.set(name, workloads.map(([, options]) => queries.slice(0, 10).every((query, i) => idsOf(search(query, options(i))) === idsOf(js.index.search(query, options(i))))));
  }
  console.log(`  same hits as the JS loop (near-duplicate, rounds): ${searches.map(([name]) => `${name} ${agrees.get(name)!.join('/')}`).join('; ')}`);
  const timed = workloads.map(([, options]) => timeAll(searches, queries, options));
  const simdMs = timed[0]!.get('index (SIMD)')!;
  const jsMs = timed[0]!.get('index (JS loop)')!;
  for (const [w, [workload]] of workloads.entries()) {
    const base = quantile(timed[w]!.get('index (SIMD)')!, 0.5);
    for (const [name] of searches) {
      const ms = timed[w]!.get(name)!;
      candidates.push(`| ${size.toLocaleString('en')} | ${workload} | ${name} | ${medP90(ms)} | ${(quantile(ms, 0.5) / base).toFixed(2)}x | ${agrees.get(name)![w] ? 'yes' : 'NO'} |`);
    }
  }
  const expected = queries.slice(0, 5).map((query) => idsOf(js.index.search(query, OPTIONS)));

  // The baseline scans the same rows, as plain arrays of doubles.
  const beforeNaive = memory();
  const rows: number[][] = [];
  for (const v of rowsOf(size, queries)) rows.push(Array.from(v));
  const naiveBytes = memory() - beforeNaive;
  const naiveMs = time(() => naiveSearch(rows, ids, payloads, pick()), SEARCHES);
  const naiveAgrees = queries.slice(0, 5).every((query, i) => idsOf(naiveSearch(rows, ids, payloads, query)) === expected[i]);
  console.log(`  same hits as the JS loop: naive ${naiveAgrees}`);
  rows.length = 0;

  const med = quantile(simdMs, 0.5);
  const p90 = quantile(simdMs, 0.9);
  const gbps = (size * TEMPLATE_LENGTH * 4) / (med / 1000) / 1e9;
  const naiveMed = quantile(naiveMs, 0.5);
  results.push(`| ${size.toLocaleString('en')} | ${f(med)} / ${f(p90)} | ${gbps.toFixed(1)} | ${f(quantile(jsMs, 0.5))} / ${f(quantile(jsMs, 0.9))} | ` +
    `${f(naiveMed)} / ${f(quantile(naiveMs, 0.9))} | ${(naiveMed / med).toFixed(1)}x | ${mb(simd.index.byteLength)} | ${mb(simd.bytes)} | ${mb(js.bytes)} | ${mb(naiveBytes)} |`);
  if (size >= 100_000 && med > TARGET_MS) console.log(`  ! median ${f(med)} ms is over the ${TARGET_MS} ms target`);
}
console.log('\nms per search, median / p90 (near-duplicate workload). Memory after a full GC: heapUsed + arrayBuffers, which leaves out WebAssembly memory,\n' +
  'so the SIMD index is its WebAssembly memory (rows at capacity) plus its heap (ids, payloads, id map).\n');
console.log('| templates | index (SIMD) | GB/s scanned | index (JS loop) | naive Array<number[]> | naive / SIMD | SIMD wasm memory | SIMD heap | JS-loop heap + buffers | naive heap |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const line of results) console.log(line);
console.log('\nIndex and library candidates, timed interleaved on the same queries: ms per search, median / p90; ratio of medians to the SIMD index.\n');
console.log('| templates | workload | scan | ms median / p90 | vs index (SIMD) | same hits as JS loop |');
console.log('|---|---|---|---|---|---|');
for (const line of candidates) console.log(line);
