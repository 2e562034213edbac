/** A kit process for the server benchmark: spawned with `tsx server/main.ts`, seeded through its API. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startKitProcess } from "../helpers/kit-child.js";

export const BENCH_KEY = "bench_key_0123456789abcdef0123456789";

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
  const db = databaseUrl ?? path.join(dataDir, "kit.db");
  const kit = await startKitProcess(
    {
      DATA_DIR: dataDir,
      DATABASE_URL: db,
      API_KEYS: BENCH_KEY,
      RATE_LIMIT_PER_IP_PER_MINUTE: "1000000",
      RATE_LIMIT_PER_LINK_PER_MINUTE: "1000000",
      MAX_EVENTS_PER_INTERVIEW: "1000000",
      LIVEKIT_LOG_LEVEL: "error",
    },
    { timeoutMs: 120_000 },
  );
  return {
    url: kit.url,
    databaseUrl: db,
    async stop() {
      await Promise.race([kit.kill("SIGTERM"), new Promise((r) => setTimeout(r, 10_000))]);
      await kit.kill("SIGKILL");
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
