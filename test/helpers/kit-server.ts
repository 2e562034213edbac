import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import type { Hono } from "hono";
import type { LocalLiveKit } from "../../server/livekit/index.js";
import { type SpawnedWorker, spawnVerifierWorker } from "../../server/verifier/spawn.js";
import { client, testApp } from "./app.js";
import { startTestLiveKit } from "./livekit.js";

export interface RunningKit {
  url: string;
  livekit: LocalLiveKit;
  /** The verifier worker process (LiveKit Agents), when the suite runs one. */
  worker: SpawnedWorker | undefined;
  app: ReturnType<typeof testApp>;
  api: ReturnType<typeof client>;
  stop(): Promise<void>;
}

/**
 * The kit on a real HTTP port with a real livekit-server whose webhooks point
 * back at it. The port is bound first so LiveKit's config can name it.
 */
export async function startKit(
  portBase: number,
  options: { maxAttempts?: number; maxSessions?: number; now?: () => Date; verifier?: boolean; allowFakeCamera?: boolean } = {},
): Promise<RunningKit> {
  let app: Hono | undefined;
  const server: ServerType = serve({
    fetch: (req, env) => (app ? app.fetch(req, env) : new Response("starting", { status: 503 })),
    port: 0,
    hostname: "127.0.0.1",
  });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const livekit = await startTestLiveKit(portBase, `${url}/webhooks/livekit`);
  const built = testApp({ livekit: livekit.settings, publicUrl: url, internalUrl: url, ...options });
  app = built.app as unknown as Hono;
  const worker = options.verifier === false ? undefined : spawnVerifierWorker(livekit.settings, { VERIFIER_IDLE_PROCESSES: "1" });
  await worker?.ready;
  return {
    url,
    livekit,
    worker,
    app: built,
    api: client(built.app),
    async stop() {
      await worker?.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await livekit.stop();
      await built.store.close();
    },
  };
}
