/**
 * Starts the servers every suite shares, once per `npm test` run: one real
 * livekit-server on loopback (the first free block from 17700), a webhook fan-out so each suite's
 * kit receives LiveKit's signed webhooks, one verifier worker registered
 * with that server, and a throwaway Postgres cluster (test/postgres-setup.ts) whose
 * URL suites read with `inject("postgresUrl")` to create databases of their own. Suites that need isolation (a worker they may kill, or no
 * worker at all) still start their own with `startTestLiveKit`.
 */
import http from "node:http";
import net from "node:net";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { installLiveKit, type LiveKitSettings, LocalLiveKit } from "../server/livekit/index.js";
import { spawnVerifierWorker } from "../server/verifier/spawn.js";
import { startTestPostgres, type TestPostgres } from "./postgres-setup.js";

const ROOT = path.resolve(import.meta.dirname, "..");
/** First port base tried for the shared livekit-server; the next free block of three is used. */
const LIVEKIT_PORT_BASE = 17700;

/** Whether nothing listens on `port` on loopback (TCP; LiveKit's UDP port sits beside it). */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

/** A port base whose three ports are free, so two runs on one machine do not collide. */
async function freePortBase(): Promise<number> {
  for (let base = LIVEKIT_PORT_BASE; base < LIVEKIT_PORT_BASE + 200; base += 10) {
    if ((await portFree(base)) && (await portFree(base + 1)) && (await portFree(base + 2))) return base;
  }
  throw new Error("no free port block for the test livekit-server between 17700 and 17900");
}

declare module "vitest" {
  export interface ProvidedContext {
    livekit: LiveKitSettings;
    webhookRelay: string;
    /** Superuser URL of the run's Postgres cluster (its `postgres` database). */
    postgresUrl: string;
  }
}

/** Forwards each LiveKit webhook, raw body and signature untouched, to every registered kit. */
function startRelay(): Promise<{ server: http.Server; url: string }> {
  const targets = new Set<string>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      if (req.url === "/register") {
        targets.add(body.toString());
        res.writeHead(204).end();
        return;
      }
      res.writeHead(200).end();
      const headers = { "content-type": req.headers["content-type"] ?? "application/webhook+json", authorization: req.headers.authorization ?? "" };
      for (const url of targets) {
        // A kit that has stopped is simply unreachable; its suite is over.
        fetch(url, { method: "POST", headers, body }).catch(() => targets.delete(url));
      }
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve({ server, url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}` })),
  );
}

export default async function setup(project: TestProject) {
  const postgres = await startTestPostgres();
  try {
    return await startShared(project, postgres);
  } catch (err) {
    // Nothing else stops the cluster when the rest fails to start.
    await postgres.stop();
    throw err;
  }
}

async function startShared(project: TestProject, postgres: TestPostgres) {
  const relay = await startRelay();
  const port = await freePortBase();
  const livekit = await LocalLiveKit.start({
    binary: await installLiveKit(path.join(ROOT, ".tools")),
    workDir: path.join(ROOT, ".cache", "test-livekit"),
    port,
    rtcTcpPort: port + 1,
    rtcUdpPort: port + 2,
    webhookUrl: `${relay.url}/relay`,
  });
  const worker = spawnVerifierWorker(livekit.settings, { VERIFIER_IDLE_PROCESSES: "2", VERIFIER_MAX_JOBS: "4" });
  await worker.ready;
  project.provide("livekit", livekit.settings);
  project.provide("webhookRelay", relay.url);
  project.provide("postgresUrl", postgres.url);
  return async () => {
    await postgres.stop();
    await worker.stop();
    await livekit.stop();
    relay.server.closeAllConnections();
    await new Promise<void>((resolve) => relay.server.close(() => resolve()));
  };
}
