import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { inject } from "vitest";
import { TEST_API_KEY } from "./app.js";
import { freePort } from "./ports.js";
export { freePort };

const ROOT = path.resolve(import.meta.dirname, "../..");

/** The kit as a real process (`server/main.ts`), as production runs it. */
export interface KitProcess {
  url: string;
  child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
  /** SIGTERM (a clean stop) or SIGKILL (a crash), then waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts `server/main.ts` (needs `npm run build`) on a free loopback port with the run's shared
 * livekit-server, no verifier worker of its own and `TEST_API_KEY`; resolves once /healthz answers.
 * `env` adds or overrides settings (DATABASE_URL, rate limits...).
 */
export async function spawnKit(env: Record<string, string>, options: { port?: number; dataDir?: string } = {}): Promise<KitProcess> {
  const port = options.port ?? (await freePort());
  const livekit = inject("livekit");
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "kit-proc-"));
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      API_KEYS: TEST_API_KEY,
      LIVEKIT_URL: livekit.url,
      LIVEKIT_API_KEY: livekit.apiKey,
      LIVEKIT_API_SECRET: livekit.apiSecret,
      VERIFIER_WORKER: "false",
      RATE_LIMIT_PER_IP_PER_MINUTE: "1000000",
      RATE_LIMIT_PER_LINK_PER_MINUTE: "1000000",
      // Loopback receivers are refused by the SSRF guard in production; suites send to one.
      WEBHOOK_ALLOW_PRIVATE_URLS: "true",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d));
  child.stderr!.on("data", (d: Buffer) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  let gone = false;
  void exited.then(() => (gone = true));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (gone) throw new Error(`the kit exited before answering:\n${out}`);
    const ok = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the kit did not answer /healthz within 90 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    child,
    output: () => out,
    exited,
    async stop(signal: NodeJS.Signals = "SIGTERM") {
      if (!gone) child.kill(signal);
      await exited;
    },
  };
}

/** Calls the kit's API with the test key. */
export function kitApi(url: string) {
  const auth = { authorization: `Bearer ${TEST_API_KEY}`, "content-type": "application/json" };
  return {
    auth,
    post: (p: string, body: unknown) => fetch(`${url}${p}`, { method: "POST", headers: auth, body: JSON.stringify(body) }),
    get: (p: string) => fetch(`${url}${p}`, { headers: auth }),
  };
}
