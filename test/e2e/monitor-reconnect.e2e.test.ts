/**
 * The monitor against candidates that are not a browser page: a participant
 * that joins and never publishes video, and one that drops and comes back.
 * Real livekit-server, the real monitor job, real recorded faces from an
 * rtc-node publisher.
 */
import { Room } from "@livekit/rtc-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tokenOf } from "../helpers/app.js";
import { pollForEvent } from "../helpers/events.js";
import { type RunningKit, startKit } from "../helpers/kit-server.js";
import { startReactivePublisher } from "../helpers/rtc-publisher.js";
import { dispatchedJob, postReport } from "../helpers/verifier-job.js";

let kit: RunningKit;
beforeAll(async () => {
  kit = await startKit({ monitor: { noVideoMs: 3_000 } });
});
afterAll(async () => {
  await kit?.stop();
});

type Event = { type: string; actor: string; at: string; data: Record<string, unknown> };
const events = async (id: string): Promise<Event[]> =>
  (await (await kit.api.call("GET", `/v1/interviews/${id}`, { headers: kit.api.auth })).json()).events;

const waitForEvent = (id: string, match: (e: Event) => boolean, ms?: number) => pollForEvent(events, id, match, ms);

/** A session whose pass is posted with the verifier job's own credentials; returns its room grant. */
async function verifiedJoin() {
  const { json, token, headers } = await kit.api.candidateSession({ candidate: { name: "Reconnecting" } });
  const ticket = await (await kit.api.call("POST", `/v1/candidate/${token}/liveness`, { headers })).json();
  const job = await dispatchedJob(kit.livekit.settings, ticket.room);
  const pass = { type: "verdict", passed: true, reasons: ["posted by the test"], steps: [], trace: [], snapshots: [], framesAnalysed: 0, analysedFps: 0 };
  expect((await postReport(kit.api.call, job, pass)).status).toBe(200);
  const join = async () => (await kit.api.call("POST", `/v1/candidate/${token}/join`, { headers })).json();
  return { json, join };
}

describe("the monitor with silent and reconnecting candidates", () => {
  it("flags a candidate who joins and never publishes video, and follows them when they come back with a camera", async () => {
    const { json, join } = await verifiedJoin();
    const grant = await join();
    const silent = new Room();
    await silent.connect(grant.serverUrl, grant.token, { autoSubscribe: false, dynacast: false });
    const noVideo = await waitForEvent(json.id!, (e) => e.type === "no_video", 30_000);
    expect(noVideo).toMatchObject({ actor: "monitor" });
    expect(noVideo.data.seconds as number).toBeGreaterThanOrEqual(3);
    await silent.disconnect();

    // The same session comes back (same identity), now with a real camera; one monitor still watches.
    const again = await join();
    expect(again.identity).toBe(grant.identity);
    const publisher = await startReactivePublisher({ url: again.serverUrl, token: again.token });
    try {
      const base = `/v1/interviewer/${tokenOf(json.interviewerUrl!)}`;
      const deadline = Date.now() + 30_000;
      let sent: Response;
      // The monitor needs a heartbeat or two after the reconnect before it takes work.
      do sent = await kit.api.call("POST", `${base}/rechallenge`);
      while (sent.status === 503 && Date.now() < deadline && (await new Promise((r) => setTimeout(r, 500)), true));
      expect(sent.status).toBe(201);
      const { rechallengeId } = await sent.json();
      const second = await kit.api.call("POST", `${base}/rechallenge`);
      expect(second.status).toBe(409);
      const result = await waitForEvent(json.id!, (e) => e.type === "rechallenge_result", 45_000);
      expect(result).toMatchObject({ actor: "monitor", data: { rechallengeId, passed: true } });
      expect(publisher.prompts.length).toBeGreaterThanOrEqual(1);
      const started = (await events(json.id!)).filter((e) => e.type === "monitor_started");
      expect(started).toHaveLength(1);
    } finally {
      await publisher.stop();
    }
  }, 180_000);

  it("keeps watching the admitted candidate when a superseded session's token joins and leaves (security review 2, finding 6)", async () => {
    const { json, token } = await kit.api.candidateSession({ candidate: { name: "Superseded" } });
    /** A new session on the link, passed with its verifier job's own credentials, and its room grant. */
    const passedSession = async () => {
      const { sessionKey } = await (await kit.api.call("POST", `/v1/candidate/${token}/session`)).json();
      const headers = { "x-candidate-session": sessionKey as string };
      const ticket = await (await kit.api.call("POST", `/v1/candidate/${token}/liveness`, { headers })).json();
      const job = await dispatchedJob(kit.livekit.settings, ticket.room);
      const pass = { type: "verdict", passed: true, reasons: ["posted by the test"], steps: [], trace: [], snapshots: [], framesAnalysed: 0, analysedFps: 0 };
      expect((await postReport(kit.api.call, job, pass)).status).toBe(200);
      return (await kit.api.call("POST", `/v1/candidate/${token}/join`, { headers })).json();
    };
    // Two passes; S1's token is issued first, then S2's: S2 is the candidate.
    const first = await passedSession();
    const second = await passedSession();
    const publisher = await startReactivePublisher({ url: second.serverUrl, token: second.token });
    const stale = new Room();
    try {
      await waitForEvent(json.id!, (e) => e.type === "camera_judged" && e.data.identity === second.identity, 60_000);
      // A script joins with the superseded S1 token (still within its lifetime); the kit removes it.
      await stale.connect(first.serverUrl, first.token, { autoSubscribe: false, dynacast: false });
      await waitForEvent(json.id!, (e) => e.type === "participant_removed" && e.data.identity === first.identity, 30_000);
      // The monitor still watches S2: a re-check prompts S2's camera and passes (it used to go to the departed S1 and end NoVideo).
      const base = `/v1/interviewer/${tokenOf(json.interviewerUrl!)}`;
      const sent = await kit.api.call("POST", `${base}/rechallenge`);
      expect(sent.status).toBe(201);
      const { rechallengeId } = await sent.json();
      const result = await waitForEvent(json.id!, (e) => e.type === "rechallenge_result" && e.data.rechallengeId === rechallengeId, 45_000);
      expect(result.data, JSON.stringify(result.data)).toMatchObject({ passed: true });
      expect(publisher.prompts.length).toBeGreaterThanOrEqual(1);
    } finally {
      await stale.disconnect().catch(() => {});
      await publisher.stop();
    }
  }, 240_000);
});
