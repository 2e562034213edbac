import { randomInt } from "node:crypto";
import type { MonitorEvent, MonitorJob, MonitorReply, MonitorReport, MonitorSettings } from "../../shared/monitor-job.js";
import { type Rechallenge, RECHALLENGE_STEPS, type ReferenceAccepted } from "../../shared/monitoring.js";
import { AppError } from "../errors/index.js";
import type { OneCameraPolicy } from "../interviews/index.js";
import type { RequestMeta, Timeline } from "../timeline/index.js";
import type { VideoRooms } from "../livekit/index.js";
import { hashSecret, newId, newSecret, sameHash } from "../security/index.js";
import type { InterviewRecord, MonitorRecord, Store } from "../store/index.js";
import { CANDIDATE_IDENTITY_PREFIX } from "../verification/index.js";

/** Time limits of monitoring, in ms. */
export const MONITOR_LIMITS = {
  /** A monitor neither started nor heard from this long is lost, and the next join dispatches another. */
  silenceMs: 15_000,
  /** How long the candidate has for a re-challenge: the face fit, the pause, the move and the round trips. */
  rechallengeMs: 30_000,
  /** The pause before a re-challenge prompt is drawn from this range, like the verification's pauses. */
  rechallengeDelayMs: [600, 1_500] as const,
} as const;

/** The `step` of snapshots the monitor took (a verification's are -1 for the fit, else the step index). */
export const MONITOR_SNAPSHOT_STEP = -2;

export interface MonitorServiceDeps {
  store: Store;
  timeline: Timeline;
  rooms: VideoRooms;
  settings: MonitorSettings;
  /** Base URL the monitor jobs report to. */
  internalUrl: string;
  /** Acts on a decoy track the monitor saw, as the webhook path does. */
  oneCamera: OneCameraPolicy;
  /** The candidate identity the kit admitted last: the one the monitor watches. */
  currentCandidate: (interviewId: string) => Promise<string | undefined>;
  now: () => Date;
}

/**
 * The server-side interview monitor, from the kit's side: dispatches one
 * monitor job per interview when the candidate is let in, takes its reports
 * as interview events, and hands it the interviewer's re-challenges. The
 * interviewer's browser no longer decides anything about the candidate.
 */
export class MonitorService {
  constructor(private readonly deps: MonitorServiceDeps) {}

  /** Dispatches a monitor unless a live one already watches the interview. Never fails the candidate's join. */
  async ensure(interview: InterviewRecord): Promise<boolean> {
    const { store, rooms, now } = this.deps;
    const at = now();
    const liveSince = new Date(at.getTime() - MONITOR_LIMITS.silenceMs).toISOString();
    // Most joins find a live monitor: a read answers them without a write transaction or a new secret.
    const active = await store.monitoring.activeMonitor(interview.id);
    if (active && [active.startedAt, active.heartbeatAt ?? ""].some((t) => t >= liveSince)) return false;
    const token = newSecret();
    const record: MonitorRecord = {
      id: newId("mon"),
      interviewId: interview.id,
      callbackHash: hashSecret(token),
      startedAt: at.toISOString(),
      heartbeatAt: null,
      endedAt: null,
    };
    if (!(await store.monitoring.createMonitor(record, liveSince))) return false;
    const job: MonitorJob = {
      kind: "monitor",
      monitorId: record.id,
      interviewId: interview.id,
      room: interview.room,
      candidatePrefix: CANDIDATE_IDENTITY_PREFIX,
      reportUrl: `${this.deps.internalUrl}/internal/monitor/${record.id}`,
      reportToken: token,
    };
    try {
      await rooms.startMonitor(interview.room, JSON.stringify(job));
      return true;
    } catch (err) {
      // The interview goes on without a monitor; the interviewer sees no `monitor_started` and a re-check is refused.
      console.error(`monitor for interview ${interview.id} could not be dispatched: ${(err as Error).message}`);
      await store.monitoring.endMonitor(record.id, now().toISOString());
      return false;
    }
  }

  /** What the monitor compares with: the face an interviewer accepted last, else the interview's first verified face. */
  private async reference(interviewId: string) {
    return this.deps.store.monitoring.referenceOf(interviewId);
  }

  /**
   * The interviewer accepts the face of a later pass in this interview (named by its check) as the
   * reference, in place of the first: after a legitimate change of person, or a first pass they doubt.
   * Recorded as `reference_accepted`; the monitor learns of it from its next reply and asks for the face.
   */
  async acceptReference(interview: InterviewRecord, challengeId: string, meta: RequestMeta): Promise<ReferenceAccepted> {
    const { store, timeline, now } = this.deps;
    const current = await this.reference(interview.id);
    if (!current) throw new AppError("no_reference_face", "This interview has no verified face stored to accept", "challengeId");
    if (current.challengeId === challengeId) return { challengeId, previousChallengeId: challengeId };
    if (!(await store.monitoring.acceptTemplate(interview.id, challengeId, now().toISOString()))) {
      const known = (await store.getChallenge(challengeId))?.interviewId === interview.id;
      throw known
        ? new AppError("no_reference_face", "That check stored no face (it did not pass, or its face was not kept)", "challengeId")
        : new AppError("challenge_unknown", "No such check in this interview", "challengeId");
    }
    const accepted: ReferenceAccepted = { challengeId, previousChallengeId: current.challengeId };
    await timeline.record(interview, { type: "reference_accepted", actor: "interviewer", ...meta, data: { ...accepted } });
    return accepted;
  }

  /**
   * Ends monitors that stopped reporting (their job process crashed, or their worker died). Where
   * the admitted candidate is still in the room, the loss is recorded as `monitor_lost` and another
   * monitor is dispatched at once, instead of at the candidate's next join. A monitor that went
   * quiet because its room closed or its candidate left is ended without an event. Safe to run from
   * several kit processes: each monitor is ended, and its loss recorded, once.
   */
  async sweep(): Promise<number> {
    const { store, rooms, timeline, now } = this.deps;
    const at = now();
    const liveSince = new Date(at.getTime() - MONITOR_LIMITS.silenceMs).toISOString();
    let lost = 0;
    for (const monitor of await store.monitoring.silentMonitors(liveSince, 100)) {
      if (!(await store.monitoring.endSilentMonitor(monitor.id, liveSince, at.toISOString()))) continue;
      const interview = await store.getInterview(monitor.interviewId);
      if (!interview || interview.status === "ended" || interview.status === "expired") continue;
      const candidate = await this.deps.currentCandidate(interview.id);
      const present = await rooms.listParticipants(interview.room).catch((): string[] => []);
      const inRoom = candidate !== undefined && present.includes(candidate);
      if (!inRoom) continue;
      const heardAt = Date.parse(monitor.heartbeatAt ?? monitor.startedAt);
      const data = { monitorId: monitor.id, silentSeconds: Math.round((at.getTime() - heardAt) / 1000) };
      await timeline.record(interview, { type: "monitor_lost", actor: "system", data });
      lost++;
      await this.ensure(interview);
    }
    return lost;
  }

  /** Authenticates a monitor job's report: the bearer secret was only ever in the job's dispatch metadata. */
  async authenticate(monitorId: string, bearer: string | undefined): Promise<MonitorRecord> {
    const monitor = await this.deps.store.monitoring.getMonitor(monitorId);
    if (!monitor || !bearer || !sameHash(hashSecret(bearer), monitor.callbackHash)) {
      throw new AppError("unauthorized", "Unknown monitor or wrong monitor credentials");
    }
    return monitor;
  }

  /** Records a monitor's report and answers with what it must do next. */
  async report(monitor: MonitorRecord, report: MonitorReport): Promise<MonitorReply> {
    const { store, now } = this.deps;
    const interview = await store.getInterview(monitor.interviewId);
    const at = now().toISOString();
    if (!interview || monitor.endedAt || interview.status === "ended" || interview.status === "expired") {
      await store.monitoring.endMonitor(monitor.id, at);
      return { ended: true, commands: [] };
    }
    await store.monitoring.touchMonitor(monitor.id, at);
    if (report.type === "event") await this.record(interview, monitor, report.event);
    if (report.type === "judging" && report.identity.startsWith(CANDIDATE_IDENTITY_PREFIX)) {
      const data = { identity: report.identity, trackSid: report.trackSid };
      await this.deps.timeline.record(interview, { type: "camera_judged", actor: "monitor", data });
    }
    if (report.type === "extra_video" && report.identity.startsWith(CANDIDATE_IDENTITY_PREFIX)) {
      await this.deps.oneCamera.enforce(interview, report.identity, "monitor");
    }
    const candidate = (await this.deps.currentCandidate(interview.id)) ?? null;
    if (report.type === "hello") {
      if (!monitor.heartbeatAt) await this.deps.timeline.record(interview, { type: "monitor_started", actor: "monitor", data: { monitorId: monitor.id } });
      // The first verified face holds for the interview: a later pass by someone else in the same interview
      // does not become what the monitor compares with unless an interviewer accepts it (review 2, finding 5).
      const reference = await this.reference(interview.id);
      const referenceId = reference?.challengeId ?? null;
      return { ended: false, commands: [], reference: reference ? Array.from(reference.vector) : null, referenceId, settings: this.deps.settings, candidate };
    }
    // Every heartbeat asks: the check's id only, not the 4 KB vector (the monitor asks for the face when it changes).
    const referenceId = (await this.deps.store.monitoring.referenceIdOf(interview.id)) ?? null;
    const commands = (await store.monitoring.takeRechallenges(interview.id, at)).map((r) => ({
      type: "rechallenge" as const,
      rechallengeId: r.id,
      step: r.step,
      delayMs: r.delayMs,
    }));
    return { ended: false, commands, candidate, referenceId };
  }

  /** The interviewer's re-check: queued for the interview's monitor, which prompts and judges it. */
  async rechallenge(interview: InterviewRecord, meta: RequestMeta): Promise<Rechallenge> {
    const { store, now } = this.deps;
    const at = now();
    const monitor = await store.monitoring.activeMonitor(interview.id);
    const heardAt = monitor?.heartbeatAt ? Date.parse(monitor.heartbeatAt) : 0;
    if (!monitor || at.getTime() - heardAt > MONITOR_LIMITS.silenceMs) {
      throw new AppError("verifier_unavailable", "No monitor is watching this interview yet; try again once the candidate is in the room");
    }
    const [lo, hi] = MONITOR_LIMITS.rechallengeDelayMs;
    const record = {
      id: newId("rc"),
      interviewId: interview.id,
      step: RECHALLENGE_STEPS[randomInt(RECHALLENGE_STEPS.length)]!,
      delayMs: lo + randomInt(hi - lo + 1),
      state: "pending" as const,
      issuedAt: at.toISOString(),
      expiresAt: new Date(at.getTime() + MONITOR_LIMITS.rechallengeMs).toISOString(),
      sentAt: null,
    };
    if (!(await store.monitoring.issueRechallenge(record, at.toISOString()))) {
      throw new AppError("challenge_open", "A re-challenge is already running for this interview");
    }
    const answer: Rechallenge = { rechallengeId: record.id, step: record.step, expiresAt: record.expiresAt };
    await this.deps.timeline.record(interview, { type: "rechallenge_sent", actor: "interviewer", ...meta, data: { ...answer } });
    return answer;
  }

  private async record(interview: InterviewRecord, monitor: MonitorRecord, event: MonitorEvent): Promise<void> {
    const { store, timeline, now } = this.deps;
    if (event.type === "rechallenge_result") {
      const rc = await store.monitoring.getRechallenge(event.rechallengeId);
      if (!rc || rc.interviewId !== interview.id) throw new AppError("challenge_unknown", "No such re-challenge for this interview", "rechallengeId");
      if (!(await store.monitoring.finishRechallenge(rc.id, event.passed ? "passed" : "failed"))) {
        throw new AppError("challenge_finished", "This re-challenge already has a result");
      }
      const { type, ...data } = event;
      await timeline.record(interview, { type, actor: "monitor", data: { ...data, step: rc.step } });
      return;
    }
    if (event.type === "face_mismatch") {
      const { snapshot, type, ...data } = event;
      // A mismatch is against a reference, so the snapshot is filed under the verification that produced it.
      const reference = await this.reference(interview.id);
      const [snapshotId] =
        snapshot && reference
          ? await store.saveSnapshots([
              {
                interviewId: interview.id,
                challengeId: reference.challengeId,
                step: MONITOR_SNAPSHOT_STEP,
                t: 0,
                jpeg: Buffer.from(snapshot, "base64"),
                createdAt: now().toISOString(),
              },
            ])
          : [];
      await timeline.record(interview, { type, actor: "monitor", data: { ...data, ...(snapshotId ? { snapshotId, monitorId: monitor.id } : {}) } });
      return;
    }
    const { type, ...data } = event;
    await timeline.record(interview, { type, actor: "monitor", data });
  }
}
