import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalyzerError, createHumanAnalyzer, type HumanAnalyzer, type RgbFrame } from './index.js';

const DATA = process.env.SKIMAGE_DATA ?? '/usr/lib/python3/dist-packages/skimage/data';
const img = (name: string) => `${DATA}/${name}.png`;

/** Decodes the first frame of anything ffmpeg reads (optionally through a filter graph) to RGB24. */
function decode(inputs: string[], filter?: string): RgbFrame {
  const args = ['-v', 'error', ...inputs.flatMap((i) => ['-i', i])];
  if (filter) args.push('-filter_complex', filter);
  const probe = execFileSync('ffmpeg', [...args, '-frames:v', '1', '-f', 'image2pipe', '-c:v', 'ppm', '-'], { maxBuffer: 64 << 20 });
  // PPM header: "P6\n<w> <h>\n255\n" then RGB24 rows.
  const header = probe.subarray(0, 64).toString('latin1').match(/^P6\s+(\d+)\s+(\d+)\s+255\s/);
  if (!header) throw new Error('ffmpeg did not return a PPM frame');
  const [, w, h] = header.map(Number) as [number, number, number];
  return { width: w, height: h, data: new Uint8Array(probe.subarray(header[0].length)) };
}

const cosine = (a: number[], b: number[]) => {
  let dot = 0, na = 0, nb = 0;
  a.forEach((x, i) => { const y = b[i] ?? 0; dot += x * y; na += x * x; nb += y * y; });
  return dot / Math.sqrt(na * nb);
};

describe.skipIf(!existsSync(img('astronaut')))('human face analyzer (real models, offline)', () => {
  let analyzer: HumanAnalyzer;
  beforeAll(async () => {
    analyzer = await createHumanAnalyzer();
  });
  afterAll(() => analyzer?.close());

  it('loads the models from disk', () => {
    expect(analyzer.stats.loadMs).toBeGreaterThan(0);
  });

  it('finds the astronaut, with a pose and a box', async () => {
    const res = await analyzer.analyze(decode([img('astronaut')]));
    expect(res.faces).toHaveLength(1);
    const face = res.faces[0]!;
    expect(face.score).toBeGreaterThan(0.5);
    expect(Math.abs(face.yawDeg)).toBeLessThan(15);
    expect(face.box.x).toBeGreaterThan(0.2);
    expect(face.box.x + face.box.w).toBeLessThan(0.7);
    expect(res.inferenceMs).toBeGreaterThan(0);
    expect(res.embedding).toBeUndefined();
  });

  it('finds no face in a coffee cup or a cat', async () => {
    expect((await analyzer.analyze(decode([img('coffee')]))).faces).toHaveLength(0);
    expect((await analyzer.analyze(decode([img('chelsea')]))).faces).toHaveLength(0);
  });

  it('finds two faces side by side', async () => {
    const frame = decode([img('astronaut'), img('astronaut')], '[1:v]hflip[m];[0:v][m]hstack');
    const res = await analyzer.analyze(frame);
    expect(res.faces).toHaveLength(2);
  });

  it('gives a 1024-value embedding that matches itself, and an antispoof score', async () => {
    const a = await analyzer.analyze(decode([img('astronaut')]), { embedding: true, antispoof: true });
    const b = await analyzer.analyze(decode([img('astronaut')]), { embedding: true });
    expect(a.embedding).toHaveLength(1024);
    expect(cosine(a.embedding!, b.embedding!)).toBeGreaterThan(0.999);
    expect(a.antispoof).toBeGreaterThanOrEqual(0);
    expect(a.antispoof).toBeLessThanOrEqual(1);
  });

  it('keeps only the newest waiting frame', async () => {
    const frames = [0, 1, 2].map(() => decode([img('coffee')]));
    const results = await Promise.allSettled(frames.map((f) => analyzer.analyze(f)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'superseded' });
  });

  it('rejects a frame whose size does not match', async () => {
    await expect(analyzer.analyze({ width: 10, height: 10, data: new Uint8Array(5) })).rejects.toThrow(/expected 10x10x3/);
  });

  it('encodes a JPEG, downscaled', async () => {
    const jpeg = await analyzer.encodeJpeg(decode([img('astronaut')]), 80, 256);
    expect([...jpeg.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    const probe = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', '-'], { input: jpeg });
    expect(probe.toString().trim()).toBe('256,256');
  });
});

describe.skipIf(!existsSync(img('astronaut')))('a dead analyzer', () => {
  it('rejects the pending and later calls when the worker dies', async () => {
    const analyzer = await createHumanAnalyzer({ embedding: false, antispoof: false });
    const pending = analyzer.analyze(decode([img('astronaut')]));
    await analyzer.worker.terminate();
    await expect(pending).rejects.toMatchObject({ code: 'crashed' });
    await expect(analyzer.analyze(decode([img('coffee')]))).rejects.toThrow(/exited/);
    await analyzer.close();
  });

  it('rejects calls after close', async () => {
    const analyzer = await createHumanAnalyzer({ embedding: false, antispoof: false });
    await analyzer.close();
    const err = await analyzer.analyze(decode([img('coffee')])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AnalyzerError);
    expect(err).toMatchObject({ code: 'closed' });
  });
});
