import {
  type RemoteParticipant,
  type RemoteTrack,
  type RemoteTrackPublication,
  type Room,
  RoomEvent,
  TrackKind,
  TrackSource,
  VideoBufferType,
  type VideoFrame,
  VideoStream,
} from "@livekit/rtc-node";
import type { DocumentReport, VerdictReport, VerifierJob } from "../../shared/verifier-job.js";
import { VERIFIER_TOPIC, type VerifierMessage } from "../../shared/verification.js";
import type { FaceAnalyzer, FrameAnalysis, RgbFrame } from "./analyzer/index.js";
import { type JudgeAction, type Observation, ReactiveJudge } from "./judge/reactive-judge.js";
import { JUDGE, PITCH_SIGN_UP, YAW_SIGN_SUBJECT_LEFT } from "./judge/thresholds.js";
import { analysable, frameTime, halve, MAX_FRAME_PIXELS } from "./frames.js";
import type { Reporter } from "./reporter.js";
import { ReferenceCollector, type ReferenceOutcome, settleVerdict } from "./reference.js";
import type { OcrReader } from "./document/ocr.js";
import { DOCUMENT_STEP, DocumentStep } from "./document/step.js";

export interface SessionOptions {
  /** Upper bound on analysed frames per second, to share CPU between verifications. */
  maxFps: number;
  /** How often the kit hears that the verifier is alive. */
  progressEveryMs: number;
  /** The OCR engines of the document step, loaded when it starts (a job that asks for no document never loads them). */
  documentReaders?: () => Promise<DocumentReaders>;
}

/** The MRZ reader and the second engine that confirms its names (see `readFrame`). */
export interface DocumentReaders {
  ocr: OcrReader;
  secondOpinion: OcrReader;
}

const DEFAULTS: SessionOptions = { maxFps: 15, progressEveryMs: 1_000 };
const MAX_SNAPSHOTS = 4;

/** The largest face as the judge sees it: yaw signed so that + is the subject's left. */
export function toObservation(analysis: FrameAnalysis): Observation {
  const largest = [...analysis.faces].sort((a, b) => b.box.w - a.box.w)[0];
  if (!largest) return { faces: 0 };
  return {
    faces: analysis.faces.length,
    yawDeg: YAW_SIGN_SUBJECT_LEFT * largest.yawDeg,
    pitchDeg: PITCH_SIGN_UP * largest.pitchDeg,
    width: largest.box.w,
    cx: largest.box.x + largest.box.w / 2,
    cy: largest.box.y + largest.box.h / 2,
    ...(largest.landmarks ? { landmarks: largest.landmarks } : {}),
    score: Number(largest.score.toFixed(3)),
  };
}

/**
 * One verification, inside the verification room: subscribes to the
 * candidate's camera only, decodes the newest frame whenever the analyser is
 * free, feeds the reactive judge, sends its prompts over LiveKit data the
 * moment it decides, and reports the verdict with frames it decoded itself.
 */
export class VerificationSession {
  private readonly judge: ReactiveJudge;
  private readonly options: SessionOptions;
  private readonly started = performance.now();
  private latest: { frame: VideoFrame; at: number } | undefined;
  private readonly snapshots: Promise<VerdictReport["snapshots"][number] | undefined>[] = [];
  private analysed = 0;
  /** Frames dropped unconverted for their size (see `MAX_FRAME_PIXELS`). */
  private oversize = 0;
  private stopped = false;
  private readonly reference = new ReferenceCollector();

  constructor(
    private readonly room: Room,
    private readonly job: VerifierJob,
    private readonly analyzer: FaceAnalyzer,
    private readonly reporter: Reporter,
    options: Partial<SessionOptions> = {},
    private readonly analyzerStats?: () => { loadMs: number; firstInferenceMs?: number },
  ) {
    this.judge = new ReactiveJudge(job.steps, job.delaysMs, JUDGE, job.path);
    this.options = { ...DEFAULTS, ...options };
  }

  private now(): number {
    return performance.now() - this.started;
  }

  /** Runs until the judge decides (or the room goes away); resolves after the verdict is reported. */
  async run(): Promise<VerdictReport> {
    this.room.on(RoomEvent.TrackSubscribed, (track: RemoteTrack, pub: RemoteTrackPublication, participant: RemoteParticipant) => {
      if (participant.identity !== this.job.candidateIdentity) return;
      if (track.kind !== TrackKind.KIND_VIDEO || pub.source !== TrackSource.SOURCE_CAMERA) return;
      void this.drain(track);
    });
    for (const p of this.room.remoteParticipants.values()) {
      for (const pub of p.trackPublications.values()) {
        if (p.identity === this.job.candidateIdentity && pub.track && pub.kind === TrackKind.KIND_VIDEO) void this.drain(pub.track);
      }
    }
    await this.reporter.progress(this.judge.stage);
    const heartbeat = setInterval(() => void this.reporter.progress(this.judge.stage).catch(() => {}), this.options.progressEveryMs);
    // Prompts are decided by time, not by frames: check often so the prompt leaves on the chosen moment.
    const ticker = setInterval(() => this.act(this.judge.tick(this.now())), 20);
    let verdict: VerdictReport;
    try {
      verdict = await this.analyse();
    } finally {
      clearInterval(heartbeat);
      clearInterval(ticker);
    }
    try {
      // The same room and the same camera track: the document is shown by the person who just passed.
      if (verdict.passed && this.job.document && this.options.documentReaders) await this.readDocument(this.options.documentReaders);
    } finally {
      this.stopped = true;
    }
    return verdict;
  }

  /**
   * The document step: asks for the document, reads the newest decoded frame whenever the reader is
   * free until the vote decides or time runs out, and reports what it found. Never throws: a reader
   * that fails reports the document as unreadable, and the pass stands.
   */
  private async readDocument(loadReaders: () => Promise<DocumentReaders>): Promise<void> {
    const started = this.now();
    await this.send({ type: "document_prompt", challengeId: this.job.challengeId, lookForMs: DOCUMENT_STEP.lookForMs });
    let result: Omit<DocumentReport, "type" | "lookedMs" | "snapshot"> = { outcome: "unreadable", framesRead: 0, agreeingFrames: 0 };
    let snapshot: string | undefined;
    let readers: DocumentReaders | undefined;
    try {
      readers = await loadReaders();
      const step = new DocumentStep(readers.ocr, readers.secondOpinion, this.analyzer);
      let lastRead = -Infinity;
      while (this.now() - started < DOCUMENT_STEP.lookForMs) {
        // A candidate who skipped the step (or left) is gone from the room: nothing more will come.
        if (!this.room.remoteParticipants.has(this.job.candidateIdentity)) break;
        const wait = lastRead + DOCUMENT_STEP.minGapMs - this.now();
        if (!this.latest || wait > 0) {
          await sleep(Math.max(20, wait));
          continue;
        }
        lastRead = this.now();
        const rgb = this.latest.frame.convert(VideoBufferType.RGB24);
        this.latest = undefined;
        const decided = await step.offer({ width: rgb.width, height: rgb.height, data: rgb.data.slice() });
        if (decided) break;
      }
      result = step.result();
      if (step.decidingFrame) snapshot = (await this.analyzer.encodeJpeg(step.decidingFrame, 80, 960).catch(() => undefined))?.toString("base64");
    } catch (err) {
      console.error(`verification ${this.job.challengeId}: the document reader failed:`, (err as Error)?.message ?? err);
    } finally {
      await Promise.all([readers?.ocr.close(), readers?.secondOpinion.close()]).catch(() => {});
    }
    const report: DocumentReport = { type: "document", ...result, lookedMs: Math.round(this.now() - started), ...(snapshot ? { snapshot } : {}) };
    await this.reporter.document(report).catch((err: unknown) => console.error(`verification ${this.job.challengeId}: reporting the document failed:`, (err as Error)?.message ?? err));
    await this.send({ type: "document_done", challengeId: this.job.challengeId, outcome: report.outcome });
  }

  private async drain(track: RemoteTrack): Promise<void> {
    // VideoStream has no backpressure: keep only the newest frame.
    const reader = new VideoStream(track).getReader();
    while (!this.stopped) {
      const { value, done } = await reader.read();
      if (done) break;
      if (!analysable(value.frame)) {
        this.oversize++;
        continue;
      }
      this.latest = { frame: value.frame, at: frameTime(this.now(), value.timestampUs) };
    }
    reader.releaseLock();
  }

  private async analyse(): Promise<VerdictReport> {
    const minGap = 1000 / this.options.maxFps;
    let lastStart = -Infinity;
    while (!this.judge.finished) {
      const wait = Math.max(0, lastStart + minGap - this.now());
      if (!this.latest || wait > 0) {
        await sleep(this.latest ? wait : 10);
        continue;
      }
      const { at } = this.latest;
      const rgb = this.latest.frame.convert(VideoBufferType.RGB24);
      this.latest = undefined;
      const frame: RgbFrame = { width: rgb.width, height: rgb.height, data: rgb.data };
      lastStart = this.now();
      const analysis = await this.analyzer.analyze(frame.width >= 640 ? halve(frame) : frame);
      this.analysed++;
      if (!this.judge.finished) {
        if (this.judge.facingStill && analysis.faces.length === 1) this.reference.offer(frame.width >= 640 ? halve(frame) : frame, at);
        this.act(this.judge.observe(at, toObservation(analysis)), frame, at);
      }
    }
    return this.report();
  }

  private act(actions: JudgeAction[], frame?: RgbFrame, at?: number): void {
    for (const a of actions) {
      if (a.type === "prompt" || a.type === "step_done" || a.type === "fit" || a.type === "target") {
        void this.send({ ...a, challengeId: this.job.challengeId } as VerifierMessage);
      } else if (a.type === "snapshot" && frame && this.snapshots.length < MAX_SNAPSHOTS) {
        this.snapshots.push(
          this.analyzer
            .encodeJpeg(frame, 80, 480)
            .then((jpeg) => ({ step: a.step, t: at ?? 0, jpeg: jpeg.toString("base64") }))
            .catch(() => undefined),
        );
      }
    }
  }

  private async report(): Promise<VerdictReport> {
    const decided = this.judge.verdictOrUndefined();
    const elapsed = this.now();
    const first = this.judge.firstFrame;
    // A failure to build the reference keeps the pass but is never silent: the reason goes to the kit, which flags it.
    const built: ReferenceOutcome | undefined = decided?.passed
      ? await this.reference.build(this.analyzer).catch((err: unknown): ReferenceOutcome => {
          console.error(`verification ${this.job.challengeId}: building the reference face failed:`, (err as Error)?.message ?? err);
          return { kind: "none", reason: "no reference face: the face analyser failed while building it" };
        })
      : undefined;
    const settled = settleVerdict(decided ?? { passed: false, reasons: ["the verifier stopped before a verdict"] }, built);
    const dropped = this.oversize ? [`${this.oversize} frame(s) larger than ${MAX_FRAME_PIXELS} pixels were dropped unanalysed`] : [];
    const verdict = { ...settled, reasons: [...settled.reasons, ...dropped].slice(0, 20) };
    const report: VerdictReport = {
      type: "verdict",
      passed: verdict.passed,
      ...(verdict.failure ? { failure: verdict.failure } : {}),
      reasons: verdict.reasons,
      steps: decided?.steps ?? [],
      trace: this.judge.trace.slice(-3000),
      snapshots: (await Promise.all(this.snapshots)).filter((s) => s !== undefined),
      framesAnalysed: this.analysed,
      analysedFps: first === undefined ? 0 : Number((this.analysed / Math.max(0.001, (elapsed - first) / 1000)).toFixed(2)),
      ...(first !== undefined ? { firstFrameAt: Math.round(first) } : {}),
      ...(this.analyzerStats ? { analyzer: this.analyzerStats() } : {}),
      ...(verdict.reference ? { reference: verdict.reference } : {}),
    };
    await this.reporter.verdict(report);
    await this.send({ type: "finished", challengeId: this.job.challengeId, passed: report.passed });
    return report;
  }

  private async send(message: VerifierMessage): Promise<void> {
    await this.room.localParticipant
      ?.publishData(new TextEncoder().encode(JSON.stringify(message)), {
        reliable: true,
        topic: VERIFIER_TOPIC,
        destination_identities: [this.job.candidateIdentity],
      })
      .catch(() => {});
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
