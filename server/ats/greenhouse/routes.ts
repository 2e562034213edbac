import { Hono, type MiddlewareHandler } from "hono";
import { GreenhouseResponseError, GreenhouseSendTest } from "../../../shared/ats.js";
import type { ApiKeyVerifier } from "../../api-keys/index.js";
import { AppError, parseJson, parseValue } from "../../errors/index.js";
import { type AppEnv, requestMeta } from "../../http/env.js";
import { z } from "zod";
import type { GreenhouseService } from "./service.js";

/**
 * Greenhouse calls with HTTP Basic: the kit API key as the user name, an empty password. The key
 * must hold the `ats` scope. A missing or wrong key is answered 401 with `WWW-Authenticate: Basic`.
 */
export function requireAtsKey(verifier: ApiKeyVerifier): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(c.req.header("authorization") ?? "");
    const decoded = match ? Buffer.from(match[1]!, "base64").toString("utf8") : "";
    const user = decoded.includes(":") ? decoded.slice(0, decoded.indexOf(":")) : "";
    const key = user ? await verifier.verifySecret(user) : undefined;
    if (!key) {
      c.header("WWW-Authenticate", 'Basic realm="verify-kit", charset="UTF-8"');
      throw new AppError("unauthorized", "HTTP Basic with a kit API key (scope ats) as the user name is required");
    }
    if (!key.scopes.includes("ats")) throw new AppError("insufficient_scope", 'This API key lacks the "ats" scope');
    await next();
  };
}

const StatusQuery = z.object({ partner_interview_id: z.string().min(1).max(100) });

/** `/ats/greenhouse/*`: the four endpoints of Greenhouse's Assessment Partner API. */
export function greenhouseRoutes(service: GreenhouseService, verifier: ApiKeyVerifier) {
  return new Hono<AppEnv>()
    .use("*", requireAtsKey(verifier))
    .get("/list_tests", (c) => c.json(service.listTests()))
    .post("/send_test", async (c) => c.json(await service.sendTest(await parseJson(c, GreenhouseSendTest), requestMeta(c))))
    .get("/test_status", async (c) => c.json(await service.testStatus(parseValue(StatusQuery, c.req.query()).partner_interview_id)))
    .post("/response_error", async (c) => {
      // Greenhouse found one of the kit's answers malformed: worth an operator's eye, never a change of state.
      const report = await parseJson(c, GreenhouseResponseError);
      console.warn(`Greenhouse reported a malformed ${report.api_call} answer: ${report.errors.join("; ").slice(0, 1000)}`);
      return c.json({ status: 200 });
    });
}
