import type { EventType } from "../../shared/interview.js";
import type { Timeline } from "../interviews/index.js";
import type { RoomWebhook } from "../livekit/index.js";
import type { Store } from "../store/index.js";
import { CANDIDATE_IDENTITY_PREFIX } from "../verification/index.js";

const RECORDED: Record<string, EventType> = {
  participant_joined: "participant_joined",
  participant_left: "participant_left",
  track_published: "track_published",
  track_unpublished: "track_unpublished",
  room_finished: "room_finished",
};

/** Turns verified LiveKit webhooks into interview events. */
export class RoomEventService {
  constructor(private readonly deps: { store: Store; timeline: Timeline }) {}

  /** Records the webhook on its interview; returns false when it is not one the kit tracks. */
  async handle(hook: RoomWebhook): Promise<boolean> {
    const type = RECORDED[hook.event];
    if (!type || !hook.room) return false;
    const interview = await this.deps.store.findInterviewByRoom(hook.room);
    if (!interview) return false;
    const identity = hook.participantIdentity;
    const role = identity?.startsWith(CANDIDATE_IDENTITY_PREFIX) ? "candidate" : identity ? "interviewer" : undefined;
    await this.deps.timeline.record(
      interview,
      {
        type,
        actor: "livekit",
        data: {
          ...(identity ? { identity, role } : {}),
          ...(hook.trackSource ? { source: hook.trackSource, kind: hook.trackKind, trackSid: hook.trackSid } : {}),
        },
      },
      { candidate: role === "candidate" },
    );
    return true;
  }
}
