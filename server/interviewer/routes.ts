import { OpenAPIHono } from "@hono/zod-openapi";
import type { InterviewEnded } from "../../shared/monitoring.js";
import { type AppEnv, requestMeta } from "../http/env.js";
import { streamEvents } from "../http/sse.js";
import { serve } from "../openapi/index.js";
import type { ReportService } from "../reports/index.js";
import { interviewerContract as route } from "./contract.js";
import type { InterviewerService } from "./service.js";

/** `/v1/interviewer/:token/*`: the interviewer page's API. */
export function interviewerRoutes(service: InterviewerService, reports: ReportService) {
  const app = new OpenAPIHono<AppEnv>();
  serve(app, route.view, async (c, { params }) => c.json(await service.view(params.token)));
  serve(app, route.report, async (c, { params }) => c.json(await reports.forInterviewerLink(params.token)));
  // The interview's own events, live: the page re-reads the interview when one arrives instead of polling.
  // Closes once the link is rotated or expires, not only when the page goes.
  serve(app, route.stream, async (c, { params }) => streamEvents(c, await service.stream(params.token), () => service.linkStillValid(params.token)));
  serve(app, route.join, async (c, { params }) => c.json(await service.join(params.token, requestMeta(c))));
  serve(app, route.rechallenge, async (c, { params }) => c.json(await service.rechallenge(params.token, requestMeta(c)), 201));
  serve(app, route.reference, async (c, { params, body }) => c.json(await service.acceptReference(params.token, body.challengeId, requestMeta(c))));
  // The advisory's checklist (payment requests, avoided video...): each item becomes a risk flag.
  serve(app, route.observe, async (c, { params, body }) => c.json(await service.observe(params.token, body, requestMeta(c)), 201));
  serve(app, route.end, async (c, { params }) => {
    await service.end(params.token, requestMeta(c));
    return c.json({ status: "ended" } satisfies InterviewEnded);
  });
  return app;
}
