import { Worker } from 'node:worker_threads';
import { type AnalyzeOptions, AnalyzerError, type FaceAnalyzer, type FrameAnalysis, type RgbFrame } from './face-analyzer.js';
import type { WorkerOptions, WorkerReply, WorkerRequest } from './human-worker.js';

/** Options for {@link createHumanAnalyzer}. */
export interface HumanAnalyzerOptions {
  /** Run the face mesh (needed for yaw/pitch/roll in degrees). Default true. */
  mesh?: boolean;
  /** Load the faceres description model so `analyze(..., { embedding: true })` works. Default true. */
  embedding?: boolean;
  /** Load the antispoof model so `analyze(..., { antispoof: true })` works. Default true. */
  antispoof?: boolean;
  /** Most faces reported per frame. Default 4. */
  maxFaces?: number;
  /** Detector confidence floor. Default 0.3. */
  minConfidence?: number;
  /** Model load timeout (ms). Default 60 000. */
  loadTimeoutMs?: number;
}

/** A {@link FaceAnalyzer} backed by @vladmandic/human in a worker thread. */
export interface HumanAnalyzer extends FaceAnalyzer {
  /** Model load time in the worker (ms) and the first analyze's inference time once known. */
  readonly stats: { loadMs: number; firstInferenceMs?: number };
  /** The worker thread, e.g. to watch its resource use; terminating it fails pending calls like a crash. */
  readonly worker: Worker;
}

interface Job {
  req: WorkerRequest;
  transfer: ArrayBuffer[];
  resolve: (v: FrameAnalysis | Uint8Array) => void;
  reject: (e: Error) => void;
}

/**
 * Starts a worker thread, loads human's models from disk (no network) and resolves once ready.
 * Requests are serialised: one in flight; at most one analyze waits, and a newer frame supersedes it
 * (the older promise rejects with code `superseded`). JPEG requests always queue.
 */
export async function createHumanAnalyzer(options: HumanAnalyzerOptions = {}): Promise<HumanAnalyzer> {
  const workerData: WorkerOptions = {
    mesh: options.mesh ?? true,
    embedding: options.embedding ?? true,
    antispoof: options.antispoof ?? true,
    maxFaces: options.maxFaces ?? 4,
    minConfidence: options.minConfidence ?? 0.3,
  };
  const worker = new Worker(new URL('./worker-bootstrap.mjs', import.meta.url), { workerData });
  const stats: { loadMs: number; firstInferenceMs?: number } = { loadMs: NaN };
  let dead: AnalyzerError | undefined;
  let inFlight: Job | undefined;
  const queue: Job[] = [];
  let nextId = 1;

  const failAll = (err: AnalyzerError) => {
    dead ??= err;
    for (const job of [inFlight, ...queue.splice(0)]) job?.reject(dead);
    inFlight = undefined;
  };

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new AnalyzerError('face analyzer: model load timed out', 'failed'));
      void worker.terminate();
    }, options.loadTimeoutMs ?? 60_000);
    const onReady = (msg: WorkerReply) => {
      if (!('type' in msg)) return;
      clearTimeout(timer);
      worker.off('message', onReady);
      if (msg.type === 'ready') {
        stats.loadMs = msg.loadMs;
        resolve();
      } else {
        reject(new AnalyzerError(`face analyzer failed to load: ${msg.message}`, 'failed'));
        void worker.terminate();
      }
    };
    worker.on('message', onReady);
    worker.once('error', (e) => {
      clearTimeout(timer);
      reject(new AnalyzerError(`face analyzer worker crashed while loading: ${e.message}`, 'crashed'));
    });
    worker.once('exit', (code) => {
      clearTimeout(timer);
      reject(new AnalyzerError(`face analyzer worker exited while loading (code ${code})`, 'crashed'));
    });
  });

  const pump = () => {
    if (inFlight || dead) return;
    const job = queue.shift();
    if (!job) return;
    inFlight = job;
    worker.postMessage(job.req, job.transfer);
  };

  worker.on('message', (msg: WorkerReply) => {
    if (!('id' in msg) || !inFlight || msg.id !== inFlight.req.id) return;
    const job = inFlight;
    inFlight = undefined;
    if (msg.ok) {
      if (job.req.type === 'analyze' && stats.firstInferenceMs === undefined) {
        stats.firstInferenceMs = (msg.result as FrameAnalysis).inferenceMs;
      }
      job.resolve(msg.result);
    } else {
      job.reject(new AnalyzerError(`face analyzer: ${msg.message}`, 'failed'));
    }
    pump();
  });
  worker.on('error', (e) => failAll(new AnalyzerError(`face analyzer worker crashed: ${e.message}`, 'crashed')));
  worker.on('exit', (code) => failAll(new AnalyzerError(`face analyzer worker exited (code ${code})`, 'crashed')));

  const submit = <T extends FrameAnalysis | Uint8Array>(req: WorkerRequest, transfer: ArrayBuffer[]) =>
    new Promise<T>((resolve, reject) => {
      if (dead) return reject(dead);
      if (req.type === 'analyze') {
        const i = queue.findIndex((j) => j.req.type === 'analyze');
        if (i >= 0) queue.splice(i, 1)[0]?.reject(new AnalyzerError('face analyzer: frame superseded by a newer one', 'superseded'));
      }
      queue.push({ req, transfer, resolve: resolve as Job['resolve'], reject });
      pump();
    });

  return {
    stats,
    worker,
    analyze(frame: RgbFrame, opts: AnalyzeOptions = {}) {
      // Transfer only a buffer the frame owns whole; a view into a shared pool is copied instead.
      const own = frame.data.byteOffset === 0 && frame.data.byteLength === frame.data.buffer.byteLength
        && frame.data.buffer instanceof ArrayBuffer;
      const data = own ? frame.data : frame.data.slice();
      const req: WorkerRequest = {
        id: nextId++, type: 'analyze', width: frame.width, height: frame.height, data,
        embedding: !!opts.embedding, antispoof: !!opts.antispoof, detectOnly: !!opts.detectOnly,
      };
      return submit<FrameAnalysis>(req, [data.buffer as ArrayBuffer]);
    },
    async encodeJpeg(frame: RgbFrame, quality = 80, maxWidth = 0) {
      const req: WorkerRequest = {
        id: nextId++, type: 'jpeg', width: frame.width, height: frame.height, data: frame.data, quality, maxWidth,
      };
      const bytes = await submit<Uint8Array>(req, []);
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
    async close() {
      if (!dead) failAll(new AnalyzerError('face analyzer closed', 'closed'));
      await worker.terminate();
    },
  };
}
