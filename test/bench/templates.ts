/**
 * Benchmark of TemplateIndex (server/identity/template-index.ts): search time for 10,000 and 100,000
 * random unit templates, the index's memory, and a naive `Array<number[]>` scan in the same run as
 * the baseline. Target: one search over 100,000 templates in ≤ 50 ms.
 *
 *   npm run bench:templates            (SEARCHES=50 SIZES=10000,100000 to change the run)
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { TemplateIndex } from '../../server/identity/template-index.js';
import { TEMPLATE_LENGTH } from '../../server/identity/template.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const SEARCHES = Number(process.env.SEARCHES ?? 50);
const SIZES = (process.env.SIZES ?? '10000,100000').split(',').map(Number);
const OPTIONS = { threshold: 0.6, limit: 10 };
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

/** Builds an index over a run's rows and times searches; memory is measured after a full GC (ids and payloads included). */
function benchIndex(size: number, queries: Float32Array[], simd: boolean) {
  const before = memory();
  const t0 = performance.now();
  const index = new TemplateIndex<Payload>({ simd });
  let r = 0;
  for (const v of rowsOf(size, queries)) {
    index.add(`tpl_${r}`, v, { interview: `int_${r % 5000}` });
    r++;
  }
  const buildMs = performance.now() - t0;
  const bytes = memory() - before;
  const ms = time(() => index.search(queries[Math.floor(Math.random() * queries.length)]!, OPTIONS), queries.length);
  return {
    simd: index.simd,
    buildMs,
    bytes,
    capacity: index.byteLength,
    ms,
    found: queries.filter((query) => index.search(query, OPTIONS).length > 0).length,
    hits: queries.slice(0, 5).map((query) => idsOf(index.search(query, OPTIONS))),
  };
}

console.log(`TemplateIndex bench: ${SEARCHES} searches per size, threshold ${OPTIONS.threshold}, limit ${OPTIONS.limit}, Node ${process.version}\n`);
const results: string[] = [];
for (const size of SIZES) {
  const queries = take(randomUnits(7), SEARCHES);
  const pick = () => queries[Math.floor(Math.random() * SEARCHES)]!;
  const ids = Array.from({ length: size }, (_, r) => `tpl_${r}`);
  const payloads = ids.map((_, r) => ({ interview: `int_${r % 5000}` }));

  const simd = benchIndex(size, queries, true);
  console.log(`${size.toLocaleString('en')} templates: SIMD index built in ${simd.buildMs.toFixed(0)} ms (simd: ${simd.simd}); ` +
    `${simd.found}/${SEARCHES} planted near-duplicates found`);
  const js = benchIndex(size, queries, false);
  const simdMs = simd.ms;
  const jsMs = js.ms;
  const expected = simd.hits;
  const jsAgrees = js.hits.every((h, i) => h === expected[i]);

  // The baseline scans the same rows, as plain arrays of doubles.
  const beforeNaive = memory();
  const rows: number[][] = [];
  for (const v of rowsOf(size, queries)) rows.push(Array.from(v));
  const naiveBytes = memory() - beforeNaive;
  const naiveMs = time(() => naiveSearch(rows, ids, payloads, pick()), SEARCHES);
  const naiveAgrees = queries.slice(0, 5).every((query, i) => idsOf(naiveSearch(rows, ids, payloads, query)) === expected[i]);
  console.log(`  same hits as SIMD: JS loop ${jsAgrees}, naive ${naiveAgrees}`);
  rows.length = 0;

  const med = quantile(simdMs, 0.5);
  const p90 = quantile(simdMs, 0.9);
  const gbps = (size * TEMPLATE_LENGTH * 4) / (med / 1000) / 1e9;
  const naiveMed = quantile(naiveMs, 0.5);
  results.push(`| ${size.toLocaleString('en')} | ${f(med)} / ${f(p90)} | ${gbps.toFixed(1)} | ${f(quantile(jsMs, 0.5))} / ${f(quantile(jsMs, 0.9))} | ` +
    `${f(naiveMed)} / ${f(quantile(naiveMs, 0.9))} | ${(naiveMed / med).toFixed(1)}x | ${mb(simd.capacity)} | ${mb(simd.bytes)} | ${mb(js.bytes)} | ${mb(naiveBytes)} |`);
  if (size >= 100_000 && med > TARGET_MS) console.log(`  ! median ${f(med)} ms is over the ${TARGET_MS} ms target`);
}
console.log('\nms per search, median / p90. Memory after a full GC: heapUsed + arrayBuffers, which leaves out WebAssembly memory,\n' +
  'so the SIMD index is its WebAssembly memory (rows at capacity) plus its heap (ids, payloads, id map).\n');
console.log('| templates | index (SIMD) | GB/s scanned | index (JS loop) | naive Array<number[]> | naive / SIMD | SIMD wasm memory | SIMD heap | JS-loop heap + buffers | naive heap |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const line of results) console.log(line);
