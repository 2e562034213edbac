/**
 * Start-up: read the config once, make sure the build outputs and a LiveKit
 * server exist, then serve. `npm start` runs this.
 */
import fs from "node:fs";
import path from "node:path";
import { serve } from "@hono/node-server";
import { createApp } from "./app.js";
import { ConfigError, loadConfig, type Config } from "./config/index.js";
import { installLiveKit, LiveKitRooms, LocalLiveKit } from "./livekit/index.js";
import { checkAssets } from "./pages/index.js";
import { newSecret } from "./security/index.js";
import { openGeoLookup } from "./geo/index.js";
import { openStore } from "./store/index.js";
import { spawnVerifierWorker, type SpawnedWorker } from "./verifier/spawn.js";

/** Reads the generated API key from the data folder, creating it on first start. */
function ensureApiKey(config: Config): { keys: string[]; generated?: string } {
  if (config.apiKeys.length > 0) return { keys: config.apiKeys };
  const file = path.join(config.dataDir, "api-key");
  fs.mkdirSync(config.dataDir, { recursive: true });
  if (!fs.existsSync(file)) fs.writeFileSync(file, `vk_${newSecret()}\n`, { mode: 0o600 });
  const key = fs.readFileSync(file, "utf8").trim();
  return { keys: [key], generated: key };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Configuration error: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  const assets = { clientDir: path.resolve("dist/client"), publicDir: path.resolve("build/public"), faceModelPath: path.resolve(config.faceModelPath) };
  const problems = checkAssets(assets);
  if (problems.length) {
    for (const p of problems) console.error(`Missing build output: ${p}`);
    process.exit(2);
  }
  const apiKey = ensureApiKey(config);
  let stopping = false;

  let local: LocalLiveKit | undefined;
  let livekit = config.livekit;
  if (!livekit) {
    const binary = await installLiveKit(".tools");
    local = await LocalLiveKit.start({
      binary,
      workDir: path.join(config.dataDir, "livekit"),
      webhookUrl: `http://127.0.0.1:${config.port}/webhooks/livekit`,
    });
    livekit = local.settings;
    console.log(`Local livekit-server ${livekit.url} (stops with the kit)`);
  }

  let worker: SpawnedWorker | undefined;
  if (config.startVerifierWorker) {
    worker = spawnVerifierWorker(livekit);
    console.log("Verifier worker started (stops with the kit)");
    void worker.exited.then((code) => {
      if (!stopping) console.error(`Verifier worker exited (code ${code}); candidates cannot be verified until it runs again`);
    });
  }

  const store = openStore(config.databaseUrl);
  const geo = openGeoLookup(config.geo);
  const { app } = createApp({
    config: { ...config, apiKeys: apiKey.keys },
    geo,
    store,
    rooms: new LiveKitRooms(livekit),
    assets,
  });
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => {
    console.log(`Interview verification kit listening on ${config.publicUrl}`);
    console.log(`Dashboard: ${config.publicUrl}/`);
    if (apiKey.generated) {
      console.log(`API key (generated, stored in ${path.join(config.dataDir, "api-key")}): ${apiKey.generated}`);
    }
  });

  // Liveness snapshots are personal data: keep them only as long as configured.
  const purge = async () => {
    const before = new Date(Date.now() - config.snapshotRetentionDays * 86_400_000).toISOString();
    const removed = await store.purgeSnapshots(before);
    if (removed) console.log(`Removed ${removed} liveness snapshots older than ${config.snapshotRetentionDays} days`);
  };
  await purge();
  const purgeTimer = setInterval(() => void purge().catch((err) => console.error("snapshot purge failed:", err)), 3600_000);
  purgeTimer.unref();

  const stop = async () => {
    if (stopping) return;
    stopping = true;
    server.close();
    await worker?.stop();
    await local?.stop();
    await store.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
