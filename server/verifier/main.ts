import { z } from "zod";
import { whenParentGone } from "../children/index.js";
import { VERIFIER_AGENT_NAME } from "../livekit/index.js";
import { startVerifierWorker } from "./worker.js";

/**
 * Entry point of a verifier worker process: `tsx server/verifier/main.ts`.
 * The kit starts one beside itself (with `--exit-with-parent`); at scale,
 * start more on other machines with the same LiveKit settings.
 */
const Env = z.object({
  LIVEKIT_URL: z.url({ message: "LIVEKIT_URL must be the LiveKit server's ws(s):// URL" }),
  LIVEKIT_API_KEY: z.string().min(1, "LIVEKIT_API_KEY is required"),
  LIVEKIT_API_SECRET: z.string().min(1, "LIVEKIT_API_SECRET is required"),
  VERIFIER_IDLE_PROCESSES: z.coerce.number().int().min(0).max(32).default(2),
  VERIFIER_MAX_JOBS: z.coerce.number().int().min(1).max(64).default(4),
  VERIFIER_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace"]).default("error"),
  /** The kit's internal URL: jobs may report only to its origin. The kit passes it to the worker it starts. */
  KIT_INTERNAL_URL: z.url().optional(),
});

const parsed = Env.safeParse(process.env);
if (!parsed.success) {
  const issue = parsed.error.issues[0]!;
  console.error(`verifier: ${String(issue.path[0] ?? "environment")}: ${issue.message}`);
  process.exit(2);
}
const env = parsed.data;
const server = await startVerifierWorker({
  url: env.LIVEKIT_URL,
  apiKey: env.LIVEKIT_API_KEY,
  apiSecret: env.LIVEKIT_API_SECRET,
  agentName: VERIFIER_AGENT_NAME,
  idleProcesses: env.VERIFIER_IDLE_PROCESSES,
  maxJobs: env.VERIFIER_MAX_JOBS,
  logLevel: env.VERIFIER_LOG_LEVEL,
  ...(env.KIT_INTERNAL_URL ? { reportOrigin: env.KIT_INTERNAL_URL } : {}),
});
const stop = async () => {
  await server.close().catch(() => {});
  process.exit(0);
};
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
// Started by the kit as the leader of its own process group: when the kit is gone, take the job processes down with us at once.
whenParentGone(() => {
  try {
    process.kill(-process.pid, "SIGKILL");
  } catch {
    process.exit(0);
  }
});
