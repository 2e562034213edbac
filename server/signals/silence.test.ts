import { describe, expect, it } from "vitest";
import { readEvent } from "../../shared/events.js";
import type { EventType, InterviewEvent } from "../../shared/interview.js";
import { levelFor } from "./flags.js";
import { buildContext } from "./context.js";
import { signalsMissingRule, silentSession } from "./silence.js";

let nextId = 1;
const event = (type: EventType, data: Record<string, unknown>): InterviewEvent =>
  readEvent({ id: nextId++, type, at: new Date(Date.UTC(2026, 11, 7, 10, 0, nextId)).toISOString(), actor: "candidate", ip: null, userAgent: null, data });
const run = (events: InterviewEvent[]) => signalsMissingRule(buildContext({ interviewId: "iv_1", events, geo: { lookup: () => ({}) }, now: new Date() }));

describe("signalsMissingRule", () => {
  it("stays quiet when no session joined silently", () => {
    expect(run([event("token_issued", { identity: "candidate_cs_1" })])).toEqual([]);
  });

  it("raises one review flag naming every silent session, which outranks an honest machine's one low flag", () => {
    const flags = run([
      event("signals_missing", { sessionId: "cs_1", identity: "candidate_cs_1" }),
      event("signals_missing", { sessionId: "cs_2", identity: "candidate_cs_2" }),
    ]);
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ id: "signals_missing", severity: "medium", evidence: { sessions: ["cs_1", "cs_2"] } });
    expect(levelFor(flags)).toBe("review");
  });
});

describe("silentSession", () => {
  it("is true only for a session with no report of its own and no signals_missing yet", () => {
    const camera = event("camera_granted", { label: "cam", sessionId: "cs_1" });
    expect(silentSession([], "cs_1")).toBe(true);
    expect(silentSession([camera], "cs_1")).toBe(false);
    expect(silentSession([camera], "cs_2")).toBe(true);
    expect(silentSession([event("network_reported", { rttMs: [40], sessionId: "cs_2" })], "cs_2")).toBe(false);
    expect(silentSession([event("signals_missing", { sessionId: "cs_2", identity: "candidate_cs_2" })], "cs_2")).toBe(false);
  });

  it("lets a report stored before reports named their session count for any session", () => {
    const old = event("environment_reported", { timeZone: "Asia/Seoul", offsetJanuary: -540, offsetJuly: -540, languages: ["ko-KR"], locale: "ko-KR", clientTime: Date.now() });
    expect(silentSession([old], "cs_9")).toBe(false);
  });
});
