import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import { AppError } from "../errors/index.js";
import type { AppEnv } from "../http/env.js";
import type { VideoRooms } from "../livekit/index.js";
import type { RoomEventService } from "./service.js";

/** Largest webhook body read; LiveKit's events are a few KB. */
export const MAX_WEBHOOK_BYTES = 64 * 1024;

/** Refuses an unsigned request before any of its body is read. */
const requireSignatureHeader = createMiddleware<AppEnv>(async (c, next) => {
  if (!c.req.header("authorization")?.trim()) {
    throw new AppError("unauthorized", "The webhook is not signed: an Authorization header is required");
  }
  await next();
});

/**
 * `POST /webhooks/livekit`: an unsigned request is refused before its body is
 * read, a body over 64 KB is refused, and the signature is verified over the
 * raw body before anything is recorded.
 */
export function webhookRoutes(rooms: VideoRooms, service: RoomEventService) {
  const limit = bodyLimit({
    maxSize: MAX_WEBHOOK_BYTES,
    onError: () => {
      throw new AppError("payload_too_large", `The webhook body is larger than ${MAX_WEBHOOK_BYTES} bytes`);
    },
  });
  return new Hono<AppEnv>().post("/livekit", requireSignatureHeader, limit, async (c) => {
    const raw = await c.req.text();
    let hook;
    try {
      hook = await rooms.receiveWebhook(raw, c.req.header("authorization"));
    } catch {
      throw new AppError("unauthorized", "The webhook signature does not verify");
    }
    const recorded = await service.handle(hook);
    return c.json({ received: hook.event, recorded });
  });
}
