import { AutoSubscribe, defineAgent, type JobContext, type JobProcess } from "@livekit/agents";
import { VerifierJob } from "../../shared/verifier-job.js";
import { createHumanAnalyzer, type FaceAnalyzer } from "./analyzer/index.js";
import { HttpReporter } from "./reporter.js";
import { VerificationSession } from "./session.js";

type ProcessData = { analyzer?: FaceAnalyzer; loadMs?: number };

/**
 * The verifier as a LiveKit Agents job. Each job process loads the face
 * analyser once in prewarm (before any job arrives), then runs one
 * verification in the room it was dispatched to.
 */
export default defineAgent<ProcessData>({
  prewarm: async (proc: JobProcess<ProcessData>) => {
    const started = performance.now();
    proc.userData.analyzer = await createHumanAnalyzer();
    proc.userData.loadMs = Math.round(performance.now() - started);
  },
  entry: async (ctx: JobContext<ProcessData>) => {
    const job = VerifierJob.parse(JSON.parse(ctx.job.metadata));
    const analyzer = ctx.proc.userData.analyzer ?? (await createHumanAnalyzer());
    const reporter = new HttpReporter(job.reportUrl, job.reportToken);
    await ctx.connect(undefined, AutoSubscribe.VIDEO_ONLY);
    try {
      await new VerificationSession(ctx.room, job, analyzer, reporter).run();
    } finally {
      await analyzer.close().catch(() => {});
      ctx.shutdown("verdict reported");
    }
  },
});
