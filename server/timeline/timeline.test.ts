import { describe, expect, it } from "vitest";
import { readEvent } from "../../shared/events.js";
import type { InterviewEvent, InterviewStatus } from "../../shared/interview.js";
import { LocalEventFeed } from "../store/event-feed.js";
import type { EventNoticeListener, InterviewRecord, NewEvent, Store } from "../store/index.js";
import { Timeline } from "./timeline.js";

/**
 * A stand-in store for this unit test (the real ones are covered by test/store-contract/): just the
 * calls the Timeline makes, remembering what it stored and announcing it as a store does.
 */
function memoryStore() {
  const events: InterviewEvent[] = [];
  const statuses = new Map<string, InterviewStatus>();
  const feed = new LocalEventFeed();
  const store = {
    subscribeEvents: (listener: EventNoticeListener) => feed.subscribe(listener),
    async addEvent(e: NewEvent, _outbox?: unknown, nextStatus?: InterviewStatus): Promise<InterviewEvent> {
      const stored = readEvent({ id: events.length + 1, type: e.type, at: e.at, actor: e.actor, ip: e.ip ?? null, userAgent: e.userAgent ?? null, data: e.data ?? {} });
      events.push(stored);
      if (nextStatus) statuses.set(e.interviewId, nextStatus);
      const status = statuses.get(e.interviewId) ?? "created";
      feed.deliver({ interviewId: e.interviewId, eventId: stored.id, type: stored.type, at: stored.at, status });
      return stored;
    },
  };
  return { store: store as unknown as Store, events };
}

const interview = (id: string) => ({ id, status: "created" }) as InterviewRecord;
const opened = { type: "link_opened", actor: "candidate" } as const;

describe("Timeline", () => {
  it("stamps each event with the injected clock and moves the status", async () => {
    const { store, events } = memoryStore();
    const timeline = new Timeline(store, () => new Date("2030-01-02T03:04:05.000Z"));
    const iv = interview("iv_1");
    const event = await timeline.record(iv, opened);
    expect(event.at).toBe("2030-01-02T03:04:05.000Z");
    expect(events[0]!.at).toBe("2030-01-02T03:04:05.000Z");
    expect(iv.status).toBe("link_opened");
  });

  it("streams events recorded after the first next(), in order, and ends when aborted", async () => {
    const { store } = memoryStore();
    const timeline = new Timeline(store);
    await timeline.record(interview("iv_before"), opened);
    const stop = new AbortController();
    const events = timeline.events(stop.signal);
    const first = events.next();
    await timeline.record(interview("iv_1"), opened);
    await timeline.record(interview("iv_2"), { type: "interview_ended", actor: "interviewer" });
    expect((await first).value).toMatchObject({ interviewId: "iv_1", type: "link_opened", status: "link_opened" });
    expect((await events.next()).value).toMatchObject({ interviewId: "iv_2", type: "interview_ended", status: "ended" });
    const pending = events.next();
    stop.abort();
    expect(await pending).toEqual({ done: true, value: undefined });
  });

  it("keeps only the newest events for a reader that falls behind", async () => {
    const { store } = memoryStore();
    const timeline = new Timeline(store);
    const stop = new AbortController();
    const events = timeline.events(stop.signal, 2);
    const first = events.next();
    await timeline.record(interview("iv_1"), opened);
    expect((await first).value?.interviewId).toBe("iv_1");
    // Nobody reads while three more arrive: the buffer of two drops iv_2.
    for (const id of ["iv_2", "iv_3", "iv_4"]) await timeline.record(interview(id), opened);
    expect((await events.next()).value?.interviewId).toBe("iv_3");
    expect((await events.next()).value?.interviewId).toBe("iv_4");
    await events.return();
  });
});
