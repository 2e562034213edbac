import type { JoinGrant } from "../../shared/candidate.js";
import type { InterviewWithEvents } from "../../shared/interview.js";
import { resolveLink, type InterviewService, type RequestMeta, type Timeline } from "../interviews/index.js";
import type { VideoRooms } from "../livekit/index.js";
import { newId } from "../security/index.js";
import type { Store } from "../store/index.js";

export interface InterviewerServiceDeps {
  store: Store;
  timeline: Timeline;
  rooms: VideoRooms;
  interviews: InterviewService;
  now: () => Date;
}

/** The interviewer's link: read the interview and its evidence, and join the room as admin. */
export class InterviewerService {
  constructor(private readonly deps: InterviewerServiceDeps) {}

  /** The interview with its events, for the interviewer page. */
  async view(token: string): Promise<InterviewWithEvents> {
    const interview = await resolveLink(this.deps.store, "interviewer", token, this.deps.now());
    return this.deps.interviews.withEvents(interview);
  }

  /** A room-admin LiveKit token for the interview's room. */
  async join(token: string, meta: RequestMeta): Promise<JoinGrant> {
    const interview = await resolveLink(this.deps.store, "interviewer", token, this.deps.now());
    const identity = newId("interviewer");
    await this.deps.rooms.ensureRoom(interview.room, { interviewId: interview.id });
    const lkToken = await this.deps.rooms.interviewerToken(interview.room, identity, "Interviewer");
    await this.deps.timeline.record(interview, { type: "interviewer_link_opened", actor: "interviewer", ...meta, data: { identity } });
    return { serverUrl: this.deps.rooms.publicUrl, token: lkToken, room: interview.room, identity };
  }
}
