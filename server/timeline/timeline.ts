import { type EventInput, readEvent } from "../../shared/events.js";
import type { EventType, InterviewEvent, StreamEvent } from "../../shared/interview.js";
import type { RiskLevel } from "../../shared/signals.js";
import type { EventNoticeListener, InterviewRecord, OutboxMapper, Store } from "../store/index.js";
import { EventHistory } from "./history.js";
import { statusAfter } from "./status.js";

/** Who made a request: recorded with every event it causes. */
export type RequestMeta = { ip: string | null; userAgent: string | null };

/** The risk level of an interview given all its events (the risk report's level). */
export type RiskOf = (interview: InterviewRecord, events: InterviewEvent[]) => RiskLevel;

/** An event about to be stored, typed as the store will read it back; its id orders it after every stored one. */
function pendingEvent(event: EventInput, at: string): InterviewEvent {
  return readEvent({
    id: Number.MAX_SAFE_INTEGER,
    type: event.type,
    at,
    actor: event.actor,
    ip: event.ip ?? null,
    userAgent: event.userAgent ?? null,
    data: (event.data ?? {}) as Record<string, unknown>,
  });
}

/** Events `events()` holds for a reader that has fallen behind; past it the oldest are dropped. */
export const EVENT_BUFFER = 1000;

/**
 * Records interview events, stamped with the injected clock, and moves the interview's status to
 * match in the same transaction. Every recorded event is announced through the store's event feed,
 * so live streams on every kit process sharing the database see it.
 */
export class Timeline {
  constructor(
    private readonly store: Store,
    private readonly now: () => Date = () => new Date(),
    /**
     * Maps each event to its outgoing webhook messages, queued in the event's own transaction;
     * also given to stores that append events themselves (redaction).
     */
    readonly outbox?: OutboxMapper,
    /** Computes the risk level stored with each event, so lists read it instead of recomputing it. */
    private readonly riskOf?: RiskOf,
  ) {
    this.history = new EventHistory(store);
  }

  /** Recently active interviews' events, for values derived from them (risk level, current candidate). */
  readonly history: EventHistory;

  /** Per interview, the record in progress: events of one interview are derived and stored one at a time. */
  private readonly tails = new Map<string, Promise<unknown>>();

  /**
   * Appends an event at the clock's time; returns it after the status has been
   * updated. The store announces it to every process once it has committed. `data` must be the data of `type` (`EVENT_DATA`): a writer that
   * gives another shape does not compile.
   */
  async record<K extends EventType>(
    interview: InterviewRecord,
    event: EventInput<K>,
    context: Parameters<typeof statusAfter>[2] = {},
  ): Promise<InterviewEvent> {
    const stored = await this.oneAtATime(interview.id, async () => {
      const at = this.now().toISOString();
      const next = statusAfter(interview.status, event.type, context);
      const riskLevel = this.riskOf ? await this.levelWith({ ...interview, status: next }, event, at) : undefined;
      const newEvent = { ...event, interviewId: interview.id, at, ...(riskLevel ? { riskLevel } : {}) };
      const added = await this.store.addEvent(newEvent, this.outbox, next !== interview.status ? next : undefined);
      interview.status = next;
      if (riskLevel) interview.riskLevel = riskLevel;
      return added;
    });
    return stored;
  }

  /** The risk level once `event` is added to the interview's stored events. */
  private async levelWith(interview: InterviewRecord, event: EventInput, at: string): Promise<RiskLevel> {
    const events = await this.history.of(interview.id);
    return this.riskOf!(interview, [...events, pendingEvent(event, at)]);
  }

  /** Runs `task` after every earlier one for the same interview in this process has settled. */
  private oneAtATime<T>(interviewId: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(interviewId) ?? Promise.resolve();
    const run = previous.then(task, task);
    const tail = run.catch(() => undefined);
    this.tails.set(interviewId, tail);
    void tail.then(() => {
      if (this.tails.get(interviewId) === tail) this.tails.delete(interviewId);
    });
    return run;
  }

  /** Stores a new interview with its first event, in one transaction; the store announces the event once committed. */
  async create<K extends EventType>(interview: InterviewRecord, event: EventInput<K>): Promise<InterviewEvent> {
    const at = this.now().toISOString();
    const riskLevel = this.riskOf ? this.riskOf(interview, [pendingEvent(event, at)]) : undefined;
    const newEvent = { ...event, interviewId: interview.id, at, ...(riskLevel ? { riskLevel } : {}) };
    // Stored with the row itself, so the first event finds the level already there.
    if (riskLevel) interview.riskLevel = riskLevel;
    return this.store.createInterviewWithEvent(interview, newEvent, this.outbox);
  }

  /** Subscribes to every event announced on any process; returns the unsubscribe function. */
  subscribe(listener: EventNoticeListener): () => void {
    return this.store.subscribeEvents(listener);
  }

  /**
   * Every event recorded on any interview (or on `interviewId` only), in order, until `signal` aborts.
   * The subscription starts at the first `next()`; a reader that falls more
   * than `limit` events behind loses the oldest (the dashboard re-reads the
   * interview it shows, so it needs the latest more than the complete list).
   */
  async *events(signal: AbortSignal, limit = EVENT_BUFFER, interviewId?: string): AsyncGenerator<StreamEvent, void, undefined> {
    const buffer: StreamEvent[] = [];
    let wake: (() => void) | undefined;
    const unsubscribe = this.subscribe((notice) => {
      if (interviewId !== undefined && notice.interviewId !== interviewId) return;
      buffer.push({ interviewId: notice.interviewId, type: notice.type, status: notice.status, at: notice.at });
      if (buffer.length > limit) buffer.shift();
      wake?.();
    });
    const onAbort = () => wake?.();
    signal.addEventListener("abort", onAbort);
    try {
      while (!signal.aborted) {
        const next = buffer.shift();
        if (next) {
          yield next;
          continue;
        }
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    } finally {
      unsubscribe();
      signal.removeEventListener("abort", onAbort);
    }
  }
}
