import type { JoinGrant } from "../../shared/candidate.js";
import type { InterviewWithEvents, StreamEvent } from "../../shared/interview.js";
import type { Rechallenge, ReferenceAccepted } from "../../shared/monitoring.js";
import { INTERVIEWER_IDENTITY_PREFIX } from "../../shared/monitoring.js";
import type { ObservationInput, ObservationRecorded } from "../../shared/observations.js";
import type { InterviewService, ObservationService, RoomSeats } from "../interviews/index.js";
import { resolveLink, type RequestMeta, type Timeline } from "../timeline/index.js";
import type { VideoRooms } from "../livekit/index.js";
import type { MonitorService } from "../monitor/index.js";
import { newId } from "../security/index.js";
import type { InterviewRecord, Store } from "../store/index.js";
import { hideOtherCandidates } from "../personal/index.js";

export interface InterviewerServiceDeps {
  store: Store;
  timeline: Timeline;
  rooms: VideoRooms;
  interviews: InterviewService;
  seats: RoomSeats;
  monitor: MonitorService;
  observations: ObservationService;
  now: () => Date;
}

/** The interviewer's link: read the interview and its evidence, and join the room as admin. */
export class InterviewerService {
  constructor(private readonly deps: InterviewerServiceDeps) {}

  private link(token: string): Promise<InterviewRecord> {
    return resolveLink(this.deps.store, "interviewer", token, this.deps.now());
  }

  /** Asks the interview's monitor for a re-challenge; the monitor prompts the candidate and judges the move. */
  async rechallenge(token: string, meta: RequestMeta): Promise<Rechallenge> {
    return this.deps.monitor.rechallenge(await this.link(token), meta);
  }

  /** Accepts a later pass's face as the one the monitor compares with. */
  async acceptReference(token: string, challengeId: string, meta: RequestMeta): Promise<ReferenceAccepted> {
    return this.deps.monitor.acceptReference(await this.link(token), challengeId, meta);
  }

  /** Records the interviewer's checklist observations. */
  async observe(token: string, input: ObservationInput, meta: RequestMeta): Promise<ObservationRecorded> {
    return this.deps.observations.record(await this.link(token), input, "interviewer_link", meta);
  }

  /** Ends the interview for everyone: the LiveKit room is deleted and the status becomes `ended`. */
  async end(token: string, meta: RequestMeta): Promise<void> {
    const interview = await this.link(token);
    await this.deps.rooms.deleteRoom(interview.room);
    await this.deps.timeline.record(interview, { type: "interview_ended", actor: "interviewer", ...meta });
  }

  /**
   * The interview's events as they are recorded, for the interviewer page's live panel. The link is
   * checked when the stream opens; events recorded by other kit processes reach the page through its
   * slower full refresh.
   */
  async stream(token: string): Promise<(signal: AbortSignal) => AsyncGenerator<StreamEvent, void, undefined>> {
    const interview = await this.link(token);
    return (signal) => this.deps.timeline.events(signal, undefined, interview.id);
  }

  /** Whether `token` is still the interview's current, unexpired interviewer link. */
  async linkStillValid(token: string): Promise<boolean> {
    return this.link(token).then(
      () => true,
      () => false,
    );
  }

  /** The interview with its events, for the interviewer page. */
  async view(token: string): Promise<InterviewWithEvents> {
    const interview = await this.deps.interviews.withEvents(await this.link(token));
    // The link shows that this face matched another interview, not whose it was.
    return { ...interview, events: hideOtherCandidates(interview.events) };
  }

  /** A LiveKit token for the interview's room: join, watch, publish camera and microphone (no admin rights). */
  async join(token: string, meta: RequestMeta): Promise<JoinGrant> {
    const interview = await this.link(token);
    // newId gives "interviewer_…", the prefix the candidate page trusts for control messages.
    const identity = newId(INTERVIEWER_IDENTITY_PREFIX.slice(0, -1));
    await this.deps.rooms.ensureRoom(interview.room, { interviewId: interview.id });
    // Candidates never keep the interviewer out: superseded candidate identities leave a full room.
    await this.deps.seats.makeRoomForInterviewer(interview);
    const lkToken = await this.deps.rooms.interviewerToken(interview.room, identity, "Interviewer");
    await this.deps.timeline.record(interview, { type: "interviewer_link_opened", actor: "interviewer", ...meta, data: { identity } });
    return { serverUrl: this.deps.rooms.publicUrl, token: lkToken, room: interview.room, identity };
  }
}
