import { OpenAPIHono } from "@hono/zod-openapi";
import { requestMeta } from "../http/env.js";
import { serve } from "../openapi/index.js";
import type { Store } from "../store/index.js";
import type { VerificationService } from "../verification/index.js";
import { type CandidateEnv, candidateContext, requireSession } from "./context.js";
import { candidateContract as route } from "./contract.js";
import { type CandidateLimits, eventCap, rateLimit } from "./limits.js";
import type { CandidateService } from "./service.js";

/**
 * `/v1/candidate/:token/*`: the candidate page's API. The link token is the credential.
 * Requests that start, join or report something are rate-limited per IP and per link
 * before the link is even resolved, and status polls against a larger budget of their own; those that add events stop at the interview's event cap.
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
  const app = new OpenAPIHono<CandidateEnv>();
  app
    .on("GET", "/:token", limited)
    .on("POST", ["/:token/session", "/:token/liveness", "/:token/environment", "/:token/network", "/:token/camera", "/:token/join"], limited)
    .on("GET", ["/:token/session", "/:token/liveness/:challengeId"], rateLimit(limits, "polls"))
    .use("/:token", context)
    .use("/:token/*", context)
    .on("GET", "/:token", capped)
    .on("POST", ["/:token/liveness", "/:token/environment", "/:token/network", "/:token/camera", "/:token/join"], capped);
  serve(app, route.open, async (c) => c.json(await service.open(c.get("interview"), requestMeta(c))));
  serve(app, route.startSession, async (c) => c.json(await service.startSession(c.get("interview"), requestMeta(c)), 201));
  serve(app, route.sessionStatus, (c) => c.json(service.sessionStatus(requireSession(c.get("session")))));
  serve(app, route.camera, async (c, { body }) => {
    const session = requireSession(c.get("session"));
    return c.json(await service.reportCamera(c.get("interview"), session, body, requestMeta(c)));
  });
  // An empty body is the normal case; only test configurations send a seed.
  serve(app, route.startLiveness, async (c, { body }) => {
    const session = requireSession(c.get("session"));
    return c.json(await verification.start(c.get("interview"), session, body ?? {}, requestMeta(c)), 201);
  });
  serve(app, route.livenessStatus, async (c, { params }) => {
    const session = requireSession(c.get("session"));
    return c.json(await verification.status(c.get("interview"), session, params.challengeId));
  });
  serve(app, route.environment, async (c, { body }) => {
    const session = requireSession(c.get("session"));
    return c.json(await service.reportSignals(c.get("interview"), session, { type: "environment_reported", data: body }, requestMeta(c)), 201);
  });
  serve(app, route.network, async (c, { body }) => {
    const session = requireSession(c.get("session"));
    return c.json(await service.reportSignals(c.get("interview"), session, { type: "network_reported", data: body }, requestMeta(c)), 201);
  });
  serve(app, route.join, async (c) => c.json(await service.join(c.get("interview"), c.get("session"), requestMeta(c))));
  return app;
}
