import type { EventInput } from "../../shared/events.js";
import type { EventType, InterviewEvent, StreamEvent } from "../../shared/interview.js";
import type { InterviewRecord, OutboxMapper, Store } from "../store/index.js";
import { statusAfter } from "./status.js";

/** Who made a request: recorded with every event it causes. */
export type RequestMeta = { ip: string | null; userAgent: string | null };
type Listener = (interviewId: string, event: InterviewEvent, status: InterviewRecord["status"]) => void;

/** Events `events()` holds for a reader that has fallen behind; past it the oldest are dropped. */
export const EVENT_BUFFER = 1000;

/** Records interview events, stamped with the injected clock, and moves the interview's status to match. */
export class Timeline {
  private readonly listeners = new Set<Listener>();

  constructor(
    private readonly store: Store,
    private readonly now: () => Date = () => new Date(),
    /**
     * Maps each event to its outgoing webhook messages, queued in the event's own transaction;
     * also given to stores that append events themselves (redaction).
     */
    readonly outbox?: OutboxMapper,
  ) {}

  /**
   * Appends an event at the clock's time; returns it after the status has been
   * updated. `data` must be the data of `type` (`EVENT_DATA`): a writer that
   * gives another shape does not compile.
   */
  async record<K extends EventType>(
    interview: InterviewRecord,
    event: EventInput<K>,
    context: Parameters<typeof statusAfter>[2] = {},
  ): Promise<InterviewEvent> {
    const newEvent = { ...event, interviewId: interview.id, at: this.now().toISOString() };
    const stored = this.outbox ? await this.store.addEvent(newEvent, this.outbox) : await this.store.addEvent(newEvent);
    const next = statusAfter(interview.status, stored.type, context);
    if (next !== interview.status) {
      await this.store.setInterviewStatus(interview.id, next);
      interview.status = next;
    }
    for (const listener of this.listeners) listener(interview.id, stored, interview.status);
    return stored;
  }

  /** Tells subscribers about an event the store appended itself (inside a transaction of its own). */
  announce(interview: InterviewRecord, event: InterviewEvent): void {
    for (const listener of this.listeners) listener(interview.id, event, interview.status);
  }

  /** Subscribes to every recorded event; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
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
    const unsubscribe = this.subscribe((id, event, status) => {
      if (interviewId !== undefined && id !== interviewId) return;
      buffer.push({ interviewId: id, type: event.type, status, at: event.at });
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
