import { Hono } from "hono";
import type { InterviewEnded } from "../../shared/monitoring.js";
import { ObservationInput } from "../../shared/observations.js";
import { parseJson } from "../errors/index.js";
import { type AppEnv, requestMeta } from "../http/env.js";
import { streamEvents } from "../http/sse.js";
import type { ReportService } from "../reports/index.js";
import type { InterviewerService } from "./service.js";

/** `/v1/interviewer/:token/*`: the interviewer page's API. */
export function interviewerRoutes(service: InterviewerService, reports: ReportService) {
  return new Hono<AppEnv>()
    .get("/:token", async (c) => c.json(await service.view(c.req.param("token"))))
    .get("/:token/report", async (c) => c.json(await reports.forInterviewerLink(c.req.param("token"))))
    // The interview's own events, live: the page re-reads the interview when one arrives instead of polling.
    .get("/:token/stream", async (c) => streamEvents(c, await service.stream(c.req.param("token"))))
    .post("/:token/join", async (c) => c.json(await service.join(c.req.param("token"), requestMeta(c))))
    .post("/:token/rechallenge", async (c) => c.json(await service.rechallenge(c.req.param("token"), requestMeta(c)), 201))
    // The advisory's checklist (payment requests, avoided video...): each item becomes a risk flag.
    .post("/:token/observations", async (c) => {
      const input = await parseJson(c, ObservationInput);
      return c.json(await service.observe(c.req.param("token"), input, requestMeta(c)), 201);
    })
    .post("/:token/end", async (c) => {
      await service.end(c.req.param("token"), requestMeta(c));
      return c.json({ status: "ended" } satisfies InterviewEnded);
    });
}
