/** A kit child process for the webhook crash suite and benchmark: `server/main.ts` with the given environment. */
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { freePort } from "./ports.js";
export { freePort };

const ROOT = path.resolve(import.meta.dirname, "../..");

export interface KitProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** Everything the process printed, for a failing test's message. */
  readonly output: () => string;
  /** Resolves with the exit code or signal once the process has exited. */
  readonly exited: Promise<string>;
  /** Sends `signal` and waits for the exit. */
  kill(signal: NodeJS.Signals): Promise<string>;
}

/**
 * The real kit, `server/main.ts` in a process of its own (`node --import tsx`, so the signal
 * reaches the server itself, not a wrapper), with `env` on top of the test's environment.
 * Resolves once `/healthz` answers. Needs the build outputs (`npm run build`).
 */
export async function startKitProcess(env: Record<string, string>, options: { timeoutMs?: number; nodeArgs?: string[] } = {}): Promise<KitProcess> {
  const port = env.PORT ?? String(await freePort());
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), "--import", "tsx", path.join(ROOT, "server/main.ts")], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: "test", HOST: "127.0.0.1", VERIFIER_WORKER: "false", ...env, PORT: port },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
  const exited = new Promise<string>((resolve) => child.once("exit", (code, signal) => resolve(signal ?? String(code))));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let gone = false;
  void exited.then(() => (gone = true));
  for (;;) {
    if (gone) throw new Error(`the kit exited before it answered:\n${output}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the kit did not answer /healthz in time:\n${output}`);
    }
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    url,
    output: () => output,
    exited,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
