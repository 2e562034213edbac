/** Kit processes for the server benchmark: spawned with `tsx server/main.ts`, seeded through their API. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { installLiveKit, LocalLiveKit } from "../../server/livekit/index.js";
import { freePort, startKitProcess } from "../helpers/kit-child.js";

export const BENCH_KEY = "bench_key_0123456789abcdef0123456789";

export interface BenchKit {
  /** The first process's URL (seeding goes there). */
  url: string;
  /** Every process's URL: the load is split across them, as a load balancer would. */
  urls: string[];
  databaseUrl: string;
  stop(): Promise<void>;
}

const BENCH_ENV = {
  API_KEYS: BENCH_KEY,
  RATE_LIMIT_PER_IP_PER_MINUTE: "1000000",
  RATE_LIMIT_PER_LINK_PER_MINUTE: "1000000",
  MAX_EVENTS_PER_INTERVIEW: "1000000",
  LIVEKIT_LOG_LEVEL: "error",
};

/**
 * Starts `processes` kit processes (each its own event loop, like production) on one database,
 * without a verifier worker, with rate limits out of the way. One process runs the embedded
 * livekit-server; with more, the benchmark runs one livekit-server that all of them use, and
 * they share one data folder (one completion-token key), as processes behind a load balancer do.
 */
export async function startBenchKit(databaseUrl?: string, processes = 1): Promise<BenchKit> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-server-"));
  const db = databaseUrl ?? path.join(dataDir, "kit.db");
  const ports = await Promise.all(Array.from({ length: processes }, () => freePort()));
  let livekit: LocalLiveKit | undefined;
  let shared: Record<string, string> = {};
  if (processes > 1) {
    livekit = await LocalLiveKit.start({
      binary: await installLiveKit(".tools"),
      workDir: path.join(dataDir, "livekit"),
      webhookUrl: `http://127.0.0.1:${ports[0]}/webhooks/livekit`,
    });
    const s = livekit.settings;
    shared = { LIVEKIT_URL: s.url, LIVEKIT_API_KEY: s.apiKey, LIVEKIT_API_SECRET: s.apiSecret };
  }
  const kits: Awaited<ReturnType<typeof startKitProcess>>[] = [];
  try {
    // One after another: the first creates the data folder's keys, the others read them.
    for (const port of ports) {
      kits.push(await startKitProcess({ ...BENCH_ENV, ...shared, DATA_DIR: dataDir, DATABASE_URL: db, PORT: String(port) }, { timeoutMs: 120_000 }));
    }
  } catch (err) {
    await Promise.all(kits.map((k) => k.kill("SIGKILL")));
    await livekit?.stop();
    throw err;
  }
  return {
    url: kits[0]!.url,
    urls: kits.map((k) => k.url),
    databaseUrl: db,
    async stop() {
      await Promise.all(
        kits.map(async (kit) => {
          await Promise.race([kit.kill("SIGTERM"), new Promise((r) => setTimeout(r, 10_000))]);
          await kit.kill("SIGKILL");
        }),
      );
      await livekit?.stop();
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
