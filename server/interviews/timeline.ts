import type { InterviewEvent } from "../../shared/interview.js";
import type { InterviewRecord, NewEvent, Store } from "../store/index.js";
import { statusAfter } from "./status.js";

export type RequestMeta = { ip: string | null; userAgent: string | null };
type Listener = (interviewId: string, event: InterviewEvent, status: InterviewRecord["status"]) => void;

/** Records interview events and moves the interview's status to match. */
export class Timeline {
  private readonly listeners = new Set<Listener>();

  constructor(private readonly store: Store) {}

  /** Appends an event; returns it after the status has been updated. */
  async record(
    interview: InterviewRecord,
    event: Omit<NewEvent, "interviewId">,
    context: Parameters<typeof statusAfter>[2] = {},
  ): Promise<InterviewEvent> {
    const stored = await this.store.addEvent({ ...event, interviewId: interview.id });
    const next = statusAfter(interview.status, stored.type, context);
    if (next !== interview.status) {
      await this.store.setInterviewStatus(interview.id, next);
      interview.status = next;
    }
    for (const listener of this.listeners) listener(interview.id, stored, interview.status);
    return stored;
  }

  /** Subscribes to every recorded event; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
