import type { DeviceReuseService } from "../devices/index.js";
import type { NetworkReuseService } from "../networks/index.js";
import type { CameraReport, CandidateSession, CandidateView, JoinGrant, Recorded, SessionStatus } from "../../shared/candidate.js";
import type { EnvironmentReport, NetworkReport } from "../../shared/signals.js";
import { AppError } from "../errors/index.js";
import type { RoomSeats } from "../interviews/index.js";
import type { RequestMeta, Timeline } from "../timeline/index.js";
import type { VideoRooms } from "../livekit/index.js";
import type { MonitorService } from "../monitor/index.js";
import { silentSession } from "../signals/index.js";
import { hashSecret, newId, newSecret } from "../security/index.js";
import type { CandidateSessionRecord, InterviewRecord, Store } from "../store/index.js";
import { candidateIdentity } from "../verification/index.js";

export interface CandidateServiceDeps {
  store: Store;
  timeline: Timeline;
  rooms: VideoRooms;
  seats: RoomSeats;
  /** Starts the interview room's monitor when a candidate is let in. */
  monitor: MonitorService;
  maxAttempts: number;
  maxSessionsPerLink: number;
  /** Accept Chromium's file-backed fake camera: test configurations only. */
  allowFakeCamera: boolean;
  /** TEMPLATE_RETENTION_DAYS, told to the candidate before consent. */
  faceTemplateDays: number;
  /** Laptop farms: where the candidate connects from, against other interviews (absent: not checked). */
  networks?: NetworkReuseService;
  /** Finds the session's reported machine under other names (laptop farms); checked at each join. */
  devices?: DeviceReuseService;
  now: () => Date;
}

/**
 * The candidate's path around the verification: open the link, start a
 * session, report the camera and environment, join. The link and session are
 * resolved by the route's middleware; the join is refused until the server
 * has recorded a pass for that session.
 */
export class CandidateService {
  constructor(private readonly deps: CandidateServiceDeps) {}

  /** Records an open of the link (IP, user agent, time) and returns what the page shows. */
  async open(interview: InterviewRecord, meta: RequestMeta): Promise<CandidateView> {
    await this.deps.timeline.record(interview, { type: "link_opened", actor: "candidate", ...meta });
    await this.deps.networks?.check(interview, meta.ip);
    const used = await this.deps.store.countAttempts(interview.id);
    return {
      interviewId: interview.id,
      candidateName: interview.candidateName,
      status: interview.status,
      expiresAt: interview.expiresAt,
      attemptsLeft: Math.max(0, this.deps.maxAttempts - used),
      allowFakeCamera: this.deps.allowFakeCamera,
      faceTemplateDays: this.deps.faceTemplateDays,
      document: interview.documentMode ?? "off",
    };
  }

  /** Starts a candidate session after consent; its key authorises the later calls. At most `maxSessionsPerLink`. */
  async startSession(interview: InterviewRecord, meta: RequestMeta): Promise<CandidateSession> {
    const sessionKey = newSecret();
    const created = await this.deps.store.createSession(
      {
        id: newId("cs"),
        interviewId: interview.id,
        keyHash: hashSecret(sessionKey),
        createdAt: this.deps.now().toISOString(),
        ip: meta.ip,
        userAgent: meta.userAgent,
        verifiedAt: null,
      },
      this.deps.maxSessionsPerLink,
    );
    if (!created) {
      throw new AppError("sessions_exhausted", "This link has started too many sessions. Ask the interviewer for a new link.");
    }
    return { sessionKey, verified: false };
  }

  /** Whether a session has passed, so a reloaded page can skip straight to joining. */
  sessionStatus(session: CandidateSessionRecord): SessionStatus {
    return { verified: session.verifiedAt !== null };
  }

  /** Records the camera outcome; a refusal is the advisory's first red flag. */
  async reportCamera(interview: InterviewRecord, session: CandidateSessionRecord, report: CameraReport, meta: RequestMeta): Promise<Recorded> {
    const type =
      report.status === "granted"
        ? "camera_granted"
        : report.failure === "PermissionDenied"
          ? "camera_refused"
          : "camera_unavailable";
    const { status: _status, ...data } = report;
    await this.deps.timeline.record(interview, { type, actor: "candidate", ...meta, data: { ...data, sessionId: session.id } });
    if (report.status === "granted" && report.suspicions?.length) {
      await this.deps.timeline.record(interview, {
        type: "virtual_camera_suspected",
        actor: "candidate",
        ...meta,
        data: { suspicions: report.suspicions, sessionId: session.id },
      });
    }
    // Once the camera and the environment are both in (either may come first), the device is known.
    if (type === "camera_granted") await this.deps.devices?.check(interview, session);
    return { recorded: type };
  }

  /** Records the browser's time zone, language and connection, or its WebRTC network path, as reported values. */
  async reportSignals(
    interview: InterviewRecord,
    session: CandidateSessionRecord,
    report: { type: "environment_reported"; data: EnvironmentReport } | { type: "network_reported"; data: NetworkReport },
    meta: RequestMeta,
  ): Promise<Recorded> {
    const { type } = report;
    // With the session that sent it, so a join can tell whether its own session reported anything;
    // one call per type, so each is checked against its own event data.
    const { timeline } = this.deps;
    const sessionId = session.id;
    if (report.type === "environment_reported") {
      await timeline.record(interview, { type: report.type, actor: "candidate", ...meta, data: { ...report.data, sessionId } });
      await this.deps.devices?.check(interview, session);
    } else await timeline.record(interview, { type: report.type, actor: "candidate", ...meta, data: { ...report.data, sessionId } });
    return { recorded: type };
  }

  /** Issues the interview room's LiveKit token, only to a session whose pass the server recorded. */
  async join(interview: InterviewRecord, session: CandidateSessionRecord | undefined, meta: RequestMeta): Promise<JoinGrant> {
    // Without a session or without a pass the answer is the same: the gate is closed.
    if (!session?.verifiedAt) {
      throw new AppError(
        "verification_required",
        "Verification has not been passed for this session; complete the camera and liveness check first",
      );
    }
    const identity = candidateIdentity(session.id);
    await this.deps.rooms.ensureRoom(interview.room, { interviewId: interview.id });
    const previous = await this.deps.seats.currentCandidate(interview.id);
    const lkToken = await this.deps.rooms.candidateToken(interview.room, identity, interview.candidateName);
    // Before the token's own event, so the risk level recorded with the join already counts the silence.
    await this.recordSilence(interview, session, identity, meta);
    await this.deps.timeline.record(interview, { type: "token_issued", actor: "candidate", ...meta, data: { identity } });
    await this.deps.networks?.check(interview, meta.ip);
    await this.deps.devices?.check(interview, session);
    // One candidate identity per interview: this session's replaces any earlier one, in the room or not yet joined.
    await this.deps.seats.replaceCandidates(interview, identity, previous, meta);
    // The monitor waits in the room for this identity; a live one from an earlier join keeps watching.
    await this.deps.monitor.ensure(interview);
    return { serverUrl: this.deps.rooms.publicUrl, token: lkToken, room: interview.room, identity };
  }

  /**
   * Records `signals_missing` (a review flag) once for a session that joins having sent none of the
   * reports the kit's page always sends: `/camera` and `/environment` before the join (`/network`
   * follows it, so it counts only on a later join). A script that sends nothing would otherwise skip
   * the time-zone, clock and round-trip rules and score cleaner than an honest browser (review 2,
   * finding 15).
   */
  private async recordSilence(interview: InterviewRecord, session: CandidateSessionRecord, identity: string, meta: RequestMeta): Promise<void> {
    if (!silentSession(await this.deps.store.listEvents(interview.id), session.id)) return;
    await this.deps.timeline.record(interview, { type: "signals_missing", actor: "candidate", ...meta, data: { sessionId: session.id, identity } });
  }
}
