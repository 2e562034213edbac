import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { inject } from "vitest";
import { TEST_API_KEY } from "./app.js";
import { type KitProcess as KitChild, freePort, startKitProcess } from "./kit-child.js";
export { freePort };

/** The kit as a real process (`server/main.ts`) on the run's shared livekit-server, as production runs it. */
export interface KitProcess extends KitChild {
  /** SIGTERM (a clean stop) or SIGKILL (a crash), then waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts `server/main.ts` (needs `npm run build`) on a free loopback port with the run's shared
 * livekit-server, no verifier worker of its own and `TEST_API_KEY`; resolves once /healthz answers.
 * `env` adds or overrides settings (DATABASE_URL, rate limits...).
 */
export async function spawnKit(env: Record<string, string>, options: { port?: number; dataDir?: string } = {}): Promise<KitProcess> {
  const livekit = inject("livekit");
  const kit = await startKitProcess(
    {
      PORT: String(options.port ?? (await freePort())),
      DATA_DIR: options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "kit-proc-")),
      API_KEYS: TEST_API_KEY,
      LIVEKIT_URL: livekit.url,
      LIVEKIT_API_KEY: livekit.apiKey,
      LIVEKIT_API_SECRET: livekit.apiSecret,
      RATE_LIMIT_PER_IP_PER_MINUTE: "1000000",
      RATE_LIMIT_PER_LINK_PER_MINUTE: "1000000",
      // Loopback receivers are refused by the SSRF guard in production; suites send to one.
      WEBHOOK_ALLOW_PRIVATE_URLS: "true",
      ...env,
    },
    { timeoutMs: 90_000 },
  );
  return { ...kit, stop: async (signal = "SIGTERM") => void (await kit.kill(signal)) };
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
