import { describe, expect, it } from 'vitest';
import {
  buildTemplate,
  cosine,
  decodeTemplate,
  encodeTemplate,
  normalize,
  TEMPLATE_BYTES,
  TEMPLATE_LENGTH,
  TemplateError,
} from './template.js';

/** A deterministic pseudo-random vector (mulberry32), values in -1..1. */
function vec(seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: TEMPLATE_LENGTH }, () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * 2 - 1;
  });
}

const length = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0));

/** Runs `fn` and returns the TemplateError code it threw. */
function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(TemplateError);
    return (err as TemplateError).code;
  }
  throw new Error('did not throw');
}

describe('normalize', () => {
  it('scales to unit length and keeps the direction', () => {
    const v = vec(1).map((x) => x * 37);
    const u = normalize(v);
    expect(u).toBeInstanceOf(Float32Array);
    expect(length(u)).toBeCloseTo(1, 6);
    expect(cosine(u, v)).toBeCloseTo(1, 6);
  });

  it('refuses zero, NaN, Infinity and the wrong length with a typed error', () => {
    expect(codeOf(() => normalize(new Float32Array(TEMPLATE_LENGTH)))).toBe('zero_vector');
    const nan = vec(2);
    nan[500] = NaN;
    expect(codeOf(() => normalize(nan))).toBe('not_finite');
    const inf = vec(3);
    inf[0] = -Infinity;
    expect(codeOf(() => normalize(inf))).toBe('not_finite');
    expect(codeOf(() => normalize(vec(4).slice(1)))).toBe('wrong_length');
    expect(codeOf(() => normalize([]))).toBe('wrong_length');
  });
});

describe('cosine', () => {
  it('is 1 for the same direction, -1 for opposite, about 0 for unrelated random vectors', () => {
    const a = vec(5);
    expect(cosine(a, a.map((x) => x * 0.01))).toBeCloseTo(1, 9);
    expect(cosine(a, a.map((x) => -x))).toBeCloseTo(-1, 9);
    expect(Math.abs(cosine(a, vec(6)))).toBeLessThan(0.15);
  });

  it('never leaves -1..1 and refuses bad input', () => {
    const a = vec(7);
    expect(cosine(a, a)).toBeLessThanOrEqual(1);
    expect(codeOf(() => cosine(a, new Array<number>(TEMPLATE_LENGTH).fill(0)))).toBe('zero_vector');
    expect(codeOf(() => cosine(a, a.slice(2)))).toBe('wrong_length');
  });
});

describe('buildTemplate', () => {
  it('refuses an empty list', () => {
    expect(codeOf(() => buildTemplate([]))).toBe('no_embeddings');
  });

  it('of one embedding is that embedding, normalised, with consistency 1', () => {
    const e = vec(8).map((x) => x * 3);
    const t = buildTemplate([e]);
    expect(t.frames).toBe(1);
    expect(t.consistency).toBeCloseTo(1, 6);
    expect(t.agreement).toBe(1);
    expect(cosine(t.vector, e)).toBeCloseTo(1, 6);
  });

  it('weighs each frame equally whatever its length, and reports the weakest frame', () => {
    const a = normalize(vec(9));
    const b = normalize(vec(10));
    // b scaled up 100x must not pull the mean towards it.
    const t = buildTemplate([Array.from(a), Array.from(b).map((x) => x * 100)]);
    expect(length(t.vector)).toBeCloseTo(1, 6);
    expect(cosine(t.vector, a)).toBeCloseTo(cosine(t.vector, b), 6);
    const expected = Math.min(cosine(a, t.vector), cosine(b, t.vector));
    expect(t.consistency).toBeCloseTo(expected, 9);
    // Two unrelated vectors: each sits at about 45° from their mean.
    expect(t.consistency).toBeGreaterThan(0.6);
    expect(t.consistency).toBeLessThan(0.8);
    // Yet the two frames themselves do not match: agreement is their own cosine.
    expect(t.agreement).toBeCloseTo(cosine(a, b), 9);
  });

  it('names the bad embedding, and refuses embeddings that cancel out', () => {
    const bad = vec(11);
    bad[3] = NaN;
    expect(() => buildTemplate([vec(12), bad])).toThrow(/embedding 1/);
    const a = vec(13);
    expect(codeOf(() => buildTemplate([a, a.map((x) => -x)]))).toBe('zero_vector');
  });
});

describe('encodeTemplate / decodeTemplate', () => {
  it('round-trips exactly as little-endian float32', () => {
    const v = normalize(vec(14));
    const bytes = encodeTemplate(v);
    expect(bytes.byteLength).toBe(TEMPLATE_BYTES);
    expect(bytes.readFloatLE(4)).toBe(v[1]);
    expect(decodeTemplate(bytes)).toEqual(v);
  });

  it('decodes from a view at an odd offset (a slice of a larger buffer)', () => {
    const v = normalize(vec(15));
    const big = Buffer.alloc(TEMPLATE_BYTES + 3);
    encodeTemplate(v).copy(big, 3);
    expect(decodeTemplate(big.subarray(3))).toEqual(v);
  });

  it('refuses wrong sizes, NaN and vectors that are not unit length', () => {
    const bytes = encodeTemplate(normalize(vec(16)));
    expect(codeOf(() => decodeTemplate(bytes.subarray(0, TEMPLATE_BYTES - 4)))).toBe('bad_bytes');
    expect(codeOf(() => decodeTemplate(Buffer.concat([bytes, Buffer.alloc(1)])))).toBe('bad_bytes');
    const nan = Buffer.from(bytes);
    nan.writeFloatLE(NaN, 40);
    expect(codeOf(() => decodeTemplate(nan))).toBe('not_finite');
    expect(codeOf(() => decodeTemplate(encodeTemplate(Float32Array.from(vec(17)))))).toBe('bad_bytes');
  });

  it('encode refuses the wrong length and NaN', () => {
    expect(codeOf(() => encodeTemplate(new Float32Array(10)))).toBe('wrong_length');
    const v = normalize(vec(18));
    v[9] = NaN;
    expect(codeOf(() => encodeTemplate(v))).toBe('not_finite');
  });
});
