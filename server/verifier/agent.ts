import { AutoSubscribe, defineAgent, type JobContext, type JobProcess } from "@livekit/agents";
import { VerifierJob } from "../../shared/verifier-job.js";
import { createHumanAnalyzer, type HumanAnalyzer } from "./analyzer/index.js";
import { HttpReporter } from "./reporter.js";
import { VerificationSession } from "./session.js";

type ProcessData = { analyzer?: HumanAnalyzer };

/**
 * The verifier as a LiveKit Agents job. Each job process loads the face
 * analyser once in prewarm (before any job arrives), then runs one
 * verification in the room it was dispatched to.
 */
export default defineAgent<ProcessData>({
  prewarm: async (proc: JobProcess<ProcessData>) => {
    const analyzer = await createHumanAnalyzer({ embedding: false, antispoof: false });
    // The first inference compiles the WASM kernels (1.6 s measured); pay it here, not on the candidate's first frame.
    await analyzer.analyze({ width: 320, height: 240, data: new Uint8Array(320 * 240 * 3).fill(128) });
    proc.userData.analyzer = analyzer;
  },
  entry: async (ctx: JobContext<ProcessData>) => {
    const job = VerifierJob.parse(JSON.parse(ctx.job.metadata));
    const analyzer = ctx.proc.userData.analyzer ?? (await createHumanAnalyzer({ embedding: false, antispoof: false }));
    const reporter = new HttpReporter(job.reportUrl, job.reportToken);
    await ctx.connect(undefined, AutoSubscribe.VIDEO_ONLY);
    try {
      const stats = () => ({
        loadMs: Math.round(analyzer.stats.loadMs),
        ...(analyzer.stats.firstInferenceMs !== undefined ? { firstInferenceMs: Math.round(analyzer.stats.firstInferenceMs) } : {}),
      });
      await new VerificationSession(ctx.room, job, analyzer, reporter, {}, stats).run();
    } finally {
      await analyzer.close().catch(() => {});
      ctx.shutdown("verdict reported");
    }
  },
});
