import { describe, expect, it } from "vitest";
import { EventType } from "./event-type.js";
import { EVENT_DATA, type EventInput, InterviewEvent, isEvent, readEvent } from "./events.js";

const row = (type: EventType, data: Record<string, unknown>) => ({
  id: 1,
  type,
  at: "2026-01-01T00:00:00.000Z",
  actor: "monitor" as const,
  ip: null,
  userAgent: null,
  data,
});

describe("EVENT_DATA", () => {
  it("has a data schema for every event type, and nothing else", () => {
    for (const type of EventType.options) expect(EVENT_DATA[type], type).toBeDefined();
    expect(Object.keys(EVENT_DATA).sort()).toEqual([...EventType.options].sort());
  });

  it("accepts what the writers record", () => {
    expect(EVENT_DATA.camera_on.safeParse({ offSeconds: 2, totalOffSeconds: 5 }).success).toBe(true);
    expect(EVENT_DATA.link_opened.safeParse({}).success).toBe(true);
    expect(EVENT_DATA.participant_joined.safeParse({ identity: "candidate_cs_1", role: "candidate" }).success).toBe(true);
    expect(EVENT_DATA.room_finished.safeParse({}).success).toBe(true);
    expect(
      EVENT_DATA.face_mismatch.safeParse({ similarities: [0.2], threshold: 0.55, seconds: 3, snapshotId: 7, monitorId: "mon_1" }).success,
    ).toBe(true);
    expect(
      EVENT_DATA.liveness_failed.safeParse({
        challengeId: "ch_1",
        steps: ["turn_left"],
        delaysMs: [900],
        failure: "NoFace",
        reasons: ["no face"],
        refunded: false,
        attemptsLeft: 2,
      }).success,
    ).toBe(true);
  });

  it("refuses a writer's wrong data for a type", () => {
    // A field of another type, a missing field, a wrong kind of value, an extra field.
    expect(EVENT_DATA.camera_on.safeParse({ seconds: 3 }).success).toBe(false);
    expect(EVENT_DATA.token_issued.safeParse({}).success).toBe(false);
    expect(EVENT_DATA.face_absent.safeParse({ seconds: "3" }).success).toBe(false);
    expect(EVENT_DATA.interview_ended.safeParse({ reason: "done" }).success).toBe(false);
    // The monitor's base64 snapshot is stored apart, never in the event.
    expect(EVENT_DATA.face_mismatch.safeParse({ similarities: [0.2], threshold: 0.55, seconds: 3, snapshot: "AAAA" }).success).toBe(false);
    expect(InterviewEvent.options[0].safeParse(row("camera_on", { seconds: 3 })).success).toBe(false);
  });

  it("refuses wrong data when the writer compiles", () => {
    // @ts-expect-error camera_on carries offSeconds and totalOffSeconds, not seconds
    const wrong: EventInput<"camera_on"> = { type: "camera_on", actor: "monitor", data: { seconds: 3 } };
    // @ts-expect-error token_issued needs its identity
    const missing: EventInput<"token_issued"> = { type: "token_issued", actor: "candidate" };
    const right: EventInput<"link_opened"> = { type: "link_opened", actor: "candidate" };
    expect([wrong, missing, right]).toHaveLength(3);
  });
});

describe("readEvent", () => {
  it("types an event whose data matches its type", () => {
    const e = readEvent(row("camera_on", { offSeconds: 2, totalOffSeconds: 5 }));
    expect(e.legacy).toBeUndefined();
    expect(isEvent(e, "camera_on") && e.data.totalOffSeconds).toBe(5);
  });

  it("keeps a stored row whose data does not match as legacy, with its data as stored, and never throws", () => {
    const e = readEvent(row("camera_on", { seconds: 3 }));
    expect(e).toMatchObject({ type: "camera_on", legacy: true, data: { seconds: 3 } });
    expect(isEvent(e, "camera_on")).toBe(false);
    expect(InterviewEvent.safeParse(e).success).toBe(true);
  });
});
