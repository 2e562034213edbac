/**
 * Silence must not score better than honesty (security review 2, finding 15): a candidate session
 * that joins the interview without sending any environment, network or camera report gets the
 * `signals_missing` review flag; a session that reported does not. Joins go through the kit's real
 * `/join` against a real livekit-server of this suite's own (no worker registered, so the monitor's
 * dispatch just waits). The pass itself is written to the store, as in test/rooms-hardening.test.ts:
 * the verifier's path to it is covered by test/verification-api.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeEvent } from "../client/ui/labels.js";
import type { LocalLiveKit } from "../server/livekit/index.js";
import { hashSecret } from "../server/security/index.js";
import { client, testApp, tokenOf } from "./helpers/app.js";
import { startTestLiveKit } from "./helpers/livekit.js";

let livekit: LocalLiveKit;
beforeAll(async () => {
  livekit = await startTestLiveKit(17950);
});
afterAll(async () => {
  await livekit?.stop();
});

type Env = ReturnType<typeof testApp>;
type Api = ReturnType<typeof client>;

/** A candidate session on `token` that counts as verified; its headers and session id. */
async function verifiedSession(env: Env, api: Api, interviewId: string, token: string) {
  const { sessionKey } = await (await api.call("POST", `/v1/candidate/${token}/session`)).json();
  const session = await env.store.findSession(interviewId, hashSecret(sessionKey));
  await env.store.markSessionVerified(session!.id, new Date().toISOString());
  return { headers: { "x-candidate-session": sessionKey as string }, sessionId: session!.id };
}

/** What the kit's page sends before it joins: the browser's environment and the camera outcome. */
async function reportLikeThePage(api: Api, token: string, headers: Record<string, string>) {
  const environment = {
    timeZone: "Asia/Seoul",
    offsetJanuary: -540,
    offsetJuly: -540,
    worker: { timeZone: "Asia/Seoul", offsetJanuary: -540, offsetJuly: -540 },
    languages: ["ko-KR"],
    locale: "ko-KR",
    clientTime: Date.now(),
  };
  expect((await api.call("POST", `/v1/candidate/${token}/environment`, { headers, body: environment })).status).toBe(201);
  expect((await api.call("POST", `/v1/candidate/${token}/camera`, { headers, body: { status: "granted", label: "Integrated Webcam", width: 640, height: 480 } })).status).toBe(200);
}

async function setup() {
  const env = testApp({ livekit: livekit.settings });
  const api = client(env.app);
  const { json } = await api.createInterview({ candidate: { name: "Kim Ji-woo" }, claimedLocation: { country: "KR", timezone: "Asia/Seoul" } });
  const id = json.id!;
  const token = tokenOf(json.candidateUrl!);
  const join = async (headers: Record<string, string>) => expect((await api.call("POST", `/v1/candidate/${token}/join`, { headers })).status).toBe(200);
  const report = async () => (await api.call("GET", `/v1/interviews/${id}/report`, { headers: api.auth })).json();
  const silences = async () => (await env.store.listEvents(id)).filter((e) => e.type === "signals_missing");
  return { env, api, id, token, join, report, silences };
}

describe("a session that joins without reporting (security review 2, finding 15)", () => {
  it("gets signals_missing once, and its report asks for review where an honest one is clear", async () => {
    const silent = await setup();
    const { headers, sessionId } = await verifiedSession(silent.env, silent.api, silent.id, silent.token);
    await silent.join(headers);
    const [event, ...more] = await silent.silences();
    expect(more).toEqual([]);
    expect(event?.data).toEqual({ sessionId, identity: expect.stringContaining(sessionId) });
    expect(describeEvent(event!)).toMatch(/without the browser's time zone, network or camera reports/);
    const report = await silent.report();
    const flag = report.flags.find((f: { id: string }) => f.id === "signals_missing");
    expect(flag).toMatchObject({ severity: "medium", evidence: { sessions: [sessionId] } });
    expect(flag.explanation).toMatch(/time-zone, clock and round-trip checks cannot run/);
    expect(report.level).toBe("review");
    // Joining again, or sending a report afterwards, does not record it twice or take it back.
    await reportLikeThePage(silent.api, silent.token, headers);
    await silent.join(headers);
    expect(await silent.silences()).toHaveLength(1);
    expect((await silent.report()).flags.map((f: { id: string }) => f.id)).toContain("signals_missing");

    // The same interview, a browser that reported what it is: no flag, and a cleaner level than silence.
    const honest = await setup();
    const page = await verifiedSession(honest.env, honest.api, honest.id, honest.token);
    await reportLikeThePage(honest.api, honest.token, page.headers);
    await honest.join(page.headers);
    expect(await honest.silences()).toEqual([]);
    const honestReport = await honest.report();
    expect(honestReport.flags).toEqual([]);
    expect(honestReport.level).toBe("clear");
    // The report shows what the browser sent, not the kit's bookkeeping of which session sent it.
    expect(honestReport.environment.report).not.toHaveProperty("sessionId");
  });

  it("counts only the joining session's own reports: another session's do not cover it", async () => {
    const { env, api, id, token, join, report, silences } = await setup();
    const honest = await verifiedSession(env, api, id, token);
    await reportLikeThePage(api, token, honest.headers);
    const script = await verifiedSession(env, api, id, token);
    await join(script.headers);
    expect((await silences()).map((e) => (e.data as { sessionId: string }).sessionId)).toEqual([script.sessionId]);
    expect((await report()).flags.find((f: { id: string }) => f.id === "signals_missing")?.evidence).toMatchObject({ sessions: [script.sessionId] });
  });

  it("takes any one report as reporting: a camera outcome alone is enough", async () => {
    const { env, api, id, token, join, silences } = await setup();
    const { headers } = await verifiedSession(env, api, id, token);
    expect((await api.call("POST", `/v1/candidate/${token}/camera`, { headers, body: { status: "granted", label: "Integrated Webcam" } })).status).toBe(200);
    await join(headers);
    expect(await silences()).toEqual([]);
  });
});
