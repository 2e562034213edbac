import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import type { Hono } from "hono";
import { RoomServiceClient } from "livekit-server-sdk";
import { type LiveKitSettings, toHttp } from "../../server/livekit/index.js";
import { type SpawnedWorker, spawnVerifierWorker } from "../../server/verifier/spawn.js";
import { client, testApp } from "./app.js";
import { sharedLiveKit, startTestLiveKit } from "./livekit.js";

export interface RunningKit {
  url: string;
  livekit: { settings: LiveKitSettings };
  /** The suite's own verifier worker process, in an isolated kit that runs one. */
  worker: SpawnedWorker | undefined;
  app: ReturnType<typeof testApp>;
  api: ReturnType<typeof client>;
  /** Deletes the rooms of this kit's interviews so far: their monitors end (a suite's tests that leave candidates in rooms call it between tests). */
  closeRooms(): Promise<void>;
  stop(): Promise<void>;
}

export interface KitOptions {
  maxAttempts?: number;
  maxSessions?: number;
  now?: () => Date;
  allowFakeCamera?: boolean;
  /** Origins allowed to embed the candidate and interviewer pages (EMBED_ALLOWED_ORIGINS). */
  embedAllowedOrigins?: string[];
  /** The monitor's limits (ms), shorter than production's where a suite waits on them. */
  monitor?: Partial<{ noVideoMs: number; absentMs: number; mismatchMs: number }>;
  /**
   * `undefined` (default): the run's shared livekit-server and verifier worker.
   * `{ portBase, worker }`: a livekit-server of the suite's own on `portBase`, with
   * its own worker (which the suite may kill) or with none.
   */
  isolated?: { portBase: number; worker: boolean; /** LiveKit sends the kit no webhooks (a lost-webhook case). */ noWebhooks?: boolean };
  /** LiveKit started by the suite itself (e.g. a cluster node), given the kit's webhook URL; overrides `isolated`. */
  livekit?: (webhookUrl: string) => Promise<{ settings: LiveKitSettings; stop(): Promise<void> }>;
}

/**
 * The kit on a real HTTP port with a real livekit-server whose webhooks reach
 * it. The port is bound first so the webhook URL can name it.
 */
export async function startKit(options: KitOptions = {}): Promise<RunningKit> {
  let app: Hono | undefined;
  const server: ServerType = serve({
    fetch: (req, env) => (app ? app.fetch(req, env) : new Response("starting", { status: 503 })),
    port: 0,
    hostname: "127.0.0.1",
  });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const webhookUrl = `${url}/webhooks/livekit`;
  let own: { settings: LiveKitSettings; stop(): Promise<void> } | undefined;
  let worker: SpawnedWorker | undefined;
  let settings: LiveKitSettings;
  if (options.livekit) {
    own = await options.livekit(webhookUrl);
    settings = own.settings;
  } else if (options.isolated) {
    own = await startTestLiveKit(options.isolated.portBase, options.isolated.noWebhooks ? undefined : webhookUrl);
    settings = own.settings;
    if (options.isolated.worker) {
      worker = spawnVerifierWorker(settings, { VERIFIER_IDLE_PROCESSES: "1" });
      await worker.ready;
    }
  } else {
    settings = await sharedLiveKit(webhookUrl);
  }
  const { livekit: _startLiveKit, ...appOptions } = options;
  const built = testApp({ livekit: settings, publicUrl: url, internalUrl: url, ...appOptions });
  app = built.app as unknown as Hono;
  // As server/main.ts does: silent monitors are replaced (every 2 s here, 5 s there).
  const sweeper = setInterval(() => void built.monitor.sweep().catch((err) => console.warn("monitor sweep failed:", err)), 2_000);
  return {
    url,
    livekit: { settings },
    worker,
    app: built,
    api: client(built.app),
    closeRooms: () => closeRooms(settings, built.store),
    async stop() {
      clearInterval(sweeper);
      // On the run's shared server, a suite's rooms would outlive it, and with them its monitors, which hold
      // places on the shared worker that later suites' monitors need.
      if (!own) await closeRooms(settings, built.store).catch((err) => console.warn("could not close the suite's rooms:", err));
      await worker?.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await own?.stop();
      await built.store.close();
    },
  };
}

/** Deletes the interview rooms of every interview in the store: their monitor jobs end with them. */
async function closeRooms(settings: LiveKitSettings, store: ReturnType<typeof testApp>["store"]): Promise<void> {
  const rooms = new RoomServiceClient(toHttp(settings.url), settings.apiKey, settings.apiSecret);
  const open = new Set((await rooms.listRooms()).map((r) => r.name));
  for (let offset = 0; ; offset += 500) {
    const page = await store.listInterviews(500, offset);
    for (const interview of page) if (open.has(interview.room)) await rooms.deleteRoom(interview.room);
    if (page.length < 500) return;
  }
}
