import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { passThroughLines } from "../children/index.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** Waits before a dispatcher that exited on its own is started again. */
const RESTART_MS = 1000;

export interface SpawnedDispatcher {
  /** The running dispatcher process (a new one after a restart). */
  readonly child: () => ChildProcess;
  /** Stops it (SIGTERM: the batch under way finishes) and does not restart it. */
  stop(): Promise<void>;
}

/**
 * Runs the webhook dispatcher as a process of its own (`tsx server/webhooks-out/main.ts`) with
 * the kit's environment, so signing and sending deliveries never take the API's event loop. It
 * exits with the kit, even a killed one (its standard input closes); one that stops on its own is
 * started again after a second, with a line on stderr, since deliveries must not stop silently.
 */
export function spawnDispatcher(env: NodeJS.ProcessEnv = process.env): SpawnedDispatcher {
  let stopping = false;
  let current: ChildProcess;
  const start = () => {
    current = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "server/webhooks-out/main.ts"), "--exit-with-parent"], {
      cwd: ROOT,
      env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    passThroughLines(current, "webhooks");
    current.once("exit", (code, signal) => {
      if (stopping) return;
      console.error(`Webhook dispatcher exited (${signal ?? `code ${code}`}); starting it again`);
      setTimeout(() => !stopping && start(), RESTART_MS).unref();
    });
  };
  start();
  return {
    child: () => current,
    async stop() {
      stopping = true;
      if (current.exitCode !== null || current.signalCode !== null) return;
      const exited = new Promise((resolve) => current.once("exit", resolve));
      current.kill("SIGTERM");
      const timer = setTimeout(() => current.kill("SIGKILL"), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
