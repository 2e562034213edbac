/** A kit process for the server benchmark: spawned with `tsx server/main.ts`, seeded through its API. */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");
export const BENCH_KEY = "bench_key_0123456789abcdef0123456789";

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export interface BenchKit {
  url: string;
  databaseUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts the kit as its own process (its own event loop, like production) on the embedded
 * livekit-server, without a verifier worker, with rate limits out of the way.
 */
export async function startBenchKit(databaseUrl?: string): Promise<BenchKit> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-server-"));
  const port = await freePort();
  const db = databaseUrl ?? path.join(dataDir, "kit.db");
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      DATA_DIR: dataDir,
      DATABASE_URL: db,
      API_KEYS: BENCH_KEY,
      VERIFIER_WORKER: "false",
      RATE_LIMIT_PER_IP_PER_MINUTE: "1000000",
      RATE_LIMIT_PER_LINK_PER_MINUTE: "1000000",
      MAX_EVENTS_PER_INTERVIEW: "1000000",
      LIVEKIT_LOG_LEVEL: "error",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout!.on("data", (d: Buffer) => (log += d));
  child.stderr!.on("data", (d: Buffer) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`kit exited (${child.exitCode}):\n${log}`);
    if (Date.now() > deadline) throw new Error(`kit did not answer /healthz within 120 s:\n${log}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    databaseUrl: db,
    async stop() {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) child.kill("SIGKILL");
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const auth = { authorization: `Bearer ${BENCH_KEY}`, "content-type": "application/json" };
export const CREATE_BODY = JSON.stringify({ candidate: { name: "Bench Candidate", email: "bench@example.com" } });

/** Creates `n` interviews through the API, `parallel` at a time; returns their candidate link tokens. */
export async function createInterviews(url: string, n: number, parallel = 32): Promise<string[]> {
  const tokens: string[] = [];
  let next = 0;
  const work = async () => {
    while (next < n) {
      next++;
      const res = await fetch(`${url}/v1/interviews`, { method: "POST", headers: auth, body: CREATE_BODY });
      if (res.status !== 201) throw new Error(`create answered ${res.status}: ${await res.text()}`);
      const json = (await res.json()) as { candidateUrl: string };
      tokens.push(json.candidateUrl.split("/c/")[1]!);
    }
  };
  await Promise.all(Array.from({ length: parallel }, work));
  return tokens;
}

/** Opens a candidate session on each link; returns the session keys in the same order. */
export async function openSessions(url: string, tokens: string[]): Promise<string[]> {
  const keys: string[] = [];
  for (const token of tokens) {
    const res = await fetch(`${url}/v1/candidate/${token}/session`, { method: "POST" });
    if (res.status !== 201) throw new Error(`session answered ${res.status}: ${await res.text()}`);
    keys.push(((await res.json()) as { sessionKey: string }).sessionKey);
  }
  return keys;
}
