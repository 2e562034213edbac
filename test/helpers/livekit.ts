import path from "node:path";
import { installLiveKit, LocalLiveKit } from "../../server/livekit/index.js";

const ROOT = path.resolve(import.meta.dirname, "../..");

/**
 * Starts a real livekit-server on loopback for a test file. Each suite passes
 * its own port base so a developer's `npm start` on 7880 is never disturbed.
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
