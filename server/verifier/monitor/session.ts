import { randomInt } from "node:crypto";
import {
  type Participant,
  type RemoteParticipant,
  type RemoteTrack,
  type RemoteTrackPublication,
  type Room,
  RoomEvent,
  type TrackPublication,
  TrackKind,
  TrackSource,
  VideoBufferType,
  type VideoFrame,
  VideoStream,
} from "@livekit/rtc-node";
import type { MonitorCommand, MonitorEvent, MonitorJob, MonitorReply, MonitorSettings } from "../../../shared/monitor-job.js";
import { VERIFIER_TOPIC, type VerifierMessage } from "../../../shared/verification.js";
import { cosine, normalize } from "../../identity/template.js";
import type { FaceAnalyzer, RgbFrame } from "../analyzer/index.js";
import { generateTargetPath } from "../../../shared/target-path.js";
import { analysable, frameTime, halve } from "../frames.js";
import { ReactiveJudge } from "../judge/reactive-judge.js";
import { toObservation } from "../session.js";
import type { MonitorKit } from "./kit-client.js";
import { CompareSchedule } from "./compare-schedule.js";
import { MOTION } from "./motion-settings.js";
import { MotionWatch } from "./motion-watch.js";
import { MonitorTracker, type TrackerOutput } from "./tracker.js";

export interface MonitorOptions {
  /** How often face presence and count are checked. */
  sampleMs: number;
  /** Analysed frames per second while a re-challenge runs. */
  rechallengeFps: number;
  heartbeatMs: number;
}

const DEFAULTS: MonitorOptions = { sampleMs: 500, rechallengeFps: 10, heartbeatMs: 1_000 };
/** A kit that has not answered for this long is gone (or has replaced this monitor): leave the room. */
const KIT_LOST_MS = 60_000;

interface RunningRechallenge {
  id: string;
  judge: ReactiveJudge;
  startedAt: number;
}

/**
 * The interview monitor inside the interview room: follows the one candidate
 * identity, decodes its camera, checks presence and face count twice a
 * second, compares the face with the verified reference about once a second,
 * and runs the interviewer's re-challenges on the frames it decodes itself.
 * Everything it decides goes to the kit as events.
 */
export class MonitorSession {
  private readonly options: MonitorOptions;
  private readonly started = performance.now();
  private tracker: MonitorTracker | undefined;
  /** Whether the camera shows live video: no still picture, no loop (`static_video`, `looped_video`). */
  private readonly motion = new MotionWatch(MOTION);
  private settings: MonitorSettings | undefined;
  private reference: Float32Array | undefined;
  /** The check whose face `reference` is, as the kit named it; a reply naming another makes the monitor ask again. */
  private referenceId: string | null | undefined;
  private refreshingReference = false;
  private schedule: CompareSchedule | undefined;
  private candidate: string | undefined;
  /** The one camera track this monitor judges: the candidate's first camera, while it stays published. */
  private cameraSid: string | undefined;
  private latest: { frame: VideoFrame; at: number } | undefined;
  private drainId = 0;
  /** The candidate identity the kit admitted last (from its replies); undefined until it names one. */
  private current: string | undefined;
  private listening = false;
  private rechallenge: RunningRechallenge | undefined;
  private outbox: Promise<unknown> = Promise.resolve();
  private ended = false;
  private lastAnswer = 0;
  /** Analysed frames and time in the analyser, for the benchmark. */
  readonly stats = { analysed: 0, compared: 0, analyserMs: 0 };

  constructor(
    private readonly room: Room,
    private readonly job: MonitorJob,
    private readonly analyzer: FaceAnalyzer,
    private readonly kit: MonitorKit,
    options: Partial<MonitorOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  private now(): number {
    return performance.now() - this.started;
  }

  /** Runs until the interview ends or the room goes away. */
  async run(): Promise<void> {
    if (!(await this.hello())) return;
    this.room
      .on(RoomEvent.ParticipantConnected, (p: RemoteParticipant) => this.joined(p))
      .on(RoomEvent.ParticipantDisconnected, (p: RemoteParticipant) => this.left(p))
      .on(RoomEvent.TrackSubscribed, (track: RemoteTrack, pub: RemoteTrackPublication, p: RemoteParticipant) => this.subscribed(track, pub, p))
      .on(RoomEvent.TrackUnsubscribed, (_t: RemoteTrack, pub: RemoteTrackPublication, p: RemoteParticipant) => {
        if (this.isCamera(pub, p)) this.emit(this.tracker!.videoOff(this.now(), "unpublished"));
      })
      .on(RoomEvent.TrackMuted, (pub: TrackPublication, p: Participant) => {
        if (this.isCamera(pub, p)) this.emit(this.tracker!.videoOff(this.now(), "muted"));
      })
      .on(RoomEvent.TrackUnmuted, (pub: TrackPublication, p: Participant) => {
        if (this.isCamera(pub, p)) this.emit(this.tracker!.videoStarted(this.now()));
      })
      .on(RoomEvent.Disconnected, () => void (this.ended = true));
    for (const p of this.room.remoteParticipants.values()) {
      this.joined(p);
      for (const pub of p.trackPublications.values()) if (pub.track) this.subscribed(pub.track as RemoteTrack, pub as RemoteTrackPublication, p);
    }
    this.listening = true;
    const heartbeat = setInterval(() => void this.beat(), this.options.heartbeatMs);
    const ticker = setInterval(() => this.tickRechallenge(), 20);
    try {
      await this.loop();
    } finally {
      clearInterval(heartbeat);
      clearInterval(ticker);
      this.ended = true;
      await this.outbox.catch(() => {});
    }
  }

  private async hello(): Promise<boolean> {
    const reply = await this.kit.hello();
    if (reply.settings) {
      this.settings = reply.settings;
      this.tracker ??= new MonitorTracker(reply.settings);
    }
    if (reply.reference !== undefined) {
      this.reference = reply.reference ? normalize(reply.reference) : undefined;
      this.referenceId = reply.referenceId ?? null;
    }
    if (reply.settings) this.schedule ??= new CompareSchedule(reply.settings.matchThreshold);
    this.handle(reply);
    return !this.ended && this.tracker !== undefined;
  }

  /**
   * The interview's candidate: the identity the kit admitted last, as its replies name it. Any other
   * candidate identity in the room (a superseded session's token used for a moment) is not watched,
   * so its arrival and departure cannot switch the monitor away from the real candidate.
   */
  private isCandidate(p: RemoteParticipant): boolean {
    if (!p.identity.startsWith(this.job.candidatePrefix)) return false;
    return this.current === undefined || p.identity === this.current;
  }

  private isCamera(pub: TrackPublication, p: Participant): boolean {
    return p.identity === this.candidate && pub.kind === TrackKind.KIND_VIDEO && pub.sid === this.cameraSid;
  }

  /** The kit named `identity` as the candidate: watch it (it may already be in the room). */
  private admitted(identity: string): void {
    if (identity === this.current) return;
    this.current = identity;
    // Before the room's listeners are on, run() goes through the participants itself.
    const p = this.room.remoteParticipants.get(identity);
    if (!p || !this.listening) return;
    this.joined(p);
    for (const pub of p.trackPublications.values()) if (pub.track) this.subscribed(pub.track as RemoteTrack, pub as RemoteTrackPublication, p);
  }

  private joined(p: RemoteParticipant): void {
    if (!this.isCandidate(p)) return;
    this.candidate = p.identity;
    this.emit(this.tracker!.candidateJoined(this.now()));
    // A new candidate identity may come from a new verification: fetch its reference.
    void this.hello().catch(() => {});
  }

  private left(p: RemoteParticipant): void {
    if (p.identity !== this.candidate) return;
    this.cameraSid = undefined;
    this.motion.reset();
    this.drainId++;
    this.latest = undefined;
    this.emit(this.tracker!.candidateLeft(this.now()));
  }

  private subscribed(track: RemoteTrack, pub: RemoteTrackPublication, p: RemoteParticipant): void {
    if (!this.isCandidate(p) || track.kind !== TrackKind.KIND_VIDEO) return;
    // One video track per candidate, its first camera: anything else that carries video (another source,
    // or a second camera while the first is still published) is a decoy, reported for the kit to act on
    // (independently of LiveKit's webhook) and never judged in the camera's place.
    const judged = this.cameraSid !== undefined && p.identity === this.candidate && p.trackPublications.has(this.cameraSid);
    if (pub.source !== TrackSource.SOURCE_CAMERA || (judged && pub.sid !== this.cameraSid)) {
      this.tell(() => this.kit.extraVideo(p.identity, pub.sid!));
      return;
    }
    this.candidate = p.identity;
    if (this.cameraSid !== pub.sid) {
      this.tell(() => this.kit.judging(p.identity, pub.sid!));
      this.motion.reset();
    }
    this.cameraSid = pub.sid;
    this.emit(this.tracker!.videoStarted(this.now()));
    void this.drain(track, ++this.drainId);
  }

  private async drain(track: RemoteTrack, id: number): Promise<void> {
    // VideoStream has no backpressure: keep only the newest frame.
    const reader = new VideoStream(track).getReader();
    while (!this.ended && id === this.drainId) {
      const { value, done } = await reader.read();
      if (done) break;
      // An oversized frame is never converted (review 2, finding 14); the camera counts as sending nothing meanwhile.
      if (!analysable(value.frame)) continue;
      const at = frameTime(this.now(), value.timestampUs);
      this.latest = { frame: value.frame, at };
      this.tracker!.frame(at, value.frame.width, value.frame.height);
    }
    reader.releaseLock();
  }

  private async loop(): Promise<void> {
    let lastSample = -Infinity;
    while (!this.ended) {
      const gap = this.rechallenge ? 1000 / this.options.rechallengeFps : this.options.sampleMs;
      const wait = lastSample + gap - this.now();
      if (wait > 0) {
        await sleep(Math.min(wait, 50));
        continue;
      }
      lastSample = this.now();
      this.emit(this.tracker!.tick(lastSample));
      const latest = this.latest;
      if (!latest || !this.tracker!.videoOn) continue;
      this.latest = undefined;
      const rgb = latest.frame.convert(VideoBufferType.RGB24);
      const frame: RgbFrame = { width: rgb.width, height: rgb.height, data: rgb.data };
      // The threshold was measured down to 320x240; a thumbnail layer (the first moments of a subscription) is not compared.
      const compare = !this.rechallenge && this.reference !== undefined && frame.width >= 320 && this.schedule!.due(lastSample);
      await this.analyse(frame, latest.at, lastSample, compare).catch(() => {});
    }
  }

  /** `at` is when the frame arrived (the record's time); `sampledAt` when the loop took it (the comparisons' clock). */
  private async analyse(frame: RgbFrame, at: number, sampledAt: number, compare: boolean): Promise<void> {
    // Half size for both: faceres sees a fixed-size face crop, and at 320x240 it agrees with 640x480 to
    // cosine 0.998 (docs/identity-measurements.md), while detection costs a quarter. `frame` stays whole
    // for a mismatch snapshot.
    const input = frame.width >= 640 ? halve(frame) : { ...frame, data: frame.data.slice() };
    const t0 = performance.now();
    // The mesh (yaw) is needed only to judge a re-check; a comparison keeps it, as the threshold was measured with it.
    const analysis = await this.analyzer.analyze(input, { embedding: compare, detectOnly: !compare && !this.rechallenge });
    this.stats.analyserMs += performance.now() - t0;
    this.stats.analysed++;
    this.emit(this.tracker!.faces(at, analysis.faces.length));
    // Boxes from the mesh (comparisons) and from the detector alone differ: compare like with like.
    if (!compare) this.schedule?.sawFaces(analysis.faces);
    if (this.rechallenge) {
      this.sendJudged(this.rechallenge.judge.observe(at - this.rechallenge.startedAt, toObservation(analysis)));
    } else {
      // A re-check asks the head to move; the live-video rules judge the interview's ordinary samples only.
      const box = analysis.faces.length === 1 ? analysis.faces[0]!.box : undefined;
      this.emit(this.motion.sample(at, frame, box).map((event) => ({ event })));
    }
    if (compare && analysis.faces.length === 1 && analysis.embedding && this.reference) {
      this.stats.compared++;
      const similarity = cosine(this.reference, normalize(analysis.embedding));
      this.schedule?.compared(sampledAt, similarity);
      // Comparisons are scheduled on the sampling clock; timing the hold on it too keeps 3 s to three intervals.
      this.emit(this.tracker!.similarity(sampledAt, similarity), frame);
    }
  }

  private emit(outputs: TrackerOutput[], frame?: RgbFrame): void {
    for (const { event, wantsSnapshot } of outputs) {
      const withSnapshot = async (): Promise<MonitorEvent> => {
        if (!wantsSnapshot || !frame || event.type !== "face_mismatch") return event;
        const jpeg = await this.analyzer.encodeJpeg(frame, 80, 480).catch(() => undefined);
        return jpeg ? { ...event, snapshot: jpeg.toString("base64") } : event;
      };
      // One at a time and in order: the timeline must read as the monitor saw it.
      this.outbox = this.outbox.then(async () => this.handle(await this.kit.event(await withSnapshot()))).catch(() => {});
    }
  }

  /** Sends a report in order with the events; its answer may carry commands (a re-check), handled like any other. */
  private tell(report: () => Promise<MonitorReply>): void {
    this.outbox = this.outbox.then(async () => this.handle(await report())).catch(() => {});
  }

  private async beat(): Promise<void> {
    try {
      this.handle(await this.kit.heartbeat());
    } catch {
      // A missed heartbeat is retried by the next one; the kit tolerates a few seconds of silence.
      if (this.now() - this.lastAnswer > KIT_LOST_MS) this.ended = true;
    }
  }

  private handle(reply: MonitorReply): void {
    this.lastAnswer = this.now();
    if (reply.ended) this.ended = true;
    if (reply.candidate) this.admitted(reply.candidate);
    // An interviewer accepted another face as the reference (or the first pass's face arrived since).
    if (reply.referenceId !== undefined && reply.reference === undefined && reply.referenceId !== this.referenceId && !this.refreshingReference) {
      this.refreshingReference = true;
      void this.hello()
        .catch(() => {})
        .finally(() => (this.refreshingReference = false));
    }
    for (const command of reply.commands) this.start(command);
  }

  private start(command: MonitorCommand): void {
    if (command.type !== "rechallenge" || this.rechallenge) return;
    // A follow re-check's path is drawn here, per re-check, from a CSPRNG, like the verification's by the
    // kit: the monitor is the kit's own worker, and the path never leaves it ahead of its points.
    const path = command.step === "follow" ? generateTargetPath((max) => randomInt(max)) : undefined;
    const judge = new ReactiveJudge([command.step], [command.delayMs], undefined, path);
    this.rechallenge = { id: command.rechallengeId, judge, startedAt: this.now() };
  }

  private tickRechallenge(): void {
    if (this.rechallenge) this.sendJudged(this.rechallenge.judge.tick(this.now() - this.rechallenge.startedAt));
  }

  private sendJudged(actions: ReturnType<ReactiveJudge["tick"]>): void {
    const running = this.rechallenge;
    if (!running) return;
    for (const a of actions) {
      if (a.type === "prompt" || a.type === "step_done" || a.type === "target") void this.send({ ...a, challengeId: running.id });
    }
    if (!running.judge.finished) return;
    this.rechallenge = undefined;
    const verdict = running.judge.verdictOrUndefined();
    void this.send({ type: "finished", challengeId: running.id, passed: verdict?.passed ?? false });
    this.emit([
      {
        event: {
          type: "rechallenge_result",
          rechallengeId: running.id,
          passed: verdict?.passed ?? false,
          ...(verdict?.failure ? { failure: verdict.failure } : {}),
          reasons: (verdict?.reasons ?? []).slice(0, 20),
          observed: (verdict?.steps ?? []).slice(0, 1),
        },
      },
    ]);
  }

  private async send(message: VerifierMessage): Promise<void> {
    if (!this.candidate) return;
    await this.room.localParticipant
      ?.publishData(new TextEncoder().encode(JSON.stringify(message)), {
        reliable: true,
        topic: VERIFIER_TOPIC,
        destination_identities: [this.candidate],
      })
      .catch(() => {});
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
