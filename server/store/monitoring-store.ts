import type { PromptStep } from "../../shared/verification.js";

/** A reference face kept as a biometric template, under the retention setting. */
export interface TemplateRecord {
  id?: number;
  interviewId: string;
  /** The verification whose pass produced it. */
  challengeId: string;
  /** The candidate's name and email when the template was stored, for cross-interview matching. */
  candidateName: string;
  candidateEmail?: string;
  /** Unit-length embedding. */
  vector: Float32Array;
  frames: number;
  consistency: number;
  createdAt: string;
  /** When an interviewer accepted this face as the interview's reference in place of the first one. */
  acceptedAt?: string;
}

/** One dispatched interview monitor. */
export interface MonitorRecord {
  id: string;
  interviewId: string;
  /** SHA-256 of the secret the monitor job authenticates its reports with. */
  callbackHash: string;
  startedAt: string;
  /** Last report from the monitor: one that stops reporting is replaced. */
  heartbeatAt: string | null;
  endedAt: string | null;
}

export type RechallengeState = "pending" | "sent" | "passed" | "failed" | "expired";

/** A re-challenge the interviewer asked for, performed and judged by the monitor. */
export interface RechallengeRecord {
  id: string;
  interviewId: string;
  step: PromptStep;
  /** Pause before the prompt, chosen by the kit and never shown ahead. */
  delayMs: number;
  state: RechallengeState;
  issuedAt: string;
  expiresAt: string;
  /** When a monitor took it. */
  sentAt: string | null;
}

/** Storage for identity continuity: reference templates, monitors and re-challenges. */
export interface MonitoringStore {
  saveTemplate(template: TemplateRecord): Promise<number>;
  /** Templates with an id above `afterId`, oldest first: lets a process keep its search index current. */
  listTemplates(afterId: number, limit: number): Promise<TemplateRecord[]>;
  /** How many templates with an id at or below `upToId` remain: lets a process see that some it holds were deleted elsewhere. */
  countTemplates(upToId: number): Promise<number>;
  /** The interview's newest template. */
  latestTemplate(interviewId: string): Promise<TemplateRecord | undefined>;
  /** The interview's templates, oldest first. */
  templatesOf(interviewId: string): Promise<TemplateRecord[]>;
  /**
   * The face the monitor compares with: the template an interviewer accepted last, else the
   * interview's first (review 2, finding 5: a later pass never replaces it on its own).
   */
  referenceOf(interviewId: string): Promise<TemplateRecord | undefined>;
  /** The check of {@link referenceOf}'s template, without its vector: what every monitor heartbeat asks. */
  referenceIdOf(interviewId: string): Promise<string | undefined>;
  /** Marks the interview's template from `challengeId` accepted at `at`; false when the interview has none from it. */
  acceptTemplate(interviewId: string, challengeId: string, at: string): Promise<boolean>;
  /** Deletes templates created before `before`; returns how many. */
  purgeTemplates(before: string): Promise<number>;

  /**
   * Atomically: stores the monitor unless the interview has one that is not
   * ended and was started or heard from at or after `liveSince`; false then.
   */
  createMonitor(monitor: MonitorRecord, liveSince: string): Promise<boolean>;
  getMonitor(id: string): Promise<MonitorRecord | undefined>;
  /** The interview's newest monitor that has not ended. */
  activeMonitor(interviewId: string): Promise<MonitorRecord | undefined>;
  touchMonitor(id: string, at: string): Promise<void>;
  endMonitor(id: string, at: string): Promise<void>;
  /** Monitors not ended and neither started nor heard from at or after `liveSince`, oldest first. */
  silentMonitors(liveSince: string, limit: number): Promise<MonitorRecord[]>;
  /** Ends the monitor if it is still open and silent since before `liveSince`; false otherwise (another process took it, or it spoke). */
  endSilentMonitor(id: string, liveSince: string, at: string): Promise<boolean>;

  /** Atomically: stores it unless the interview has an open (pending or sent, unexpired) re-challenge; false then. */
  issueRechallenge(rechallenge: RechallengeRecord, now: string): Promise<boolean>;
  /** Marks the interview's pending, unexpired re-challenges sent and returns them (each is taken once). */
  takeRechallenges(interviewId: string, now: string): Promise<RechallengeRecord[]>;
  getRechallenge(id: string): Promise<RechallengeRecord | undefined>;
  /** The interview's re-challenges, oldest first. */
  listRechallenges(interviewId: string): Promise<RechallengeRecord[]>;
  /** Ends an open re-challenge; false when it had already ended, so only the first result counts. */
  finishRechallenge(id: string, state: "passed" | "failed" | "expired"): Promise<boolean>;
}
