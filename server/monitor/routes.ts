import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { MonitorReport } from "../../shared/monitor-job.js";
import { AppError, parseJson } from "../errors/index.js";
import type { AppEnv } from "../http/env.js";
import type { MonitorService } from "./service.js";

/** An event with its mismatch snapshot stays well under this. */
const MAX_REPORT_BYTES = 512 * 1024;

/** `/internal/monitor/*`: where interview monitors report. Each monitor has its own bearer secret. */
export function monitorRoutes(service: MonitorService) {
  return new Hono<AppEnv>()
    .use(
      bodyLimit({
        maxSize: MAX_REPORT_BYTES,
        onError: () => {
          throw new AppError("payload_too_large", `A monitor report is limited to ${MAX_REPORT_BYTES} bytes`);
        },
      }),
    )
    .post("/:monitorId", async (c) => {
      const bearer = c.req.header("authorization")?.match(/^Bearer (.+)$/)?.[1];
      // Authenticate before reading the body: an unauthenticated caller learns nothing and costs nothing.
      const monitor = await service.authenticate(c.req.param("monitorId"), bearer);
      const report = await parseJson(c, MonitorReport);
      return c.json(await service.report(monitor, report));
    });
}
