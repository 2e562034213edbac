import type { EventNotice, EventNoticeListener } from "./store.js";

/** In-process fan-out of event notices: the SQLite store's whole feed, and where the Postgres one delivers. */
export class LocalEventFeed {
  private readonly listeners = new Set<EventNoticeListener>();

  /** Calls every listener now, in subscription order; one that throws does not stop the others. */
  deliver(notice: EventNotice): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(notice);
      } catch (err) {
        console.error("event listener failed:", err);
      }
    }
  }

  subscribe(listener: EventNoticeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
