/**
 * Starts the servers every suite shares, once per `npm test` run: one real
 * livekit-server on loopback (17700–17702), a webhook fan-out so each suite's
 * kit receives LiveKit's signed webhooks, and one verifier worker registered
 * with that server. Suites that need isolation (a worker they may kill, or no
 * worker at all) still start their own with `startTestLiveKit`.
 */
import http from "node:http";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { installLiveKit, type LiveKitSettings, LocalLiveKit } from "../server/livekit/index.js";
import { spawnVerifierWorker } from "../server/verifier/spawn.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const LIVEKIT_PORT = 17700;
const RELAY_PORT = 17799;

declare module "vitest" {
  export interface ProvidedContext {
    livekit: LiveKitSettings;
    webhookRelay: string;
  }
}

/** Forwards each LiveKit webhook, raw body and signature untouched, to every registered kit. */
function startRelay(): Promise<http.Server> {
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
  return new Promise((resolve) => server.listen(RELAY_PORT, "127.0.0.1", () => resolve(server)));
}

export default async function setup(project: TestProject) {
  const relay = await startRelay();
  const livekit = await LocalLiveKit.start({
    binary: await installLiveKit(path.join(ROOT, ".tools")),
    workDir: path.join(ROOT, ".cache", "test-livekit"),
    port: LIVEKIT_PORT,
    rtcTcpPort: LIVEKIT_PORT + 1,
    rtcUdpPort: LIVEKIT_PORT + 2,
    webhookUrl: `http://127.0.0.1:${RELAY_PORT}/relay`,
  });
  const worker = spawnVerifierWorker(livekit.settings, { VERIFIER_IDLE_PROCESSES: "2", VERIFIER_MAX_JOBS: "4" });
  await worker.ready;
  project.provide("livekit", livekit.settings);
  project.provide("webhookRelay", `http://127.0.0.1:${RELAY_PORT}`);
  return async () => {
    await worker.stop();
    await livekit.stop();
    relay.closeAllConnections();
    await new Promise<void>((resolve) => relay.close(() => resolve()));
  };
}
