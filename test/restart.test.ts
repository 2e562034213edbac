import { beforeAll, describe, expect, it } from "vitest";
import type { LiveKitSettings } from "../server/livekit/index.js";
import { advancingClock, client, tempDbFile, testApp, tokenOf } from "./helpers/app.js";
import { sharedLiveKit } from "./helpers/livekit.js";
import { dispatchedJob, postReport } from "./helpers/verifier-job.js";

/** The run's shared livekit-server (test/global-setup.ts). */
let livekit: { settings: LiveKitSettings };
beforeAll(async () => {
  livekit = { settings: await sharedLiveKit() };
});

describe("restart", () => {
  it("keeps interviews, events, links and verified sessions across a restart on the same SQLite file", async () => {
    const dbFile = tempDbFile();
    const clock = advancingClock();
    const first = testApp({ livekit: livekit.settings, dbFile, now: clock.now });
    const api1 = client(first.app, "198.51.100.4");
    const { json } = await api1.createInterview({ candidate: { name: "Grace Hopper" }, claimedLocation: { country: "JP" } });
    const token = tokenOf(json.candidateUrl!);
    await api1.call("GET", `/v1/candidate/${token}`);
    const session = await (await api1.call("POST", `/v1/candidate/${token}/session`)).json();
    const headers = { "x-candidate-session": session.sessionKey };
    const ticket = await (await api1.call("POST", `/v1/candidate/${token}/liveness`, { headers })).json();
    // The verifier's side is played with the job's own credentials (test/verification-api.test.ts covers that API).
    const job = await dispatchedJob(livekit.settings, ticket.room);
    const verdict = { type: "verdict", passed: true, reasons: ["ok"], steps: [], trace: [], snapshots: [], framesAnalysed: 50, analysedFps: 12 };
    expect((await postReport(api1.call, job, verdict)).status).toBe(200);
    const before = await (await api1.call("GET", `/v1/interviews/${json.id}`, { headers: api1.auth })).json();
    await first.store.close();

    const second = testApp({ livekit: livekit.settings, dbFile, now: clock.now });
    const api2 = client(second.app);
    const after = await (await api2.call("GET", `/v1/interviews/${json.id}`, { headers: api2.auth })).json();
    expect(after).toEqual(before);
    expect(after.status).toBe("verified");
    expect(after.claimedLocation).toEqual({ country: "JP" });
    expect(after.events.find((e: { type: string }) => e.type === "link_opened").ip).toBe("198.51.100.4");

    // The verified session still admits the candidate, a second verdict is still refused, and attempts still count.
    const join = await api2.call("POST", `/v1/candidate/${token}/join`, { headers });
    expect(join.status).toBe(200);
    expect((await postReport(api2.call, job, verdict)).status).toBe(409);
    expect((await (await api2.call("GET", `/v1/candidate/${token}`)).json()).attemptsLeft).toBe(2);
    await second.store.close();
  });
});
