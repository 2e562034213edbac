import { describe, expect, it } from 'vitest';
import { TemplateIndex } from './template-index.js';
import { cosine, normalize, TEMPLATE_LENGTH, TemplateError } from './template.js';

/** A deterministic pseudo-random unit vector. */
function unit(seed: number): Float32Array {
  let s = seed >>> 0;
  const v = Array.from({ length: TEMPLATE_LENGTH }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  });
  return normalize(v);
}

/** A unit vector whose cosine with unit vector `base` is exactly `c` (base mixed with an orthogonal direction). */
function at(base: Float32Array, c: number, seed: number): Float32Array {
  const r = unit(seed);
  const d = r.reduce((s, x, i) => s + x * base[i]!, 0);
  const orth = normalize(r.map((x, i) => x - d * base[i]!));
  const s = Math.sqrt(1 - c * c);
  return Float32Array.from(base, (x, i) => c * x + s * orth[i]!);
}

interface Payload {
  interview: string;
}

describe('TemplateIndex', () => {
  const q = unit(1);

  it('returns hits above the threshold, best first, with payloads', () => {
    const index = new TemplateIndex<Payload>({ initialCapacity: 2 });
    const sims = [0.3, 0.9, 0.6, 0.75, 0.1];
    sims.forEach((c, i) => index.add(`t${i}`, at(q, c, 100 + i), { interview: `i${i}` }));
    expect(index.size).toBe(5);
    const hits = index.search(q, { threshold: 0.5, limit: 10 });
    expect(hits.map((h) => h.id)).toEqual(['t1', 't3', 't2']);
    expect(hits.map((h) => h.payload.interview)).toEqual(['i1', 'i3', 'i2']);
    hits.forEach((h, i) => expect(h.similarity).toBeCloseTo([0.9, 0.75, 0.6][i]!, 5));
  });

  it('keeps only the best `limit` hits, whatever the insertion order', () => {
    const index = new TemplateIndex<number>();
    const sims = Array.from({ length: 200 }, (_, i) => -0.99 + (i * 1.98) / 199);
    // Shuffle deterministically so the heap sees hits in every order.
    const order = sims.map((_, i) => (i * 73) % 200);
    for (const i of order) index.add(`t${i}`, at(q, sims[i]!, 1000 + i), i);
    const hits = index.search(q, { threshold: -1, limit: 7 });
    expect(hits.map((h) => h.payload)).toEqual([199, 198, 197, 196, 195, 194, 193]);
    expect(index.search(q, { threshold: -1, limit: Infinity })).toHaveLength(200);
  });

  it('counts a row exactly at the threshold as a hit', () => {
    const index = new TemplateIndex<null>();
    const v = at(q, 0.5, 7);
    index.add('edge', v, null);
    // The threshold is the stored row's own float32 dot product with the query.
    const sim = index.search(q, { threshold: -1, limit: 1 })[0]!.similarity;
    expect(index.search(q, { threshold: sim, limit: 1 })).toHaveLength(1);
    expect(index.search(q, { threshold: sim + 1e-9, limit: 1 })).toHaveLength(0);
    expect(sim).toBeCloseTo(cosine(q, v), 6);
  });

  it('skips excluded payloads but still fills the limit from the rest', () => {
    const index = new TemplateIndex<Payload>();
    index.add('same-1', at(q, 0.95, 11), { interview: 'mine' });
    index.add('same-2', at(q, 0.9, 12), { interview: 'mine' });
    index.add('other-1', at(q, 0.8, 13), { interview: 'other' });
    index.add('other-2', at(q, 0.7, 14), { interview: 'third' });
    const seen: string[] = [];
    const hits = index.search(q, {
      threshold: 0.75,
      limit: 2,
      exclude: (p) => {
        seen.push(p.interview);
        return p.interview === 'mine';
      },
    });
    expect(hits.map((h) => h.id)).toEqual(['other-1']);
    // exclude is only asked about rows that passed the threshold.
    expect(seen).not.toContain('third');
  });

  it('removes rows (first, middle, last) and keeps the others findable with their payloads', () => {
    const index = new TemplateIndex<string>({ initialCapacity: 1 });
    const vs = Array.from({ length: 6 }, (_, i) => unit(50 + i));
    vs.forEach((v, i) => index.add(`t${i}`, v, `p${i}`));
    expect(index.remove('t0')).toBe(true);
    expect(index.remove('t3')).toBe(true);
    expect(index.remove('t5')).toBe(true);
    expect(index.remove('t5')).toBe(false);
    expect(index.remove('nope')).toBe(false);
    expect(index.size).toBe(3);
    for (const i of [1, 2, 4]) {
      const [best] = index.search(vs[i]!, { threshold: 0.99, limit: 5 });
      expect(best).toMatchObject({ id: `t${i}`, payload: `p${i}` });
      expect(best!.similarity).toBeCloseTo(1, 5);
    }
    for (const i of [0, 3, 5]) expect(index.search(vs[i]!, { threshold: 0.99, limit: 5 })).toEqual([]);
    expect(index.has('t3')).toBe(false);
    // A removed id can come back.
    index.add('t3', vs[3]!, 'again');
    expect(index.search(vs[3]!, { threshold: 0.99, limit: 1 })[0]?.payload).toBe('again');
  });

  it('replaces the vector and payload of an id added twice', () => {
    const index = new TemplateIndex<number>();
    index.add('a', unit(60), 1);
    index.add('a', unit(61), 2);
    expect(index.size).toBe(1);
    expect(index.search(unit(60), { threshold: 0.9, limit: 1 })).toEqual([]);
    expect(index.search(unit(61), { threshold: 0.9, limit: 1 })[0]?.payload).toBe(2);
  });

  it('grows its capacity by doubling and normalises what it stores', () => {
    const index = new TemplateIndex<number>({ initialCapacity: 1 });
    expect(index.rowCapacity).toBe(1);
    for (let i = 0; i < 5; i++) index.add(`t${i}`, Array.from(unit(70 + i), (x) => x * 9), i);
    expect(index.rowCapacity).toBe(8);
    expect(index.byteLength).toBeGreaterThanOrEqual(8 * TEMPLATE_LENGTH * 4);
    for (let i = 0; i < 5; i++) {
      const [hit] = index.search(unit(70 + i), { threshold: 0, limit: 1 });
      expect(hit).toMatchObject({ id: `t${i}`, payload: i });
      expect(hit!.similarity).toBeCloseTo(1, 5);
    }
  });

  it('scores the same with the WebAssembly SIMD kernel and the JS loop, across growth and removal', () => {
    const simd = new TemplateIndex<number>({ initialCapacity: 3 });
    const js = new TemplateIndex<number>({ initialCapacity: 3, simd: false });
    expect(simd.simd).toBe(true); // Node 20+ has WebAssembly SIMD
    expect(js.simd).toBe(false);
    for (let i = 0; i < 300; i++) for (const index of [simd, js]) index.add(`t${i}`, at(q, Math.cos(i / 50), 200 + i), i);
    for (let i = 0; i < 300; i += 7) for (const index of [simd, js]) index.remove(`t${i}`);
    for (const query of [q, unit(3), unit(4)]) {
      const a = simd.search(query, { threshold: -1, limit: Infinity });
      const b = js.search(query, { threshold: -1, limit: Infinity });
      expect(a).toHaveLength(300 - 43);
      const byId = new Map(b.map((h) => [h.id, h.similarity]));
      for (const h of a) expect(h.similarity).toBeCloseTo(byId.get(h.id)!, 5);
    }
    const [best] = simd.search(q, { threshold: 0.99, limit: 1 });
    expect(best?.id).toBe('t1');
  });

  it('answers an empty index and refuses bad vectors and options', () => {
    const index = new TemplateIndex<number>();
    expect(index.search(q, { threshold: -1, limit: 3 })).toEqual([]);
    expect(() => index.add('z', new Float32Array(TEMPLATE_LENGTH), 0)).toThrow(TemplateError);
    expect(() => index.search(new Float32Array(3), { threshold: 0, limit: 1 })).toThrow(TemplateError);
    expect(() => index.search(q, { threshold: 0, limit: 0 })).toThrow(RangeError);
    expect(() => index.search(q, { threshold: 0, limit: 1.5 })).toThrow(RangeError);
    expect(() => index.search(q, { threshold: NaN, limit: 1 })).toThrow(RangeError);
    expect(index.size).toBe(0);
  });
});
