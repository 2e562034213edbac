import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { passThroughLines } from "../children/index.js";

/** Printed by the worker once it has registered with LiveKit and can take jobs. */
export const REGISTERED_LINE = "verifier worker registered:";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface SpawnedWorker {
  readonly child: ChildProcess;
  /** Resolves once the worker has registered with LiveKit; rejects if it exits first. */
  readonly ready: Promise<void>;
  /** Resolves once the process has exited. */
  readonly exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** How long a stopping worker may take to close its job processes before they are all killed. */
const STOP_GRACE_MS = 5_000;

/** SIGKILLs every process still in the worker's process group; quiet when none is left. */
function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // ESRCH: the group is already gone.
  }
}

/**
 * Starts a verifier worker as its own process (`tsx server/verifier/main.ts`),
 * so model loading and inference never share the kit's event loop. Its output
 * is prefixed and passed through. The worker leads a process group of its own,
 * with the job processes LiveKit Agents forks for it, so stopping it leaves
 * none of them behind: an idle process still loading its models does not
 * answer a shutdown request and would otherwise outlive a killed worker. A
 * kit that dies without stopping it (SIGKILL) closes its standard input, and
 * the worker then kills its group (`--exit-with-parent`).
 */
export function spawnVerifierWorker(
  livekit: { url: string; apiKey: string; apiSecret: string },
  env: Record<string, string> = {},
): SpawnedWorker {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "server/verifier/main.ts"), "--exit-with-parent"], {
    cwd: ROOT,
    env: {
      ...process.env,
      LIVEKIT_URL: livekit.url,
      LIVEKIT_API_KEY: livekit.apiKey,
      LIVEKIT_API_SECRET: livekit.apiSecret,
      // @livekit/rtc-node logs every connect at debug level unless NODE_ENV is production; the
      // worker reads no other setting from it (the Agents server's mode is set explicitly).
      NODE_ENV: "production",
      ...env,
    },
    // Its standard input closes when the kit exits, even when the kit is killed: the worker then goes too.
    stdio: ["pipe", "pipe", "pipe"],
    detached: true,
  });
  // If the kit itself exits without stopping the worker (an uncaught error), the group goes with it.
  const onKitExit = () => killGroup(child.pid);
  process.once("exit", onKitExit);
  let registered: () => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    registered = resolve;
    child.once("exit", (code) => reject(new Error(`the verifier worker exited (code ${code}) before it registered with LiveKit`)));
  });
  ready.catch(() => {});
  // The registration line comes from our own worker entry; the rest is passed through.
  passThroughLines(child, "verifier", { onLine: (line) => line.includes(REGISTERED_LINE) && registered() });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    ready,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timeout = setTimeout(() => killGroup(child.pid), STOP_GRACE_MS);
        await exited;
        clearTimeout(timeout);
      }
      // Job processes the worker did not get to close in time (or that outlived a worker that crashed).
      killGroup(child.pid);
      process.removeListener("exit", onKitExit);
    },
  };
}
