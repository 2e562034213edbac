import { Hono } from "hono";
import { CameraReport } from "../../shared/candidate.js";
import { EnvironmentReport, NetworkReport } from "../../shared/signals.js";
import { VerificationStart } from "../../shared/verification.js";
import { parseJson } from "../errors/index.js";
import { requestMeta } from "../http/env.js";
import type { Store } from "../store/index.js";
import type { VerificationService } from "../verification/index.js";
import { type CandidateEnv, candidateContext, requireSession } from "./context.js";
import { type CandidateLimits, eventCap, rateLimit } from "./limits.js";
import type { CandidateService } from "./service.js";

/**
 * `/v1/candidate/:token/*`: the candidate page's API. The link token is the credential.
 * Requests that start or report something are rate-limited per IP and per link
 * before the link is even resolved; those that add events stop at the interview's event cap.
 */
export function candidateRoutes(
  service: CandidateService,
  verification: VerificationService,
  store: Store,
  now: () => Date,
  limits: CandidateLimits,
) {
  const context = candidateContext(store, now);
  const limited = rateLimit(limits);
  const capped = eventCap(store, limits);
  return new Hono<CandidateEnv>()
    .on("GET", "/:token", limited)
    .on("POST", ["/:token/session", "/:token/liveness", "/:token/environment", "/:token/network", "/:token/camera"], limited)
    .use("/:token", context)
    .use("/:token/*", context)
    .on("GET", "/:token", capped)
    .on("POST", ["/:token/liveness", "/:token/environment", "/:token/network", "/:token/camera", "/:token/join"], capped)
    .get("/:token", async (c) => c.json(await service.open(c.get("interview"), requestMeta(c))))
    .post("/:token/session", async (c) => c.json(await service.startSession(c.get("interview"), requestMeta(c)), 201))
    .get("/:token/session", (c) => c.json(service.sessionStatus(requireSession(c.get("session")))))
    .post("/:token/camera", async (c) => {
      const report = await parseJson(c, CameraReport);
      const session = requireSession(c.get("session"));
      return c.json(await service.reportCamera(c.get("interview"), session, report, requestMeta(c)));
    })
    .post("/:token/liveness", async (c) => {
      // An empty body is the normal case; only test configurations send a seed.
      const input = c.req.header("content-type")?.includes("json") ? await parseJson(c, VerificationStart) : {};
      const session = requireSession(c.get("session"));
      return c.json(await verification.start(c.get("interview"), session, input, requestMeta(c)), 201);
    })
    .get("/:token/liveness/:challengeId", async (c) => {
      const session = requireSession(c.get("session"));
      return c.json(await verification.status(c.get("interview"), session, c.req.param("challengeId")));
    })
    .post("/:token/environment", async (c) => {
      const report = await parseJson(c, EnvironmentReport);
      const session = requireSession(c.get("session"));
      return c.json(await service.reportSignals(c.get("interview"), session, { type: "environment_reported", data: report }, requestMeta(c)), 201);
    })
    .post("/:token/network", async (c) => {
      const report = await parseJson(c, NetworkReport);
      const session = requireSession(c.get("session"));
      return c.json(await service.reportSignals(c.get("interview"), session, { type: "network_reported", data: report }, requestMeta(c)), 201);
    })
    .post("/:token/join", async (c) => c.json(await service.join(c.get("interview"), c.get("session"), requestMeta(c))));
}
