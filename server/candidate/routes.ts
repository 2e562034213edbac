import { Hono } from "hono";
import { CameraReport, LivenessEvidence, LivenessStart } from "../../shared/candidate.js";
import { EnvironmentReport, NetworkReport } from "../../shared/signals.js";
import { parseJson } from "../errors/index.js";
import type { AppEnv } from "../http/env.js";
import { requestMeta } from "../http/env.js";
import type { CandidateService } from "./service.js";

const SESSION_HEADER = "x-candidate-session";

/** `/v1/candidate/:token/*`: the candidate page's API. The link token is the credential. */
export function candidateRoutes(service: CandidateService) {
  return new Hono<AppEnv>()
    .get("/:token", async (c) => c.json(await service.open(c.req.param("token"), requestMeta(c))))
    .post("/:token/session", async (c) =>
      c.json(await service.startSession(c.req.param("token"), requestMeta(c)), 201),
    )
    .get("/:token/session", async (c) =>
      c.json(await service.sessionStatus(c.req.param("token"), c.req.header(SESSION_HEADER))),
    )
    .post("/:token/camera", async (c) => {
      const report = await parseJson(c, CameraReport);
      return c.json(await service.reportCamera(c.req.param("token"), c.req.header(SESSION_HEADER), report, requestMeta(c)));
    })
    .post("/:token/liveness", async (c) => {
      // An empty body is the normal case; only test configurations send a seed.
      const input = c.req.header("content-type")?.includes("json") ? await parseJson(c, LivenessStart) : {};
      return c.json(
        await service.startLiveness(c.req.param("token"), c.req.header(SESSION_HEADER), input, requestMeta(c)),
        201,
      );
    })
    .post("/:token/liveness/:challengeId", async (c) => {
      const evidence = await parseJson(c, LivenessEvidence);
      const { token, challengeId } = c.req.param();
      return c.json(
        await service.submitEvidence(token, c.req.header(SESSION_HEADER), challengeId, evidence, requestMeta(c)),
      );
    })
    .post("/:token/environment", async (c) => {
      const report = await parseJson(c, EnvironmentReport);
      await service.reportSignals(c.req.param("token"), c.req.header(SESSION_HEADER), "environment_reported", report, requestMeta(c));
      return c.json({ recorded: "environment_reported", serverTime: Date.now() }, 201);
    })
    .post("/:token/network", async (c) => {
      const report = await parseJson(c, NetworkReport);
      await service.reportSignals(c.req.param("token"), c.req.header(SESSION_HEADER), "network_reported", report, requestMeta(c));
      return c.json({ recorded: "network_reported" }, 201);
    })
    .post("/:token/join", async (c) =>
      c.json(await service.join(c.req.param("token"), c.req.header(SESSION_HEADER), requestMeta(c))),
    );
}
