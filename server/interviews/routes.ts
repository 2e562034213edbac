import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { CreateInterviewInput, ListQuery } from "../../shared/interview.js";
import { parseJson, parseValue, unauthorized } from "../errors/index.js";
import { type AppEnv, requestMeta } from "../http/env.js";
import type { ApiKeyVerifier } from "../security/index.js";
import type { ReportService } from "../reports/index.js";
import type { InterviewService } from "./service.js";
import type { Timeline } from "../timeline/index.js";

/** `/v1/interviews`: the API-key-protected REST API for interviewers and HR tools. */
export function interviewRoutes(
  service: InterviewService,
  reports: ReportService,
  timeline: Timeline,
  apiKeys: ApiKeyVerifier,
) {
  return new Hono<AppEnv>()
    .use(async (c, next) => {
      if (!apiKeys.verify(c.req.header("authorization"))) throw unauthorized();
      await next();
    })
    .post("/", async (c) => {
      const input = await parseJson(c, CreateInterviewInput);
      return c.json(await service.create(input, requestMeta(c)), 201);
    })
    .get("/", async (c) => {
      const { limit, offset } = parseValue(ListQuery, c.req.query());
      const interviews = await service.list(limit, offset, async (r, events) => (await reports.build(r, events)).level);
      return c.json({ interviews });
    })
    // Live updates for the dashboard: one SSE message per recorded event, on any interview.
    .get("/stream", (c) =>
      streamSSE(c, async (stream) => {
        const stop = new AbortController();
        stream.onAbort(() => stop.abort());
        const events = timeline.events(stop.signal);
        // Asked for before "ready" is sent, so the subscription already holds anything recorded after it.
        let next = events.next();
        await stream.writeSSE({ event: "ready", data: "{}" });
        while (!stream.aborted) {
          const result = await orIdle(next, KEEP_ALIVE_MS);
          if (result === IDLE) {
            // A comment, so proxies do not close a quiet connection.
            await stream.write(": keep-alive\n\n");
            continue;
          }
          if (result.done) break;
          await stream.writeSSE({ event: "interview", data: JSON.stringify(result.value) });
          next = events.next();
        }
        await events.return();
      }),
    )
    .get("/:id", async (c) => c.json(await service.get(c.req.param("id"))))
    .get("/:id/snapshots", async (c) => c.json({ snapshots: await service.snapshots(c.req.param("id")) }))
    .get("/:id/snapshots/:snapshotId", async (c) => {
      const jpeg = await service.snapshot(c.req.param("id"), Number(c.req.param("snapshotId")));
      c.header("Content-Type", "image/jpeg");
      c.header("Cache-Control", "private, max-age=3600");
      return c.body(new Uint8Array(jpeg));
    })
    .get("/:id/report", async (c) => c.json(await reports.forInterview(c.req.param("id"))))
    // Voids the interviewer link and issues a new one; the old link answers 404 from then on.
    .post("/:id/interviewer-link", async (c) => c.json(await service.rotateInterviewerLink(c.req.param("id"), requestMeta(c)), 201));
}

/** How long a quiet stream waits before a keep-alive comment. */
const KEEP_ALIVE_MS = 15_000;
const IDLE = Symbol("idle");

/** `promise`'s value, or IDLE if it has not settled within `ms`; the promise itself is left running. */
async function orIdle<T>(promise: Promise<T>, ms: number): Promise<T | typeof IDLE> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const idle = new Promise<typeof IDLE>((resolve) => (timer = setTimeout(() => resolve(IDLE), ms)));
  try {
    return await Promise.race([promise, idle]);
  } finally {
    clearTimeout(timer);
  }
}
