/**
 * Start-up: read the config once, make sure the build outputs and a LiveKit
 * server exist, then serve. `npm start` runs this.
 */
import { loadDocumentHashKey } from "./documents/index.js";
import path from "node:path";
import { serve } from "@hono/node-server";
import { createApp } from "./app.js";
import { ensureApiKey, ensureDataDir, loadConfigOrExit } from "./config/index.js";
import { SigningKeys } from "./embed/index.js";
import { installLiveKit, LiveKitRooms, LocalLiveKit } from "./livekit/index.js";
import { checkAssets } from "./pages/index.js";
import { openGeoLookup } from "./geo/index.js";
import { openStore, type Store } from "./store/index.js";
import { spawnVerifierWorker, type SpawnedWorker } from "./verifier/spawn.js";
import { spawnDispatcher } from "./webhooks-out/spawn.js";

/** How often the retention purge runs; the slack lets a timer that fires a little early still take its slot. */
const PURGE_EVERY_MS = 3600_000;
const PURGE_SLACK_MS = 60_000;
/** How often silent monitors are looked for: a lost one is replaced within its silence limit plus this. */
const MONITOR_SWEEP_EVERY_MS = 5_000;

async function main(): Promise<void> {
  const config = loadConfigOrExit(process.env);
  const assets = { clientDir: path.resolve("dist/client"), publicDir: path.resolve("build/public"), faceModelPath: path.resolve(config.faceModelPath) };
  const problems = checkAssets(assets);
  if (problems.length) {
    for (const p of problems) console.error(`Missing build output: ${p}`);
    process.exit(2);
  }
  ensureDataDir(config.dataDir);
  const apiKey = ensureApiKey(config.dataDir, config.apiKeys);
  // The widget's completion-token key: created on the first start, so the JWKS is stable from then on.
  const signingKeys = SigningKeys.inDataDir(config.dataDir);
  const signingKey = await signingKeys.active();
  let stopping = false;

  // Opened first: a database that cannot be reached (or migrated) stops the kit before anything else starts.
  let store: Store;
  try {
    store = await openStore(config.databaseUrl, { synchronous: config.sqliteSynchronous });
  } catch (err) {
    console.error(`DATABASE_URL: cannot open the database: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  }

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
    worker = spawnVerifierWorker(livekit, { KIT_INTERNAL_URL: config.internalUrl });
    console.log("Verifier worker started (stops with the kit)");
    void worker.exited.then((code) => {
      if (!stopping) console.error(`Verifier worker exited (code ${code}); candidates cannot be verified until it runs again`);
    });
  }

  const geo = openGeoLookup(config.geo);
  const { app, identity, personal, webhooks, startDispatcher, monitor } = createApp({
    config: { ...config, apiKeys: apiKey.keys, documents: { ...config.documents, hashKey: loadDocumentHashKey(config.dataDir, config.documents.hashKey) } },
    geo,
    store,
    rooms: new LiveKitRooms(livekit),
    assets,
    // Generated into the data folder on first start; `npm run rotate-signing-key` replaces it.
    embed: { keys: signingKeys, tokenTtlSeconds: config.completionTokenTtlSeconds },
  });
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => {
    console.log(`Interview verification kit listening on ${config.publicUrl}`);
    console.log(`Dashboard: ${config.publicUrl}/`);
    console.log(`Completion tokens signed with key ${signingKey.kid} (${config.publicUrl}/.well-known/jwks.json)`);
    // The key is printed once, on the start that generated it; later starts only say where it is.
    if (apiKey.generated) {
      console.log(`API key (generated, stored in ${apiKey.file}; shown only this once): ${apiKey.generated}`);
    } else if (apiKey.file) {
      console.log(`API key: the generated key in ${apiKey.file}`);
    }
  });

  // Snapshots and face templates are personal data: keep them only as long as configured.
  // Once an hour across every kit process on the database: the first process whose timer fires takes the slot.
  const purge = () => store.runExclusive("retention-purge", PURGE_EVERY_MS - PURGE_SLACK_MS, new Date().toISOString(), purgeNow);
  const purgeNow = async () => {
    const before = new Date(Date.now() - config.snapshotRetentionDays * 86_400_000).toISOString();
    const removed = await store.purgeSnapshots(before);
    if (removed) console.log(`Removed ${removed} snapshots older than ${config.snapshotRetentionDays} days`);
    // Addresses are compared only within the laptop-farm window, so they are kept no longer.
    await store.purgeIpSightings(new Date(Date.now() - config.identity.networkReuseDays * 86_400_000).toISOString());
    await store.purgeDeviceSightings(new Date(Date.now() - config.identity.networkReuseDays * 86_400_000).toISOString());
    await store.purgeDocumentSightings(new Date(Date.now() - config.documents.reuseDays * 86_400_000).toISOString());
    const days = config.identity.templateRetentionDays;
    const templates = await identity.purge(new Date(Date.now() - days * 86_400_000).toISOString());
    if (templates) console.log(`Removed ${templates} face templates older than ${days} days`);
    // Every kind of personal data, on top of (never instead of) the two limits above.
    const personalDays = config.personalDataRetentionDays;
    const redacted = personalDays === undefined ? 0 : await personal.purgeOlderThan(personalDays);
    if (redacted) console.log(`Redacted the personal data of ${redacted} interviews older than ${personalDays} days`);
    // The webhook delivery log (not personal data, but it grows with every event); pending deliveries stay.
    const logDays = config.webhooks.logRetentionDays;
    const pruned = await webhooks.pruneLog(logDays);
    if (pruned) console.log(`Removed ${pruned} webhook deliveries older than ${logDays} days from the delivery log`);
  };
  await purge();
  const purgeTimer = setInterval(() => void purge().catch((err) => console.error("snapshot purge failed:", err)), PURGE_EVERY_MS);
  purgeTimer.unref();
  // One process at a time takes each sweep; the others' timers find the slot taken.
  const sweep = () => store.runExclusive("monitor-sweep", MONITOR_SWEEP_EVERY_MS - 1_000, new Date().toISOString(), async () => void (await monitor.sweep()));
  const sweepTimer = setInterval(() => void sweep().catch((err) => console.error("monitor sweep failed:", err)), MONITOR_SWEEP_EVERY_MS);
  sweepTimer.unref();
  // Webhooks go out from a process of their own by default, so sending them never slows the API.
  const dispatcher = config.webhookDispatcher === "process" ? spawnDispatcher() : undefined;
  const stopInline = config.webhookDispatcher === "inline" ? startDispatcher() : undefined;

  const stop = async (code = 0) => {
    if (stopping) return;
    stopping = true;
    server.close();
    await dispatcher?.stop();
    await stopInline?.();
    await worker?.stop();
    await local?.stop();
    await store.close();
    process.exit(code);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
  // Without its livekit-server the kit cannot run a room: say so and stop rather than serve broken links.
  void local?.exited.then((reason) => {
    if (stopping) return;
    console.error(`${reason}. The kit cannot run interviews without it and is stopping.`);
    void stop(1);
  });
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
