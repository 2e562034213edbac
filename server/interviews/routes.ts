import { Hono } from "hono";
import { CreateInterviewInput } from "../../shared/interview.js";
import { parseJson, unauthorized } from "../errors/index.js";
import { type AppEnv, requestMeta } from "../http/env.js";
import type { ApiKeyVerifier } from "../security/index.js";
import type { ReportService } from "../reports/index.js";
import type { InterviewService } from "./service.js";

/** `/v1/interviews`: the API-key-protected REST API for interviewers and HR tools. */
export function interviewRoutes(service: InterviewService, reports: ReportService, apiKeys: ApiKeyVerifier) {
  return new Hono<AppEnv>()
    .use(async (c, next) => {
      if (!apiKeys.verify(c.req.header("authorization"))) throw unauthorized();
      await next();
    })
    .post("/", async (c) => {
      const input = await parseJson(c, CreateInterviewInput);
      return c.json(await service.create(input, requestMeta(c)), 201);
    })
    .get("/:id", async (c) => c.json(await service.get(c.req.param("id"))))
    .get("/:id/report", async (c) => c.json(await reports.forInterview(c.req.param("id"))));
}
