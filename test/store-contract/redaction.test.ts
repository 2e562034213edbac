import { describe, expect, it } from "vitest";
import type { RedactionPlan } from "../../server/store/index.js";
import { BACKENDS, useStore } from "./backends.js";
import { challenge, interview, NOW, opened, session, T, together } from "./fixtures.js";

/** Takes `secret` out of event data; the redaction event records the counts. */
const plan: RedactionPlan = {
  placeholderName: "[redacted]",
  redactData: (_type, data) => {
    if (!("secret" in data)) return data;
    const { secret: _s, ...rest } = data;
    return rest;
  },
  event: (removed) => ({ type: "personal_data_redacted", actor: "system", at: T(100), data: { removed } as never }),
};

describe.each(BACKENDS)("Store contract on $name: personal data", (backend) => {
  const ctx = useStore(backend);

  it("removes the interview's personal data and appends the plan's event, in one step", async () => {
    const { store } = ctx;
    await store.createInterview(interview("a"));
    await store.createInterview(interview("b", T(5)));
    await store.createSession(session("s"), 10);
    await store.issueChallenge(challenge("ch", "s"), 3, NOW);
    // A verdict as earlier versions stored it: with the reference face's embedding and antispoof scores.
    const reference = { embedding: [0.6, 0.8], frames: 4, consistency: 0.97, antispoof: [0.81] };
    await store.finishChallenge("ch", { state: "passed", failure: null, refunded: false, finishedAt: T(1), verdict: { passed: true, reference } });
    await store.saveSnapshots([{ interviewId: "a", challengeId: "ch", step: 0, t: 1, jpeg: Buffer.from([1]), createdAt: T(1) }]);
    const vector = new Float32Array([1, 0]);
    await store.monitoring.saveTemplate({ interviewId: "a", challengeId: "ch", candidateName: "Ada Lovelace", vector, frames: 1, consistency: 1, createdAt: T(1) });
    await store.addEvent(opened(T(1)));
    await store.addEvent({ interviewId: "a", type: "interview_ended", actor: "interviewer", at: T(2), data: { secret: "x" } as never });
    await store.addEvent({ interviewId: "a", type: "interview_ended", actor: "interviewer", at: T(3) });
    // Interview b's identity check names a's candidate.
    const reused = [{ interviewId: "a", candidateName: "Ada Lovelace", candidateEmail: "ada@example.com", similarity: 0.9 }, { interviewId: "z", candidateName: "Z" }];
    await store.addEvent({ interviewId: "b", type: "identity_checked", actor: "system", at: T(6), data: { reused } as never });

    const result = await store.redactPersonalData("a", plan);
    expect(result?.removed).toEqual({ snapshots: 1, templates: 1, events: 2, verdicts: 1 });
    expect((await store.getChallenge("ch"))?.verdict).toEqual({ passed: true, reference: { frames: 4, consistency: 0.97 } });
    const events = await store.listEvents("a");
    expect(events.at(-1)).toEqual(result!.event);
    expect(events.every((e) => e.ip === null && e.userAgent === null && !("secret" in e.data))).toBe(true);
    expect(await store.getInterview("a")).toMatchObject({ candidateName: "[redacted]" });
    expect((await store.getInterview("a"))?.candidateEmail).toBeUndefined();
    expect(await store.listSnapshots("a")).toEqual([]);
    expect(await store.monitoring.templatesOf("a")).toEqual([]);
    expect((await store.listSessions("a"))[0]).toMatchObject({ ip: null, userAgent: null });
    const other = (await store.listEvents("b"))[0]!.data as { reused: unknown[] };
    expect(other.reused).toEqual([{ interviewId: "a", candidateName: "[redacted]", similarity: 0.9 }, { interviewId: "z", candidateName: "Z" }]);
    expect(await store.getInterview("b")).toMatchObject({ candidateName: "Ada Lovelace" });
  });

  it("changes nothing for an unknown or already redacted interview, even when asked many times at once", async () => {
    const { store } = ctx;
    const peer = await ctx.peer();
    expect(await store.redactPersonalData("ghost", plan)).toBeUndefined();
    await store.createInterview(interview("a"));
    const results = await together(6, (i) => (i % 2 ? peer : store).redactPersonalData("a", plan));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await store.listEvents("a")).filter((e) => e.type === "personal_data_redacted")).toHaveLength(1);
  });

  it("lists interviews created before a time and not yet redacted, oldest first", async () => {
    const { store } = ctx;
    await store.createInterview(interview("c", T(3)));
    await store.createInterview(interview("a", T(1)));
    await store.createInterview(interview("b", T(2)));
    await store.createInterview(interview("late", T(20)));
    expect(await store.listUnredactedBefore(T(10), 10)).toEqual(["a", "b", "c"]);
    await store.redactPersonalData("b", plan);
    expect(await store.listUnredactedBefore(T(10), 10)).toEqual(["a", "c"]);
    expect(await store.listUnredactedBefore(T(10), 1)).toEqual(["a"]);
  });
});
