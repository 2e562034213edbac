import { INTERVIEWER_IDENTITY_PREFIX } from "../../shared/monitoring.js";
import { ROOM_LIMITS, type VideoRooms } from "../livekit/index.js";
import type { InterviewRecord, Store } from "../store/index.js";
import { CANDIDATE_IDENTITY_PREFIX } from "../verification/index.js";
import type { RequestMeta, Timeline } from "../timeline/index.js";

const isCandidate = (identity: string) => identity.startsWith(CANDIDATE_IDENTITY_PREFIX);
const isInterviewer = (identity: string) => identity.startsWith(INTERVIEWER_IDENTITY_PREFIX);

export interface RoomSeatsDeps {
  store: Store;
  timeline: Timeline;
  rooms: VideoRooms;
  /** The room's participant limit; `ROOM_LIMITS.maxParticipants` unless a test needs another. */
  maxParticipants?: number;
}

/**
 * Who may hold a place in an interview room: one candidate identity (the one
 * the kit last issued a room token to) and always a place for the interviewer.
 */
export class RoomSeats {
  private readonly maxParticipants: number;

  constructor(private readonly deps: RoomSeatsDeps) {
    this.maxParticipants = deps.maxParticipants ?? ROOM_LIMITS.maxParticipants;
  }

  /** The candidate identity the kit last issued a room token to: the interview's one candidate. */
  async currentCandidate(interviewId: string): Promise<string | undefined> {
    const events = await this.deps.timeline.history.of(interviewId);
    for (let i = events.length - 1; i >= 0; i--) {
      const e = events[i]!;
      if (e.type === "token_issued" && !e.legacy) return e.data.identity;
    }
    return undefined;
  }

  /**
   * Makes `identity` the interview's only candidate: every other candidate
   * identity in the room is removed, and each superseded identity (in the room,
   * or the one the previous token went to) is recorded as `candidate_replaced`.
   */
  async replaceCandidates(
    interview: InterviewRecord,
    identity: string,
    previous: string | undefined,
    meta?: RequestMeta,
    options: { sweepRoom?: boolean } = {},
  ): Promise<void> {
    // Candidate identities only come from tokens issued here: before the first one the room has none to remove.
    // When the same identity joins again, every other one was removed when it was superseded, and one that comes
    // back with an old token is removed by the participant_joined webhook; so by default only a change of
    // identity sweeps the room. The webhook itself sweeps always (`sweepRoom`), in case an earlier one was lost.
    const sweep = previous !== undefined && (options.sweepRoom || previous !== identity);
    const participants = sweep ? await this.deps.rooms.listParticipants(interview.room) : [];
    const inRoom = participants.filter((p) => isCandidate(p) && p !== identity);
    const superseded = new Set(inRoom);
    if (previous && previous !== identity) superseded.add(previous);
    for (const old of superseded) {
      const removed = inRoom.includes(old);
      if (removed) await this.deps.rooms.removeParticipant(interview.room, old);
      await this.deps.timeline.record(interview, {
        type: "candidate_replaced",
        actor: "system",
        ...meta,
        data: { identity: old, replacedBy: identity, removed },
      });
    }
  }

  /** Removes a participant the kit refuses (`reason`) and records it. */
  async remove(interview: InterviewRecord, identity: string, reason: "interview_ended" | "superseded" | "room_full" | "link_rotated" | "link_expired" | "extra_video_track") {
    await this.deps.rooms.removeParticipant(interview.room, identity);
    await this.deps.timeline.record(interview, {
      type: "participant_removed",
      actor: "system",
      data: { identity, role: isCandidate(identity) ? "candidate" : "interviewer", reason },
    });
  }

  /**
   * Frees a place for an interviewer about to join: when the room is full,
   * candidate identities other than the current one are removed. Candidates
   * therefore never keep the interviewer out.
   */
  async makeRoomForInterviewer(interview: InterviewRecord): Promise<void> {
    const participants = await this.deps.rooms.listParticipants(interview.room);
    if (participants.length < this.maxParticipants) return;
    const current = await this.currentCandidate(interview.id);
    for (const p of participants.filter((id) => isCandidate(id) && id !== current)) {
      await this.remove(interview, p, "room_full");
    }
  }

  /** Removes every interviewer participant, after the interviewer link was rotated. */
  async removeInterviewers(interview: InterviewRecord): Promise<void> {
    for (const p of (await this.deps.rooms.listParticipants(interview.room)).filter(isInterviewer)) {
      await this.remove(interview, p, "link_rotated");
    }
  }
}
