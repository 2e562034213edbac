import { Hono } from "hono";
import { AppError } from "../errors/index.js";
import type { AppEnv } from "../http/env.js";
import type { VideoRooms } from "../livekit/index.js";
import type { RoomEventService } from "./service.js";

/** `POST /webhooks/livekit`: verified over the raw body before anything is recorded. */
export function webhookRoutes(rooms: VideoRooms, service: RoomEventService) {
  return new Hono<AppEnv>().post("/livekit", async (c) => {
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
