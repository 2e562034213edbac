import type { InterviewEvent } from "../../shared/interview.js";
import type { Store } from "../store/index.js";

/** Interviews whose events are kept in memory; the least recently read go first. */
export const HISTORY_CACHE_SIZE = 2000;

/**
 * The events of recently active interviews, kept in memory and brought up to date on every read
 * with only the events stored since (by any kit process: one interview's events commit in id
 * order). Reading and parsing an interview's whole history on each event was the largest cost of
 * an admission. A redaction rewrites stored events in place, so an interview whose new events
 * include one is read again in full. Callers get a frozen array: for derived values (risk level,
 * current candidate), never to hand out as the API's copy.
 */
export class EventHistory {
  private readonly cached = new Map<string, readonly InterviewEvent[]>();

  constructor(
    private readonly store: Pick<Store, "listEvents">,
    private readonly maxInterviews = HISTORY_CACHE_SIZE,
  ) {}

  /** Every stored event of the interview, in order, as of this read. */
  async of(interviewId: string): Promise<readonly InterviewEvent[]> {
    const known = this.cached.get(interviewId);
    let events: readonly InterviewEvent[];
    if (!known) {
      events = Object.freeze(await this.store.listEvents(interviewId));
    } else {
      const newer = await this.store.listEvents(interviewId, known.at(-1)?.id ?? 0);
      events =
        newer.length === 0
          ? known
          : newer.some((e) => e.type === "personal_data_redacted")
            ? Object.freeze(await this.store.listEvents(interviewId))
            : Object.freeze([...known, ...newer]);
    }
    // Re-inserted so the Map's first keys are the least recently read.
    this.cached.delete(interviewId);
    this.cached.set(interviewId, events);
    for (const oldest of this.cached.keys()) {
      if (this.cached.size <= this.maxInterviews) break;
      this.cached.delete(oldest);
    }
    return events;
  }
}
