import { type EventInput, readEvent } from "../../shared/events.js";
import type { EventType, InterviewEvent, StreamEvent } from "../../shared/interview.js";
import type { RiskLevel } from "../../shared/signals.js";
import type { InterviewRecord, OutboxMapper, Store } from "../store/index.js";
import { statusAfter } from "./status.js";

/** Who made a request: recorded with every event it causes. */
export type RequestMeta = { ip: string | null; userAgent: string | null };
type Listener = (interviewId: string, event: InterviewEvent, status: InterviewRecord["status"]) => void;

/** The risk level of an interview given all its events (the risk report's level). */
export type RiskOf = (interview: InterviewRecord, events: InterviewEvent[]) => RiskLevel;

/** Events `events()` holds for a reader that has fallen behind; past it the oldest are dropped. */
export const EVENT_BUFFER = 1000;

/** Records interview events, stamped with the injected clock, and moves the interview's status to match. */
export class Timeline {
  private readonly listeners = new Set<Listener>();
  /** Per interview, the record in progress: events of one interview are derived and stored one at a time. */
  private readonly tails = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: Store,
    private readonly now: () => Date = () => new Date(),
    /** Maps each event to its outgoing webhook messages, queued in the event's own transaction. */
    private readonly outbox?: OutboxMapper,
    /** Computes the risk level stored with each event, so lists read it instead of recomputing it. */
    private readonly riskOf?: RiskOf,
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
    return this.oneAtATime(interview.id, async () => {
      const at = this.now().toISOString();
      const status = statusAfter(interview.status, event.type, context);
      const riskLevel = this.riskOf ? await this.levelWith(interview, status, event, at) : undefined;
      const newEvent = { ...event, interviewId: interview.id, at, derived: { status, ...(riskLevel ? { riskLevel } : {}) } };
      const stored = this.outbox ? await this.store.addEvent(newEvent, this.outbox) : await this.store.addEvent(newEvent);
      interview.status = status;
      if (riskLevel) interview.riskLevel = riskLevel;
      for (const listener of this.listeners) listener(interview.id, stored, interview.status);
      return stored;
    });
  }

  /** The risk level once `event` is added to the interview's stored events. */
  private async levelWith(interview: InterviewRecord, status: InterviewRecord["status"], event: EventInput, at: string): Promise<RiskLevel> {
    const events = await this.store.listEvents(interview.id);
    // Typed as the store will read it back; the id only orders it after every stored event.
    const pending = readEvent({
      id: Number.MAX_SAFE_INTEGER,
      type: event.type,
      at,
      actor: event.actor,
      ip: event.ip ?? null,
      userAgent: event.userAgent ?? null,
      data: (event.data ?? {}) as Record<string, unknown>,
    });
    return this.riskOf!({ ...interview, status }, [...events, pending]);
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
