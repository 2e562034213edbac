import { OpenAPIHono } from "@hono/zod-openapi";
import type { InterviewList, SnapshotList } from "../../shared/interview.js";
import { type ApiAccess, type ApiKeyEnv, scoped } from "../api-keys/index.js";
import { requestMeta } from "../http/env.js";
import { streamEvents } from "../http/sse.js";
import { serve } from "../openapi/index.js";
import type { ReportService } from "../reports/index.js";
import type { InterviewService } from "./service.js";
import type { ObservationService } from "./observations.js";
import { hideOtherCandidates, type PersonalDataService } from "../personal/index.js";
import type { Timeline } from "../timeline/index.js";
import { interviewContract as route } from "./contract.js";

/** `/v1/interviews`: the API-key-protected REST API for interviewers and HR tools. */
export function interviewRoutes(
  service: InterviewService,
  reports: ReportService,
  timeline: Timeline,
  access: ApiAccess,
  more: { personal: PersonalDataService; observations: ObservationService },
) {
  const app = new OpenAPIHono<ApiKeyEnv>();
  app.use(access.auth);
  serve(app, scoped({ ...route.create, middleware: access.idempotent }), async (c, { body }) => c.json(await service.create(body, requestMeta(c)), 201));
  serve(app, scoped(route.list), async (c, { query }) => {
    const page = await service.list(query, async (r, events) => (await reports.build(r, events)).level);
    return c.json(page satisfies InterviewList);
  });
  // Live updates for the dashboard: one SSE message per recorded event, on any interview.
  serve(app, scoped(route.stream), (c) => streamEvents(c, (signal) => timeline.events(signal), access.stillValid(c)));
  // Who else a face matched is personal data of those candidates: named for `personal_data` keys only.
  const namesOfOthers = (c: { var: { apiKey: { scopes: readonly string[] } } }) => c.var.apiKey.scopes.includes("personal_data");
  serve(app, scoped(route.get), async (c, { params }) => {
    const interview = await service.get(params.id);
    return c.json(namesOfOthers(c) ? interview : { ...interview, events: hideOtherCandidates(interview.events) });
  });
  serve(app, scoped(route.snapshots), async (c, { params }) => c.json({ snapshots: await service.snapshots(params.id) } satisfies SnapshotList));
  serve(app, scoped(route.snapshot), async (c, { params }) => {
    const jpeg = await service.snapshot(params.id, Number(params.snapshotId));
    c.header("Content-Type", "image/jpeg");
    c.header("Cache-Control", "private, max-age=3600");
    return c.body(new Uint8Array(jpeg));
  });
  serve(app, scoped(route.report), async (c, { params }) => c.json(await reports.forInterview(params.id, { namesOfOthers: namesOfOthers(c) })));
  // Everything held about the candidate, as one JSON file (snapshots included, base64).
  serve(app, scoped(route.export), async (c, { params: { id } }) => {
    const body = await more.personal.export(id);
    c.header("Content-Disposition", `attachment; filename="interview-${id.replace(/[^A-Za-z0-9_-]/g, "")}-personal-data.json"`);
    c.header("Cache-Control", "no-store");
    return c.json(body);
  });
  // Irreversible: snapshots, templates, IPs, user agents, reports, name and email go; verdicts and the risk level stay.
  serve(app, scoped(route.redact), async (c, { params }) => c.json(await more.personal.redact(params.id)));
  serve(app, scoped(route.observe), async (c, { params, body }) => c.json(await more.observations.recordById(params.id, body, requestMeta(c)), 201));
  // Voids the interviewer link and issues a new one; the old link answers 404 from then on.
  serve(app, scoped({ ...route.rotateInterviewerLink, middleware: access.idempotent }), async (c, { params }) =>
    c.json(await service.rotateInterviewerLink(params.id, requestMeta(c)), 201),
  );
  return app;
}
