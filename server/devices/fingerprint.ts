import { createHmac } from "node:crypto";
import type { DeviceTraits } from "../../shared/signals.js";

/** What one session's browser reported about its machine, from its environment and camera reports and its requests. */
export interface ReportedDevice {
  userAgent: string;
  timeZone: string;
  languages: string[];
  traits: DeviceTraits;
  camera?: { label?: string; width?: number; height?: number };
}

/**
 * A keyed hash of a browser's stable, reported characteristics: user agent, platform, screen, time
 * zone, languages, the WebGL renderer, and the camera's label and resolution. The same machine under
 * two names gives the same hash; nothing of the machine can be read back from it. Reported values, so
 * a script can change it at will: it finds the careless farm, never proves a careful one absent.
 */
export function deviceFingerprint(key: string, d: ReportedDevice): string {
  const canonical = JSON.stringify([
    d.userAgent,
    d.traits.platform,
    d.traits.screen.width,
    d.traits.screen.height,
    d.traits.screen.pixelRatio,
    d.traits.webglRenderer ?? "",
    d.traits.hardwareConcurrency ?? 0,
    d.timeZone,
    d.languages,
    d.camera?.label ?? "",
    d.camera?.width ?? 0,
    d.camera?.height ?? 0,
  ]);
  return createHmac("sha256", key).update(`vk device fingerprint v1\n${canonical}`).digest("hex").slice(0, 32);
}
