import { Hono } from "hono";
import { CreateInterviewInput, ListQuery } from "../../shared/interview.js";
import { ObservationInput } from "../../shared/observations.js";
import type { ApiAccess, ApiKeyEnv } from "../api-keys/index.js";
import { parseJson, parseValue } from "../errors/index.js";
import { requestMeta } from "../http/env.js";
import { streamEvents } from "../http/sse.js";
import type { ReportService } from "../reports/index.js";
import type { InterviewService } from "./service.js";
import type { ObservationService } from "./observations.js";
import type { PersonalDataService } from "../personal/index.js";
import type { Timeline } from "../timeline/index.js";

/** `/v1/interviews`: the API-key-protected REST API for interviewers and HR tools. */
export function interviewRoutes(
  service: InterviewService,
  reports: ReportService,
  timeline: Timeline,
  access: ApiAccess,
  more: { personal: PersonalDataService; observations: ObservationService },
) {
  return new Hono<ApiKeyEnv>()
    .use(access.auth)
    .post("/", access.idempotent, async (c) => {
      const input = await parseJson(c, CreateInterviewInput);
      return c.json(await service.create(input, requestMeta(c)), 201);
    })
    .get("/", async (c) => {
      const { limit, offset } = parseValue(ListQuery, c.req.query());
      const interviews = await service.list(limit, offset, async (r, events) => (await reports.build(r, events)).level);
      return c.json({ interviews });
    })
    // Live updates for the dashboard: one SSE message per recorded event, on any interview.
    .get("/stream", (c) => streamEvents(c, (signal) => timeline.events(signal)))
    .get("/:id", async (c) => c.json(await service.get(c.req.param("id"))))
    .get("/:id/snapshots", async (c) => c.json({ snapshots: await service.snapshots(c.req.param("id")) }))
    .get("/:id/snapshots/:snapshotId", async (c) => {
      const jpeg = await service.snapshot(c.req.param("id"), Number(c.req.param("snapshotId")));
      c.header("Content-Type", "image/jpeg");
      c.header("Cache-Control", "private, max-age=3600");
      return c.body(new Uint8Array(jpeg));
    })
    .get("/:id/report", async (c) => c.json(await reports.forInterview(c.req.param("id"))))
    // Everything held about the candidate, as one JSON file (snapshots included, base64).
    .get("/:id/export", async (c) => {
      const id = c.req.param("id");
      const body = await more.personal.export(id);
      c.header("Content-Disposition", `attachment; filename="interview-${id.replace(/[^A-Za-z0-9_-]/g, "")}-personal-data.json"`);
      c.header("Cache-Control", "no-store");
      return c.json(body);
    })
    // Irreversible: snapshots, templates, IPs, user agents, reports, name and email go; verdicts and the risk level stay.
    .delete("/:id/personal-data", async (c) => c.json(await more.personal.redact(c.req.param("id"))))
    .post("/:id/observations", async (c) => {
      const input = await parseJson(c, ObservationInput);
      return c.json(await more.observations.recordById(c.req.param("id"), input, requestMeta(c)), 201);
    })
    // Voids the interviewer link and issues a new one; the old link answers 404 from then on.
    .post("/:id/interviewer-link", access.idempotent, async (c) => c.json(await service.rotateInterviewerLink(c.req.param("id"), requestMeta(c)), 201));
}
