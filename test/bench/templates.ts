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

console.log(`TemplateIndex bench: ${SEARCHES} searches per size, threshold ${OPTIONS.threshold}, limit ${OPTIONS.limit}, Node ${process.version}\n`);
const results: string[] = [];
for (const size of SIZES) {
  const queries = take(randomUnits(7), SEARCHES);
  const pick = () => queries[Math.floor(Math.random() * SEARCHES)]!;

  const before = memory();
  const t0 = performance.now();
  const index = new TemplateIndex<{ interview: string }>();
  const ids: string[] = [];
  const payloads: Array<{ interview: string }> = [];
  let r = 0;
  for (const v of rowsOf(size, queries)) {
    const id = `tpl_${r}`;
    const payload = { interview: `int_${r++ % 5000}` };
    index.add(id, v, payload);
    ids.push(id);
    payloads.push(payload);
  }
  const buildMs = performance.now() - t0;
  // ids/payloads are kept for the baseline too, so this slightly overstates the index alone.
  const indexBytes = memory() - before;

  const searchMs = time(() => index.search(pick(), OPTIONS), SEARCHES);
  const found = queries.filter((query) => index.search(query, OPTIONS).length > 0).length;

  // The baseline scans the same rows, as plain arrays of doubles.
  const beforeNaive = memory();
  const rows: number[][] = [];
  for (const v of rowsOf(size, queries)) rows.push(Array.from(v));
  const naiveBytes = memory() - beforeNaive;
  const naiveMs = time(() => naiveSearch(rows, ids, payloads, pick()), SEARCHES);
  const agree = queries.slice(0, 5).every((query) =>
    JSON.stringify(naiveSearch(rows, ids, payloads, query).map((h) => h.id)) === JSON.stringify(index.search(query, OPTIONS).map((h) => h.id)));

  const med = quantile(searchMs, 0.5);
  const p90 = quantile(searchMs, 0.9);
  const naiveMed = quantile(naiveMs, 0.5);
  const gbps = (size * TEMPLATE_LENGTH * 4) / (med / 1000) / 1e9;
  console.log(`${size.toLocaleString('en')} templates: built in ${buildMs.toFixed(0)} ms; ${found}/${SEARCHES} planted near-duplicates found; naive agrees: ${agree}`);
  results.push(
    `| ${size.toLocaleString('en')} | ${f(med)} | ${f(p90)} | ${gbps.toFixed(1)} | ${mb(index.byteLength)} | ${mb(indexBytes)} | ${f(naiveMed)} | ${f(quantile(naiveMs, 0.9))} | ${mb(naiveBytes)} | ${(naiveMed / med).toFixed(1)}x |`,
  );
  if (size >= 100_000 && p90 > TARGET_MS) console.log(`  ! p90 ${f(p90)} ms is over the ${TARGET_MS} ms target`);
  rows.length = 0;
}
console.log('\n| templates | index median ms | index p90 ms | GB/s scanned | matrix (capacity) | index heap+buffers | naive median ms | naive p90 ms | naive heap | naive / index |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const line of results) console.log(line);
