import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { passThroughLines } from "../children/output.js";

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

/**
 * Starts a verifier worker as its own process (`tsx server/verifier/main.ts`),
 * so model loading and inference never share the kit's event loop. Its output
 * is prefixed and passed through.
 */
export function spawnVerifierWorker(
  livekit: { url: string; apiKey: string; apiSecret: string },
  env: Record<string, string> = {},
): SpawnedWorker {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "server/verifier/main.ts")], {
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
    stdio: ["ignore", "pipe", "pipe"],
  });
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
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timeout = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timeout);
    },
  };
}
