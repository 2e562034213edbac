import type { StepObservation, TraceFrame } from "../../../shared/verifier-job.js";
import type { FitHint, PromptStep, VerificationFailure } from "../../../shared/verification.js";
import type { TargetPath } from "../../../shared/target-path.js";
import { FollowStep } from "./follow-step.js";
import type { Point } from "./planarity.js";
import { FOLLOW, type FollowSettings, JUDGE, type JudgeSettings } from "./thresholds.js";

/** One analysed frame: how many faces, and the largest face's yaw (+ = subject's left), pitch (+ = up) and width. */
export interface Observation {
  faces: number;
  yawDeg?: number;
  pitchDeg?: number;
  /** A fixed set of the largest face's 2D landmarks (frame pixels), for the flatness check. */
  landmarks?: Point[];
  /** The largest face's box centre, normalised 0..1 to the frame, for the coherence check. */
  cx?: number;
  cy?: number;
  /** Face width, normalised to the frame width. */
  width?: number;
  score?: number;
}

/** What the runner must do after feeding the judge. */
export type JudgeAction =
  | { type: "fit"; hint: FitHint }
  | { type: "prompt"; index: number; total: number; step: PromptStep }
  | { type: "step_done"; index: number; total: number }
  /** The follow step's target pose due now (degrees: yaw + = the subject's left, pitch + = up). */
  | { type: "target"; index: number; seq: number; yaw: number; pitch: number }
  /** Keep the frame just observed as evidence (-1: the baseline). */
  | { type: "snapshot"; step: number }
  | { type: "verdict"; verdict: JudgeVerdict };

export interface JudgeVerdict {
  passed: boolean;
  failure?: VerificationFailure;
  reasons: string[];
  steps: StepObservation[];
}

type Phase = "waiting_video" | "fit" | "pause" | "following" | "done";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * The liveness challenge, judged only on what the verifier itself decoded. It sets a baseline
 * (the fit), waits a server-chosen pause (the head must stay still), then runs the `follow` step:
 * sends the target point by point as each falls due and judges the tracking, coherence and depth
 * of the response (`FollowStep`). Time is the caller's clock in ms; `tick` lets the pause, the
 * target and the deadlines advance without frames. The verifier and the interview's re-check both
 * use it. (The discrete moves it once judged, which a library of recordings could answer, are
 * retired; their names stay in `PromptStep` for stored verdicts only.)
 */
export class ReactiveJudge {
  private phase: Phase = "waiting_video";
  private index = 0;
  private phaseStart = 0;
  private firstFrameAt: number | undefined;
  private fit: { yaw: number; pitch: number; width: number; landmarks?: Point[] }[] = [];
  private baseYaw = 0;
  private basePitch = 0;
  private baseLandmarks: Point[] | undefined;
  private following: FollowStep | undefined;
  private baseWidth = 0;
  private lastHint: FitHint | undefined;
  private outOfNeutralSince: number | undefined;
  private noFaceSince: number | undefined;
  private multiFrames = 0;
  private current: StepObservation | undefined;
  private readonly observed: StepObservation[] = [];
  private readonly reasons: string[] = [];
  readonly trace: TraceFrame[] = [];
  private decided: JudgeVerdict | undefined;

  constructor(
    private readonly steps: PromptStep[],
    private readonly delaysMs: number[],
    private readonly settings: JudgeSettings = JUDGE,
    /** The target path, needed when a step is `follow`. */
    private readonly path?: TargetPath,
    private readonly followSettings: FollowSettings = FOLLOW,
  ) {
    if (steps.some((step) => step !== "follow")) throw new Error(`ReactiveJudge: only follow steps are judged (got ${steps.join(", ")})`);
    if (!path) throw new Error("ReactiveJudge: a follow step needs a target path");
  }

  get finished(): boolean {
    return this.phase === "done";
  }

  /** Where the check stands, as the verifier reports it to the kit. */
  get stage(): "waiting_video" | "fit" | "steps" {
    return this.phase === "waiting_video" || this.phase === "fit" ? this.phase : "steps";
  }

  /** True while the candidate is asked to face the camera still (the fit and each pause): frames fit for a reference face. */
  get facingStill(): boolean {
    return this.phase === "fit" || this.phase === "pause";
  }

  /** The verdict, once decided. */
  verdictOrUndefined(): JudgeVerdict | undefined {
    return this.decided;
  }

  get firstFrame(): number | undefined {
    return this.firstFrameAt;
  }

  /** Advances time without a frame: fires prompts, deadlines and the no-video timeout. */
  tick(t: number): JudgeAction[] {
    const s = this.settings;
    if (this.phase === "waiting_video" && t >= s.noVideoMs) {
      return this.fail("NoVideo", `no camera video arrived within ${s.noVideoMs} ms`);
    }
    if (this.phase === "fit" && t - this.phaseStart > s.fitDeadlineMs) {
      return this.lastHint === "multipleFaces"
        ? this.fail("MultipleFaces", "more than one face was in view during the face fit")
        : this.fail("NoFace", `no steady single face within ${s.fitDeadlineMs} ms`);
    }
    if (this.phase === "pause" && t - this.phaseStart >= this.delaysMs[this.index]!) return this.prompt(t);
    if (this.phase === "following") return this.tickFollow(t);
    return [];
  }

  /** Feeds one analysed frame observed at time `t`. */
  observe(t: number, o: Observation): JudgeAction[] {
    if (this.phase === "done") return [];
    const timed = this.tick(t);
    if (this.finished) return timed;
    return [...timed, ...this.observeFrame(t, o)];
  }

  private observeFrame(t: number, o: Observation): JudgeAction[] {
    this.firstFrameAt ??= t;
    if (this.phase === "waiting_video") this.enter("fit", t);
    const one = o.faces === 1 && o.yawDeg !== undefined && o.width !== undefined;
    this.trace.push({
      t,
      faces: o.faces,
      ...(one && this.phase !== "fit" ? { yaw: o.yawDeg! - this.baseYaw, scale: o.width! / this.baseWidth } : {}),
      ...(one && this.phase !== "fit" && o.pitchDeg !== undefined && Number.isFinite(o.pitchDeg) ? { pitch: o.pitchDeg - this.basePitch } : {}),
      ...(one && o.cx !== undefined && o.cy !== undefined ? { cx: Number(o.cx.toFixed(4)), cy: Number(o.cy.toFixed(4)) } : {}),
      ...(o.score !== undefined ? { score: o.score } : {}),
    });
    if (this.phase === "fit") return this.observeFit(t, o, one);
    const faceCheck = this.checkFaces(t, o);
    if (faceCheck.length || !one) return faceCheck;
    const yaw = o.yawDeg! - this.baseYaw;
    const scale = o.width! / this.baseWidth;
    if (this.phase === "pause") return this.observePause(t, yaw, scale);
    const pitch = o.pitchDeg !== undefined && Number.isFinite(o.pitchDeg) ? o.pitchDeg - this.basePitch : 0;
    this.following!.observe(t, yaw, pitch, o.landmarks, o.cx !== undefined && o.cy !== undefined ? { cx: o.cx, cy: o.cy, w: o.width! } : undefined);
    return [];
  }

  private observeFit(t: number, o: Observation, one: boolean): JudgeAction[] {
    const s = this.settings;
    let hint: FitHint = "hold";
    if (o.faces === 0) hint = "noFace";
    else if (o.faces > 1) hint = "multipleFaces";
    else if (!one || Math.abs(o.yawDeg!) > s.fitMaxAbsYawDeg) hint = "faceCamera";
    if (hint !== "hold") this.fit = [];
    else this.fit.push({ yaw: o.yawDeg!, pitch: Number.isFinite(o.pitchDeg) ? o.pitchDeg! : 0, width: o.width!, ...(o.landmarks ? { landmarks: o.landmarks } : {}) });
    const actions: JudgeAction[] = [];
    if (hint !== this.lastHint) actions.push({ type: "fit", hint });
    this.lastHint = hint;
    if (this.fit.length >= s.fitFrames) {
      this.baseYaw = median(this.fit.map((f) => f.yaw));
      this.baseWidth = median(this.fit.map((f) => f.width));
      this.basePitch = median(this.fit.map((f) => f.pitch));
      this.baseLandmarks = this.fit.at(-1)!.landmarks;
      this.reasons.push(`baseline: yaw ${this.baseYaw.toFixed(1)}°, face width ${(this.baseWidth * 100).toFixed(1)} % of the frame`);
      actions.push({ type: "snapshot", step: -1 });
      this.enter("pause", t);
    }
    return actions;
  }

  private checkFaces(t: number, o: Observation): JudgeAction[] {
    const s = this.settings;
    this.multiFrames = o.faces > 1 ? this.multiFrames + 1 : 0;
    if (this.multiFrames >= s.multipleFaceFrames) return this.fail("MultipleFaces", `${o.faces} faces in view`);
    if (o.faces === 0) {
      this.noFaceSince ??= t;
      if (t - this.noFaceSince > s.faceLostMs) return this.fail("NoFace", `no face for over ${s.faceLostMs} ms`);
    } else {
      this.noFaceSince = undefined;
    }
    return [];
  }

  private neutral(yaw: number, scale: number): boolean {
    return Math.abs(yaw) <= this.settings.neutralDeg && Math.abs(scale - 1) <= this.settings.neutralScale;
  }

  private observePause(t: number, yaw: number, scale: number): JudgeAction[] {
    if (this.neutral(yaw, scale)) {
      this.outOfNeutralSince = undefined;
      return [];
    }
    this.outOfNeutralSince ??= t;
    if (t - this.outOfNeutralSince >= this.settings.breakMs) {
      return this.fail(
        "MovedBeforePrompt",
        `the head moved (yaw ${yaw.toFixed(1)}°, width ×${scale.toFixed(2)}) while waiting for prompt ${this.index + 1}`,
      );
    }
    return [];
  }

  private prompt(t: number): JudgeAction[] {
    const step = this.steps[this.index]!;
    this.current = { step, promptAt: t, passed: false };
    const prompt: JudgeAction = { type: "prompt", index: this.index, total: this.steps.length, step };
    this.following = new FollowStep(this.path!, t, this.baseLandmarks, this.followSettings);
    this.enter("following", t);
    return [prompt, ...this.tickFollow(t)];
  }

  /** Sends the target points as they fall due; once the path and its tail are over, judges the step. */
  private tickFollow(t: number): JudgeAction[] {
    const step = this.following!;
    if (!step.over(t)) return step.due(t).map((p) => ({ type: "target", index: this.index, ...p }));
    const verdict = step.judge();
    const cur = this.current!;
    cur.follow = verdict.observed;
    if (!verdict.passed) return this.fail(verdict.failure!, `${this.label()}: ${verdict.reason}`);
    cur.passed = true;
    cur.doneAt = t;
    this.observed.push(cur);
    this.reasons.push(`${this.label()}: prompted after ${this.delaysMs[this.index]} ms, ${verdict.reason}`);
    const done: JudgeAction = { type: "step_done", index: this.index, total: this.steps.length };
    this.following = undefined;
    this.index++;
    if (this.index >= this.steps.length) return [done, ...this.finish()];
    this.enter("pause", t);
    return [done];
  }

  private enter(phase: Phase, t: number): void {
    this.phase = phase;
    this.phaseStart = t;
    this.outOfNeutralSince = undefined;
  }

  private label(): string {
    return `step ${this.index + 1} (${this.steps[this.index]})`;
  }

  private finish(): JudgeAction[] {
    this.phase = "done";
    this.decided = { passed: true, reasons: [...this.reasons], steps: [...this.observed] };
    return [{ type: "verdict", verdict: this.decided }];
  }

  private fail(failure: VerificationFailure, reason: string): JudgeAction[] {
    this.phase = "done";
    const steps = this.current && !this.current.passed ? [...this.observed, this.current] : [...this.observed];
    this.decided = { passed: false, failure, reasons: [...this.reasons, reason], steps };
    return [{ type: "verdict", verdict: this.decided }];
  }
}
