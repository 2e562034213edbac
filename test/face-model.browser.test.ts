/**
 * End-to-end check of the patched face model in MediaPipe Tasks (tasks-vision
 * FaceDetector, CPU delegate) inside headless Chromium. Everything is served
 * from a loopback HTTP server; no other network access is needed.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFaceModel, SOURCE_MODEL } from '../scripts/build-face-model.js';
import { launchChromium } from '../scripts/chromium.js';

const ROOT = resolve(import.meta.dirname, '..');
const TASKS_DIR = join(ROOT, 'node_modules/@mediapipe/tasks-vision');
const SKIMAGE_DATA = '/usr/lib/python3/dist-packages/skimage/data';
const TIMEOUT = 60_000;

const MIME: Record<string, string> = {
  '.html': 'text/html',
  '.mjs': 'text/javascript',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.tflite': 'application/octet-stream',
};

interface FaceResult {
  ms: number[];
  detections: {
    score: number;
    box: { originX: number; originY: number; width: number; height: number };
    keypoints: number;
  }[];
}

/**
 * In-page harness, served as a plain module script: vitest rewrites `import()`
 * inside functions passed to page.evaluate (to `__vite_ssr_dynamic_import__`),
 * so the browser-side code must not go through the test transform.
 */
const PAGE_HTML = `<!doctype html><title>face</title><script type="module">
import { FilesetResolver, FaceDetector } from '/vision_bundle.mjs';
window.detectFaces = async (model, images) => {
  const fileset = await FilesetResolver.forVisionTasks('/wasm');
  const detector = await FaceDetector.createFromOptions(fileset, {
    baseOptions: { modelAssetPath: model, delegate: 'CPU' },
    runningMode: 'IMAGE',
  });
  const out = {};
  for (const src of images) {
    const img = new Image();
    img.src = src;
    await img.decode();
    const ms = [];
    let result;
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      result = detector.detect(img);
      ms.push(performance.now() - t0);
    }
    out[src] = {
      ms,
      detections: result.detections.map((d) => ({
        score: d.categories[0].score,
        box: d.boundingBox,
        keypoints: d.keypoints.length,
      })),
    };
  }
  detector.close();
  return out;
};
window.harnessReady = true;
</script>`;

/** Creates a FaceDetector for `model` in the page and runs it on `images`. */
function detectInPage(page: Page, model: string, images: string[]): Promise<Record<string, FaceResult>> {
  return page.evaluate(
    ([m, i]) => (window as unknown as { detectFaces(model: string, images: string[]): Promise<Record<string, FaceResult>> }).detectFaces(m, i),
    [model, images] as const,
  );
}

describe('patched face model in MediaPipe Tasks (headless Chromium)', () => {
  let server: Server;
  let browser: Browser;
  let context: BrowserContext;
  let origin: string;

  beforeAll(async () => {
    const model = buildFaceModel().path;
    const files: Record<string, string> = {
      '/vision_bundle.mjs': join(TASKS_DIR, 'vision_bundle.mjs'),
      '/model.tflite': model,
      '/legacy.tflite': SOURCE_MODEL,
      '/astronaut.png': join(SKIMAGE_DATA, 'astronaut.png'),
      '/coffee.png': join(SKIMAGE_DATA, 'coffee.png'),
    };
    server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const file = path.startsWith('/wasm/') ? join(TASKS_DIR, 'wasm', path.slice(6).replace(/[/\\]/g, '')) : files[path];
      if (path === '/') {
        res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE_HTML);
        return;
      }
      try {
        const body = readFileSync(file ?? '');
        res.writeHead(200, { 'content-type': MIME[extname(file!)] ?? 'application/octet-stream' }).end(body);
      } catch {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    browser = await launchChromium();
    context = await browser.newContext();
  }, TIMEOUT);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await new Promise((ok) => (server ? server.close(ok) : ok(undefined)));
  }, TIMEOUT);

  async function openPage(): Promise<Page> {
    const page = await context.newPage();
    // Fail fast on anything that is not loopback (there should be nothing).
    await page.route(/^(?!http:\/\/127\.0\.0\.1:)/, (route) => route.abort());
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => 'harnessReady' in window);
    return page;
  }

  it(
    'finds exactly one face in astronaut.png and none in coffee.png',
    async () => {
      const page = await openPage();
      try {
        const results = await detectInPage(page, '/model.tflite', ['/astronaut.png', '/coffee.png']);
        const astronaut = results['/astronaut.png']!;
        console.log(
          `astronaut: ${JSON.stringify(astronaut.detections)} ` +
            `detect ms: ${astronaut.ms.map((m) => m.toFixed(1)).join(', ')}`,
        );
        expect(astronaut.detections).toHaveLength(1);
        const [face] = astronaut.detections;
        expect(face!.score).toBeGreaterThan(0.8);
        expect(face!.keypoints).toBe(6);
        expect(results['/coffee.png']!.detections).toHaveLength(0);
      } finally {
        await page.close();
      }
    },
    TIMEOUT,
  );

  it(
    'rejects the unpatched legacy model',
    async () => {
      const page = await openPage();
      try {
        await expect(detectInPage(page, '/legacy.tflite', [])).rejects.toThrow(/NormalizationOptions/);
      } finally {
        await page.close();
      }
    },
    TIMEOUT,
  );
});
