import { fileURLToPath } from "node:url";
import { AgentServer, InferenceRunner, initializeLogger, ServerOptions, WorkerPermissions } from "@livekit/agents";
import { WorkerJob } from "../../shared/monitor-job.js";
import { reportsTo, verifiedJobMetadata } from "../livekit/job-signature.js";
import { REGISTERED_LINE } from "./spawn.js";

export interface VerifierWorkerSettings {
  /** LiveKit server (or cluster) URL the worker registers with. */
  url: string;
  apiKey: string;
  apiSecret: string;
  agentName: string;
  /** Job processes kept loaded and waiting, so a verification starts without loading models. */
  idleProcesses: number;
  /** Verifications one worker runs at once; beyond it the worker reports itself full and LiveKit picks another. */
  maxJobs: number;
  logLevel?: string;
  /** The kit's origin (KIT_INTERNAL_URL): a job whose report URL points elsewhere is refused. */
  reportOrigin?: string;
}

/**
 * Starts a verifier worker: registers with LiveKit under `agentName` for
 * explicit dispatch, and accepts each job as a hidden participant named
 * after the challenge. More workers on more machines add capacity.
 */
export async function startVerifierWorker(settings: VerifierWorkerSettings): Promise<AgentServer> {
  initializeLogger({ pretty: false, level: settings.logLevel ?? "warn" });
  skipAudioTurnModel();
  const server = new AgentServer(
    new ServerOptions({
      agent: fileURLToPath(new URL("./agent.ts", import.meta.url)),
      agentName: settings.agentName,
      wsURL: settings.url,
      apiKey: settings.apiKey,
      apiSecret: settings.apiSecret,
      production: false,
      numIdleProcesses: settings.idleProcesses,
      // Prewarm loads four models and runs a warm-up inference: 2-4 s idle, far more on a busy machine, and a
      // process that misses the deadline is killed and replaced, so a short one starves the worker of processes.
      initializeProcessTimeout: 60_000,
      // Capacity is counted in verifications, not CPU: LiveKit treats a worker at load 1 as full, and a busy
      // machine's CPU reading would refuse jobs the worker could still take at a lower frame rate.
      // A monitor samples 2 frames a second against a verification's 10-15, so it weighs a quarter.
      loadFunc: async (worker) =>
        Math.min(1, worker.activeJobs.reduce((sum, j) => sum + (j.job.metadata.includes('"kind":"monitor"') ? 0.25 : 1), 0) / settings.maxJobs),
      loadThreshold: 1,
      logLevel: settings.logLevel ?? "warn",
      // Hidden, subscribe-only, and the only participant allowed to publish data in a verification room.
      permissions: new WorkerPermissions(false, true, true, false, [], true),
      requestFunc: async (request) => {
        // Only jobs the kit signed, reporting to the kit: a dispatch from anyone else is refused unread.
        const job = WorkerJob.safeParse(verifiedJobMetadata(request.job.metadata, settings.apiSecret));
        if (!job.success) return request.reject();
        if (settings.reportOrigin && !reportsTo(job.data.reportUrl, settings.reportOrigin)) return request.reject();
        if (job.data.kind === "monitor") await request.accept("monitor", `monitor-${job.data.monitorId}`);
        else await request.accept("verifier", `verifier-${job.data.challengeId}`);
      },
    }),
  );
  server.event.on("worker_registered", (workerId: string) => console.log(`${REGISTERED_LINE} ${workerId}`));
  void server.run();
  return server;
}


/**
 * Agents 1.9 starts an extra inference process for its audio end-of-turn
 * model whenever the native binding is present; a video verifier never uses
 * it, and it costs a core while loading. The worker registers the model only
 * if no runner holds its name, and starts the process only if some runner is
 * enumerable: a non-enumerable placeholder satisfies both.
 */
function skipAudioTurnModel(): void {
  const EOT_METHOD = "lk_eot_audio";
  if (!(EOT_METHOD in InferenceRunner.registeredRunners)) {
    Object.defineProperty(InferenceRunner.registeredRunners, EOT_METHOD, { value: "unused by the verifier", enumerable: false });
  }
}
