import { AutoSubscribe, defineAgent, type JobContext, type JobProcess } from "@livekit/agents";
import { type MonitorJob, WorkerJob } from "../../shared/monitor-job.js";
import type { VerifierJob } from "../../shared/verifier-job.js";
import { createHumanAnalyzer, type HumanAnalyzer } from "./analyzer/index.js";
import { HttpMonitorKit } from "./monitor/kit-client.js";
import { MonitorSession } from "./monitor/session.js";
import { HttpReporter } from "./reporter.js";
import { createTesseractReader } from "./document/tesseract-reader.js";
import { type DocumentReaders, VerificationSession } from "./session.js";

type ProcessData = { analyzer?: HumanAnalyzer };

/** Detector, mesh, description (the reference face and comparisons) and antispoof (a passive signal). */
const loadAnalyzer = () => createHumanAnalyzer({ embedding: true, antispoof: true });

/**
 * The verifier worker's jobs. Each job process loads the face analyser once
 * in prewarm (before any job arrives), then runs one verification in its
 * verification room, or monitors one interview room until the interview ends.
 */
export default defineAgent<ProcessData>({
  prewarm: async (proc: JobProcess<ProcessData>) => {
    const analyzer = await loadAnalyzer();
    // The first inference compiles the WASM kernels (1.6 s measured); pay it here, not on the candidate's first frame.
    await analyzer.analyze({ width: 320, height: 240, data: new Uint8Array(320 * 240 * 3).fill(128) });
    proc.userData.analyzer = analyzer;
  },
  entry: async (ctx: JobContext<ProcessData>) => {
    const job = WorkerJob.parse(JSON.parse(ctx.job.metadata));
    const analyzer = ctx.proc.userData.analyzer ?? (await loadAnalyzer());
    await ctx.connect(undefined, AutoSubscribe.VIDEO_ONLY);
    try {
      if (job.kind === "monitor") await monitor(ctx, job, analyzer);
      else await verify(ctx, job, analyzer);
    } finally {
      await analyzer.close().catch(() => {});
      ctx.shutdown(job.kind === "monitor" ? "interview over" : "verdict reported");
    }
  },
});

async function verify(ctx: JobContext<ProcessData>, job: VerifierJob, analyzer: HumanAnalyzer): Promise<void> {
  const stats = () => ({
    loadMs: Math.round(analyzer.stats.loadMs),
    ...(analyzer.stats.firstInferenceMs !== undefined ? { firstInferenceMs: Math.round(analyzer.stats.firstInferenceMs) } : {}),
  });
  await new VerificationSession(ctx.room, job, analyzer, new HttpReporter(job.reportUrl, job.reportToken), { documentReaders: loadDocumentReaders }, stats).run();
}

/** Tesseract's legacy engine reads the zone, its LSTM engine confirms the names; loaded only when a document step starts. */
async function loadDocumentReaders(): Promise<DocumentReaders> {
  const [ocr, secondOpinion] = await Promise.all([createTesseractReader("legacy"), createTesseractReader("lstm")]);
  return { ocr, secondOpinion };
}

async function monitor(ctx: JobContext<ProcessData>, job: MonitorJob, analyzer: HumanAnalyzer): Promise<void> {
  await new MonitorSession(ctx.room, job, analyzer, new HttpMonitorKit(job.reportUrl, job.reportToken)).run();
}
