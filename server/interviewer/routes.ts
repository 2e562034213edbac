import { Hono } from "hono";
import { type AppEnv, requestMeta } from "../http/env.js";
import type { InterviewerService } from "./service.js";

/** `/v1/interviewer/:token/*`: the interviewer page's API. */
export function interviewerRoutes(service: InterviewerService) {
  return new Hono<AppEnv>()
    .get("/:token", async (c) => c.json(await service.view(c.req.param("token"))))
    .post("/:token/join", async (c) => c.json(await service.join(c.req.param("token"), requestMeta(c))));
}
