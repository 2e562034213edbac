import { describe, expect, it } from "vitest";
import type { OutboxMapper } from "../../server/store/index.js";
import { BACKENDS, useStore } from "./backends.js";
import { interview, opened, T } from "./fixtures.js";

describe.each(BACKENDS)("Store contract on $name: interviews and events", (backend) => {
  const ctx = useStore(backend);

  it("stores an interview and reads it back exactly, by id, by either link and by room", async () => {
    const { store } = ctx;
    const record = interview("a");
    await store.createInterview(record);
    expect(await store.getInterview("a")).toEqual(record);
    expect(await store.findInterviewByLink("candidate", "c-a")).toEqual(record);
    expect(await store.findInterviewByLink("interviewer", "i-a")).toEqual(record);
    expect(await store.findInterviewByLink("candidate", "i-a")).toBeUndefined();
    expect(await store.findInterviewByRoom("room-a")).toEqual(record);
    expect(await store.getInterview("nope")).toBeUndefined();
    // Optional fields that were not given are absent, not null.
    const { candidateEmail: _e, claimedLocation: _l, ...bare } = interview("b");
    await store.createInterview(bare);
    expect(await store.getInterview("b")).toEqual(bare);
  });

  it("refuses a second interview with the same id, room or link hash", async () => {
    const { store } = ctx;
    await store.createInterview(interview("a"));
    await expect(store.createInterview(interview("a"))).rejects.toThrow();
    await expect(store.createInterview({ ...interview("b"), room: "room-a" })).rejects.toThrow();
    await expect(store.createInterview({ ...interview("c"), candidateTokenHash: "c-a" })).rejects.toThrow();
    expect(await store.listInterviews(10, 0)).toHaveLength(1);
  });

  it("lists interviews newest first, with paging", async () => {
    const { store } = ctx;
    await store.createInterview(interview("a", "2026-01-01T00:00:00.000Z"));
    await store.createInterview(interview("b", "2026-01-02T00:00:00.000Z"));
    await store.createInterview(interview("c", "2026-01-03T00:00:00.000Z"));
    // Same time: the larger id first.
    await store.createInterview(interview("d", "2026-01-02T00:00:00.000Z"));
    expect((await store.listInterviews(2, 0)).map((i) => i.id)).toEqual(["c", "d"]);
    expect((await store.listInterviews(2, 2)).map((i) => i.id)).toEqual(["b", "a"]);
    expect(await store.listInterviews(2, 4)).toEqual([]);
  });

  it("lists the interviews after a position, the same order, ties on time broken by id", async () => {
    const { store } = ctx;
    for (const [id, at] of [["a", 1], ["b", 2], ["c", 2], ["d", 3], ["e", 2]] as const) await store.createInterview(interview(id, T(at)));
    const ids = async (limit: number, after?: { createdAt: string; id: string }) => (await store.listInterviews(limit, 0, after)).map((i) => i.id);
    expect(await ids(10)).toEqual(["d", "e", "c", "b", "a"]);
    expect(await ids(2, { createdAt: T(2), id: "e" })).toEqual(["c", "b"]);
    expect(await ids(10, { createdAt: T(2), id: "b" })).toEqual(["a"]);
    expect(await ids(10, { createdAt: T(1), id: "a" })).toEqual([]);
    // A position between rows (not a stored one) works too.
    expect(await ids(10, { createdAt: T(9), id: "" })).toEqual(["d", "e", "c", "b", "a"]);
  });

  it("rotates the interviewer link: the old hash stops resolving, the candidate link and expiry stay", async () => {
    const { store } = ctx;
    await store.createInterview(interview("a"));
    await store.rotateInterviewerLink("a", "i-new", "2097-01-01T00:00:00.000Z");
    expect(await store.findInterviewByLink("interviewer", "i-a")).toBeUndefined();
    const rotated = await store.findInterviewByLink("interviewer", "i-new");
    expect(rotated?.interviewerExpiresAt).toBe("2097-01-01T00:00:00.000Z");
    expect(rotated?.expiresAt).toBe("2099-01-01T00:00:00.000Z");
    expect((await store.findInterviewByLink("candidate", "c-a"))?.id).toBe("a");
  });

  it("replaces the candidate link only while nobody opened it", async () => {
    const { store } = ctx;
    await store.createInterview(interview("a"));
    expect(await store.replaceUnopenedCandidateLink("a", "c-new")).toBe(true);
    expect(await store.findInterviewByLink("candidate", "c-a")).toBeUndefined();
    expect((await store.findInterviewByLink("candidate", "c-new"))?.id).toBe("a");
    await store.addEvent(opened(), undefined, "link_opened");
    expect(await store.replaceUnopenedCandidateLink("a", "c-newer")).toBe(false);
    expect((await store.findInterviewByLink("candidate", "c-new"))?.id).toBe("a");
    expect(await store.replaceUnopenedCandidateLink("missing", "c-x")).toBe(false);
  });

  it("appends events in order, returns each as listEvents reads it, and counts them", async () => {
    const { store } = ctx;
    await store.createInterview(interview("a"));
    await store.createInterview(interview("b"));
    const first = await store.addEvent(opened(T(1)));
    const other = await store.addEvent(opened(T(2), "b"));
    const second = await store.addEvent({ interviewId: "a", type: "interviewer_link_opened", actor: "interviewer", at: T(3), data: { identity: "iv-1" } });
    expect(first.id).toBeLessThan(other.id);
    expect(other.id).toBeLessThan(second.id);
    expect(typeof first.id).toBe("number");
    expect(await store.listEvents("a")).toEqual([first, second]);
    expect(second).toMatchObject({ type: "interviewer_link_opened", at: T(3), actor: "interviewer", ip: null, userAgent: null, data: { identity: "iv-1" } });
    expect(first).toMatchObject({ ip: "198.51.100.7", userAgent: "UA/1", data: {} });
    expect(await store.countEvents("a")).toBe(2);
    expect(await store.countEvents("b")).toBe(1);
    expect(await store.countEvents("none")).toBe(0);
  });

  it("lists only the events stored after a given one, for readers that keep what they read", async () => {
    const { store } = ctx;
    await store.createInterview(interview("a"));
    await store.createInterview(interview("b"));
    const first = await store.addEvent(opened(T(1)));
    await store.addEvent(opened(T(2), "b"));
    const second = await store.addEvent(opened(T(3)));
    const third = await store.addEvent(opened(T(4)));
    expect(await store.listEvents("a", 0)).toEqual([first, second, third]);
    expect(await store.listEvents("a", first.id)).toEqual([second, third]);
    expect(await store.listEvents("a", third.id)).toEqual([]);
    expect(await store.listEvents("b", first.id)).toHaveLength(1);
  });

  it("commits one interview's concurrent events in id order: a reader never sees a later id before an earlier one", async () => {
    const { store } = ctx;
    await store.createInterview(interview("a"));
    let seen = 0;
    let gap = false;
    let writing = true;
    // A reader that keeps the last id it saw would miss an event that committed after a higher id.
    const reader = (async () => {
      const all: number[] = [];
      while (writing) {
        for (const e of await store.listEvents("a", seen)) {
          all.push(e.id);
          seen = e.id;
        }
      }
      return all;
    })();
    await Promise.all(Array.from({ length: 40 }, (_, i) => store.addEvent(opened(T(i)))));
    writing = false;
    const read = await reader;
    const stored = (await store.listEvents("a")).map((e) => e.id);
    const missed = stored.filter((id) => id <= seen && !read.includes(id));
    gap = missed.length > 0;
    expect(gap, `missed ${missed.join(", ")}`).toBe(false);
    expect(stored).toHaveLength(40);
  });

  it("keeps event data whose shape no longer matches its type as a legacy event, the same on write and read", async () => {
    const { store } = ctx;
    await store.createInterview(interview("a"));
    const odd = { interviewId: "a", type: "interviewer_link_opened", actor: "interviewer", at: T(1), data: { unexpected: 1 } };
    const stored = await store.addEvent(odd as never);
    expect(await store.listEvents("a")).toEqual([stored]);
  });

  it("refuses an event for an unknown interview", async () => {
    await expect(ctx.store.addEvent(opened(T(1), "ghost"))).rejects.toThrow();
  });

  it("sets the status with the event when asked, in the same write", async () => {
    const { store } = ctx;
    await store.createInterview(interview("a"));
    await store.addEvent(opened(), undefined, "link_opened");
    expect((await store.getInterview("a"))?.status).toBe("link_opened");
    await store.addEvent({ interviewId: "a", type: "interview_ended", actor: "interviewer", at: T(2) });
    expect((await store.getInterview("a"))?.status).toBe("link_opened");
    await store.addEvent({ interviewId: "a", type: "interview_ended", actor: "interviewer", at: T(3) }, undefined, "ended");
    expect((await store.getInterview("a"))?.status).toBe("ended");
  });

  it("writes nothing (event, status or deliveries) when the outbox mapper throws", async () => {
    const { store } = ctx;
    await store.createInterview(interview("a"));
    await store.webhooks.createEndpoint({ id: "ep", url: "https://example.com/h", description: null, events: null, secret: "whsec_x", previousSecret: null, previousSecretExpiresAt: null, createdAt: T(0), disabledAt: null });
    const boom: OutboxMapper = () => {
      throw new Error("mapper failed");
    };
    await expect(store.addEvent(opened(), boom, "link_opened")).rejects.toThrow("mapper failed");
    expect(await store.listEvents("a")).toEqual([]);
    expect((await store.getInterview("a"))?.status).toBe("created");
    expect(await store.webhooks.listDeliveries("ep", 10)).toEqual([]);
  });

  it("creates an interview with its first event in one write: both, or neither when either fails", async () => {
    const { store } = ctx;
    const created = { interviewId: "a", type: "interview_created", actor: "system", at: T(0), ip: null, userAgent: null } as const;
    const event = await store.createInterviewWithEvent(interview("a"), created);
    expect(await store.listEvents("a")).toEqual([event]);
    // A clashing room fails the interview insert: no event is left behind.
    await expect(store.createInterviewWithEvent({ ...interview("b"), room: "room-a" }, { ...created, interviewId: "b" })).rejects.toThrow();
    expect(await store.getInterview("b")).toBeUndefined();
    // An event the mapper fails on takes the interview down with it.
    const boom: OutboxMapper = () => {
      throw new Error("mapper failed");
    };
    await expect(store.createInterviewWithEvent(interview("c"), { ...created, interviewId: "c" }, boom)).rejects.toThrow("mapper failed");
    expect(await store.getInterview("c")).toBeUndefined();
    expect(await store.listEvents("c")).toEqual([]);
  });

  it("stores the risk level given with an event, and tells the mapper of a change from a level stored before", async () => {
    const { store } = ctx;
    const changes: unknown[] = [];
    const spy: OutboxMapper = (e) => {
      changes.push(e.riskChange ?? null);
      return [];
    };
    const created = { interviewId: "a", type: "interview_created", actor: "system", at: T(0), ip: null, userAgent: null, riskLevel: "clear" } as const;
    await store.createInterviewWithEvent(interview("a"), created, spy);
    expect((await store.getInterview("a"))?.riskLevel).toBe("clear");
    await store.addEvent({ ...opened(T(1)), riskLevel: "clear" }, spy);
    await store.addEvent({ ...opened(T(2)), riskLevel: "high" }, spy);
    await store.addEvent(opened(T(3)), spy);
    expect((await store.getInterview("a"))?.riskLevel).toBe("high");
    // First level: no change (nothing was stored); same level: none; clear → high: one; no level given: none.
    expect(changes).toEqual([null, null, { from: "clear", to: "high" }, null]);
    // A mapper that throws takes the new level down with the event.
    const boom: OutboxMapper = () => {
      throw new Error("mapper failed");
    };
    await expect(store.addEvent({ ...opened(T(4)), riskLevel: "review" }, boom)).rejects.toThrow("mapper failed");
    expect((await store.getInterview("a"))?.riskLevel).toBe("high");
    // An interview stored without a level reads back without one; one stored with a level keeps it, and
    // its first event at that level is no change.
    await store.createInterview(interview("b"));
    expect((await store.getInterview("b"))?.riskLevel).toBeUndefined();
    changes.length = 0;
    await store.createInterviewWithEvent({ ...interview("c"), riskLevel: "review" }, { ...created, interviewId: "c", riskLevel: "review" }, spy);
    expect((await store.getInterview("c"))?.riskLevel).toBe("review");
    expect(changes).toEqual([null]);
  });

  it("keeps every one of many concurrent event writes, with distinct ids", async () => {
    const { store } = ctx;
    await store.createInterview(interview("a"));
    const stored = await Promise.all(Array.from({ length: 40 }, (_, i) => store.addEvent(opened(T(i)), undefined, "link_opened")));
    expect(new Set(stored.map((e) => e.id)).size).toBe(40);
    expect((await store.listEvents("a")).map((e) => e.id)).toEqual(stored.map((e) => e.id).sort((x, y) => x - y));
    expect(await store.countEvents("a")).toBe(40);
  });
});
