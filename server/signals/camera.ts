import type { RiskFlag } from "../../shared/signals.js";
import type { SignalContext } from "./context.js";

/**
 * The advisory's first red flag, refusing video: the candidate denied the
 * camera. Medium when they never granted it afterwards, low when they did.
 */
export function cameraRule(ctx: SignalContext): RiskFlag[] {
  const camera = ctx.events.filter((e) => e.type === "camera_refused" || e.type === "camera_granted");
  const refusals = camera.filter((e) => e.type === "camera_refused");
  if (!refusals.length) return [];
  const lastRefusal = refusals.at(-1)!;
  const grantedLater = camera.some((e) => e.type === "camera_granted" && e.at > lastRefusal.at);
  return [
    {
      id: "camera_refused",
      severity: grantedLater ? "low" : "medium",
      advisoryFlag: "refuses_video",
      title: grantedLater ? "Camera refused at first, then allowed" : "Camera refused",
      explanation: grantedLater
        ? `The candidate refused camera access ${refusals.length} time(s) before allowing it.`
        : "The candidate refused camera access and has not allowed it since. Refusing video is the first red flag the advisory lists.",
      evidence: { refusals: refusals.length, lastRefusedAt: lastRefusal.at, grantedLater },
    },
  ];
}
