import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { VerifierReport } from "../../shared/verifier-job.js";
import { AppError, parseJson } from "../errors/index.js";
import type { AppEnv } from "../http/env.js";
import type { VerificationService } from "./service.js";

/** A verdict with its snapshots and trace stays well under this. */
const MAX_REPORT_BYTES = 2 * 1024 * 1024;

/**
 * `/internal/verifier/*`: where verifier jobs report. Each challenge has its
 * own bearer secret, handed to the job in its dispatch metadata only.
 */
export function verifierRoutes(service: VerificationService) {
  return new Hono<AppEnv>()
    .use(
      bodyLimit({
        maxSize: MAX_REPORT_BYTES,
        onError: () => {
          throw new AppError("payload_too_large", `A verifier report is limited to ${MAX_REPORT_BYTES} bytes`);
        },
      }),
    )
    .post("/challenges/:challengeId", async (c) => {
      const bearer = c.req.header("authorization")?.match(/^Bearer (.+)$/)?.[1];
      // Authenticate before reading the body: an unauthenticated caller learns nothing and costs nothing.
      const challenge = await service.authenticate(c.req.param("challengeId"), bearer);
      const report = await parseJson(c, VerifierReport);
      return c.json(await service.report(challenge, report));
    });
}
