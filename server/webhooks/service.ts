import type { EventType } from "../../shared/interview.js";
import { MONITOR_IDENTITY_PREFIX } from "../../shared/monitoring.js";
import type { OneCameraPolicy, RoomSeats } from "../interviews/index.js";
import type { Timeline } from "../timeline/index.js";
import type { RoomWebhook } from "../livekit/index.js";
import type { InterviewRecord, Store } from "../store/index.js";
import { CANDIDATE_IDENTITY_PREFIX } from "../verification/index.js";

/** The LiveKit webhooks the kit records, each as the event type of the same name (their data is `RoomData`). */
type RoomEventType = Extract<EventType, "participant_joined" | "participant_left" | "track_published" | "track_unpublished" | "room_finished">;

const RECORDED: Record<string, RoomEventType> = {
  participant_joined: "participant_joined",
  participant_left: "participant_left",
  track_published: "track_published",
  track_unpublished: "track_unpublished",
  room_finished: "room_finished",
};

/** Turns verified LiveKit webhooks into interview events. */
export class RoomEventService {
  constructor(private readonly deps: { store: Store; timeline: Timeline; seats: RoomSeats; oneCamera: OneCameraPolicy; now: () => Date }) {}

  /** Records the webhook on its interview; returns false when it is not one the kit tracks. */
  async handle(hook: RoomWebhook): Promise<boolean> {
    const type = RECORDED[hook.event];
    if (!type || !hook.room) return false;
    const interview = await this.deps.store.findInterviewByRoom(hook.room);
    if (!interview) return false;
    const identity = hook.participantIdentity;
    const role = !identity
      ? undefined
      : identity.startsWith(CANDIDATE_IDENTITY_PREFIX)
        ? "candidate"
        : identity.startsWith(MONITOR_IDENTITY_PREFIX)
          ? "monitor"
          : "interviewer";
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
    if (type === "participant_joined" && identity) await this.admit(interview, identity, role === "candidate");
    // Any video the candidate publishes besides its one camera (whatever source it declares) is a decoy.
    if (type === "track_published" && identity && role === "candidate" && hook.trackKind === "VIDEO") {
      await this.deps.oneCamera.enforce(interview, identity, "webhook");
    }
    return true;
  }

  /**
   * Enforces who may stay in the room once LiveKit has let someone in: nobody
   * after the interview has ended (a token issued before the end must be
   * worthless), and one candidate identity, the one last issued a token.
   */
  private async admit(interview: InterviewRecord, identity: string, candidate: boolean): Promise<void> {
    const { seats } = this.deps;
    if (interview.status === "ended") return seats.remove(interview, identity, "interview_ended");
    if (!candidate) return this.admitInterviewer(interview, identity);
    const current = await seats.currentCandidate(interview.id);
    // A superseded session's token, still within its lifetime, does not push the current candidate out.
    if (current && current !== identity) return seats.remove(interview, identity, "superseded");
    await seats.replaceCandidates(interview, identity, current, undefined, { sweepRoom: true });
  }

  /**
   * An interviewer identity stays only while the link that issued it is the current one and unexpired.
   * LiveKit refreshes a connected participant's token every few minutes, so a leaked link's holder
   * removed at rotation could otherwise reconnect on the refreshed token for the rest of the interview.
   */
  private async admitInterviewer(interview: InterviewRecord, identity: string): Promise<void> {
    const events = await this.deps.timeline.history.of(interview.id);
    const issued = events.findLast((e) => e.type === "interviewer_link_opened" && (e.data as { identity?: string }).identity === identity);
    const rotated = events.findLast((e) => e.type === "interviewer_link_rotated");
    if (!issued) return;
    if (rotated && rotated.id > issued.id) return this.deps.seats.remove(interview, identity, "link_rotated");
    if (interview.interviewerExpiresAt && Date.parse(interview.interviewerExpiresAt) <= this.deps.now().getTime()) {
      return this.deps.seats.remove(interview, identity, "link_expired");
    }
  }
}
