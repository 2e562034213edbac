import path from "node:path";
import { inject } from "vitest";
import { installLiveKit, type LiveKitSettings, LocalLiveKit } from "../../server/livekit/index.js";

const ROOT = path.resolve(import.meta.dirname, "../..");

/**
 * Starts a real livekit-server on loopback for one suite that needs its own:
 * no verifier worker registered with it, or a worker the suite may kill. Each
 * passes its own port base so a developer's `npm start` on 7880 is never disturbed.
 */
export async function startTestLiveKit(portBase: number, webhookUrl?: string): Promise<LocalLiveKit> {
  const binary = await installLiveKit(path.join(ROOT, ".tools"));
  return LocalLiveKit.start({
    binary,
    workDir: path.join(ROOT, ".cache", "test-livekit"),
    port: portBase,
    rtcTcpPort: portBase + 1,
    rtcUdpPort: portBase + 2,
    webhookUrl,
  });
}

/**
 * The run's shared livekit-server (started once by `test/global-setup.ts`,
 * with one verifier worker registered). With `webhookUrl`, LiveKit's signed
 * webhooks for every room reach that kit too.
 */
export async function sharedLiveKit(webhookUrl?: string): Promise<LiveKitSettings> {
  if (webhookUrl) {
    const res = await fetch(`${inject("webhookRelay")}/register`, { method: "POST", body: webhookUrl });
    if (!res.ok) throw new Error(`webhook relay refused ${webhookUrl}: ${res.status}`);
  }
  return inject("livekit");
}
