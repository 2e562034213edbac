import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalLiveKit } from "../server/livekit/index.js";
import { VERIFICATION_LIMITS } from "../server/verification/index.js";
import { advancingClock, client, testApp } from "./helpers/app.js";
import { startTestLiveKit } from "./helpers/livekit.js";
import { dispatchedJob, postReport } from "./helpers/verifier-job.js";

// The kit's side of server-verified liveness, through its HTTP API with a real
// livekit-server (rooms, tokens and agent dispatches are real). No verifier
// worker runs here: the suite plays a lost verifier, and where it needs a
// verdict it posts one with the job's own credentials read from LiveKit's
// dispatch, as only a worker holding the API secret can.
let livekit: LocalLiveKit;
beforeAll(async () => {
  livekit = await startTestLiveKit(17860);
});
afterAll(async () => {
  await livekit?.stop();
});

const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString());
const passedVerdict = (snapshots = [{ step: -1, t: 100, jpeg: Buffer.from("\xff\xd8\xff\xe0 a frame \xff\xd9").toString("base64") }]) => ({
  type: "verdict",
  passed: true,
  reasons: ["step 1 (turn_left): done"],
  steps: [{ step: "turn_left", promptAt: 1000, onsetAt: 1400, reachedAt: 1700, doneAt: 2000, peak: 9, passed: true }],
  trace: [{ t: 100, faces: 1, yaw: 0, scale: 1 }],
  snapshots,
  framesAnalysed: 80,
  analysedFps: 12.5,
});

function setup(options: { maxAttempts?: number; maxSessions?: number; testSeeds?: boolean; now?: () => Date } = {}) {
  const built = testApp({ livekit: livekit.settings, ...options });
  return { ...built, api: client(built.app) };
}

describe("issuing a verification", () => {
  it("gives a camera-only token for a verification room and keeps the schedule on the server", async () => {
    const { api, store } = setup();
    const { json, token, headers } = await api.candidateSession();
    const res = await api.call("POST", `/v1/candidate/${token}/liveness`, { headers });
    expect(res.status).toBe(201);
    const ticket = await res.json();
    expect(ticket).toMatchObject({ totalSteps: 1, attemptsLeft: 2, room: `verify-${ticket.challengeId}` });
    // Nothing tells the page where the target goes, or when it starts.
    expect(Object.keys(ticket).sort()).toEqual(["attemptsLeft", "challengeId", "expiresAt", "identity", "room", "serverUrl", "token", "totalSteps"]);
    const claims = claimsOf(ticket.token);
    expect(claims.sub).toBe(ticket.identity);
    expect(claims.video).toMatchObject({ room: ticket.room, roomJoin: true, canPublish: true, canSubscribe: false, canPublishData: false });
    expect(claims.video.canPublishSources).toEqual(["camera"]);
    expect(claims.exp - claims.nbf).toBeLessThanOrEqual(120);

    // The verifier job was dispatched with the schedule the server recorded.
    const job = await dispatchedJob(livekit.settings, ticket.room);
    const stored = await store.getChallenge(ticket.challengeId);
    expect(job).toMatchObject({ challengeId: ticket.challengeId, candidateIdentity: ticket.identity, steps: stored!.steps, delaysMs: stored!.delaysMs });
    expect(stored!.steps).toEqual(["follow"]);
    const started = (await store.listEvents(json.id!)).find((e) => e.type === "liveness_started");
    expect(started?.data).toMatchObject({ challengeId: ticket.challengeId, attempt: 1 });
  });

  it("refuses a schedule seed outside a test configuration", async () => {
    const { api } = setup({ testSeeds: false });
    const { token, headers } = await api.candidateSession();
    const res = await api.call("POST", `/v1/candidate/${token}/liveness`, { headers, body: { seed: "pad-1" } });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({ code: "seed_not_allowed", field: "seed" });
  });

  it("needs a session", async () => {
    const { api } = setup();
    const { token } = await api.candidateSession();
    const res = await api.call("POST", `/v1/candidate/${token}/liveness`);
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe("session_required");
  });
});

describe("attempts and sessions", () => {
  it("counts attempts per link when issued: new sessions do not reset them", async () => {
    const { api, store } = setup({ maxAttempts: 2 });
    const { json, token, headers } = await api.candidateSession();
    const first = await api.call("POST", `/v1/candidate/${token}/liveness`, { headers });
    expect(first.status).toBe(201);
    // One open verification per session.
    const again = await api.call("POST", `/v1/candidate/${token}/liveness`, { headers });
    expect(again.status).toBe(409);
    expect((await again.json()).error.code).toBe("challenge_open");

    const second = await (await api.call("POST", `/v1/candidate/${token}/session`)).json();
    const h2 = { "x-candidate-session": second.sessionKey };
    expect((await api.call("POST", `/v1/candidate/${token}/liveness`, { headers: h2 })).status).toBe(201);
    const third = await (await api.call("POST", `/v1/candidate/${token}/session`)).json();
    const refused = await api.call("POST", `/v1/candidate/${token}/liveness`, { headers: { "x-candidate-session": third.sessionKey } });
    expect(refused.status).toBe(429);
    expect((await refused.json()).error.code).toBe("attempts_exhausted");
    expect(await store.countAttempts(json.id!)).toBe(2);
    const view = await (await api.call("GET", `/v1/candidate/${token}`)).json();
    expect(view.attemptsLeft).toBe(0);
  });

  it("caps the sessions one link may start", async () => {
    const { api } = setup({ maxSessions: 2 });
    const { token } = await api.candidateSession();
    expect((await api.call("POST", `/v1/candidate/${token}/session`)).status).toBe(201);
    const refused = await api.call("POST", `/v1/candidate/${token}/session`);
    expect(refused.status).toBe(429);
    expect((await refused.json()).error.code).toBe("sessions_exhausted");
  });

  it("ends a check whose verifier never reports as a named failure and gives the attempt back", async () => {
    const clock = advancingClock();
    const { api } = setup({ maxAttempts: 1, now: clock.now });
    const { json, token, headers } = await api.candidateSession();
    const ticket = await (await api.call("POST", `/v1/candidate/${token}/liveness`, { headers })).json();
    expect(ticket.attemptsLeft).toBe(0);
    const pending = await (await api.call("GET", `/v1/candidate/${token}/liveness/${ticket.challengeId}`, { headers })).json();
    expect(pending).toEqual({ state: "pending", phase: "waiting_verifier" });

    clock.advance(VERIFICATION_LIMITS.verifierJoinMs + 1_000);
    const lost = await (await api.call("GET", `/v1/candidate/${token}/liveness/${ticket.challengeId}`, { headers })).json();
    expect(lost).toMatchObject({ state: "failed", failure: "VerifierUnavailable", refunded: true, attemptsLeft: 1 });
    const event = (await (await api.call("GET", `/v1/interviews/${json.id}`, { headers: api.auth })).json()).events.find(
      (e: { type: string }) => e.type === "liveness_failed",
    );
    expect(event.data).toMatchObject({ failure: "VerifierUnavailable", refunded: true });
    // The free retry works, and a report from the lost job is refused afterwards.
    expect((await api.call("POST", `/v1/candidate/${token}/liveness`, { headers })).status).toBe(201);
    const job = await dispatchedJob(livekit.settings, ticket.room);
    const late = await postReport(api.call, job, passedVerdict());
    expect(late.status).toBe(409);
    expect((await api.call("POST", `/v1/candidate/${token}/join`, { headers })).status).toBe(403);
  });

  it("ends a check whose verifier goes silent mid-check", async () => {
    const clock = advancingClock();
    const { api } = setup({ now: clock.now });
    const { token, headers } = await api.candidateSession();
    const ticket = await (await api.call("POST", `/v1/candidate/${token}/liveness`, { headers })).json();
    const job = await dispatchedJob(livekit.settings, ticket.room);
    expect((await postReport(api.call, job, { type: "progress", phase: "steps" })).status).toBe(200);
    clock.advance(5_000);
    const running = await (await api.call("GET", `/v1/candidate/${token}/liveness/${ticket.challengeId}`, { headers })).json();
    expect(running).toEqual({ state: "pending", phase: "running" });
    clock.advance(VERIFICATION_LIMITS.verifierSilenceMs + 1_000);
    const lost = await (await api.call("GET", `/v1/candidate/${token}/liveness/${ticket.challengeId}`, { headers })).json();
    expect(lost).toMatchObject({ state: "failed", failure: "VerifierUnavailable", refunded: true, attemptsLeft: 3 });
  });
});

describe("what the candidate learns (security review 2, finding 21)", () => {
  it("gets the failure's name without the verifier's measurements", async () => {
    const { api } = setup();
    const { token, headers } = await api.candidateSession();
    const ticket = await (await api.call("POST", `/v1/candidate/${token}/liveness`, { headers })).json();
    const job = await dispatchedJob(livekit.settings, ticket.room);
    const failed = { ...passedVerdict([]), passed: false, failure: "NotFollowing", reasons: ["step 1 (follow): the pitch moved 0.24° per degree asked (lag 380 ms, yaw r 0.96)"] };
    expect((await postReport(api.call, job, failed)).status).toBe(200);
    const status = await (await api.call("GET", `/v1/candidate/${token}/liveness/${ticket.challengeId}`, { headers })).json();
    expect(status).toMatchObject({ state: "failed", failure: "NotFollowing", reasons: [] });
    expect(JSON.stringify(status)).not.toMatch(/0\.24|380|yaw/);
  });

  it("is not shown LiveKit's error text when the verifier cannot be dispatched", async () => {
    const built = testApp({ livekit: { ...livekit.settings, url: "ws://127.0.0.1:9", publicUrl: "ws://127.0.0.1:9" } });
    const api = client(built.app);
    const { token, headers } = await api.candidateSession();
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    try {
      const res = await api.call("POST", `/v1/candidate/${token}/liveness`, { headers });
      expect(res.status).toBe(503);
      const body = await res.json();
      expect(body.error.code).toBe("verifier_unavailable");
      expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|:9\b|fetch failed/);
    } finally {
      console.error = original;
    }
    // The cause is kept for the operator, in the kit's log.
    expect(JSON.stringify(errors)).toMatch(/dispatching the verifier failed/);
  });
});

describe("deadlines (security review 2, findings 13 and 16)", () => {
  it("counts a check the candidate stalls past its deadline while the verifier still reports: TooSlow, no refund", async () => {
    const clock = advancingClock();
    const { api } = setup({ now: clock.now });
    const { token, headers } = await api.candidateSession();
    const ticket = await (await api.call("POST", `/v1/candidate/${token}/liveness`, { headers })).json();
    const job = await dispatchedJob(livekit.settings, ticket.room);
    // The verifier keeps reporting progress, as it does while a stalling candidate holds each phase to its limit.
    const until = Date.parse(ticket.expiresAt) + 2_000;
    while (clock.now().getTime() < until) {
      expect((await postReport(api.call, job, { type: "progress", phase: "steps" })).status).toBe(200);
      clock.advance(4_000);
    }
    expect((await postReport(api.call, job, { type: "progress", phase: "steps" })).status).toBe(200);
    const over = await (await api.call("GET", `/v1/candidate/${token}/liveness/${ticket.challengeId}`, { headers })).json();
    // Counted: of the default three attempts two are left (a refund would leave three).
    expect(over).toMatchObject({ state: "failed", failure: "TooSlow", refunded: false, attemptsLeft: 2 });
  });

  it("gives every ticket the same lifetime, whatever pauses and path were drawn", async () => {
    const clock = advancingClock();
    const { api, store } = setup({ now: clock.now, testSeeds: true, maxAttempts: 10, maxSessions: 10 });
    const lifetimes = new Set<number>();
    const pauses = new Set<string>();
    for (const seed of ["a", "b", "c", "d", "e"]) {
      const { token, headers } = await api.candidateSession();
      const ticket = await (await api.call("POST", `/v1/candidate/${token}/liveness`, { headers, body: { seed } })).json();
      const stored = (await store.getChallenge(ticket.challengeId))!;
      pauses.add(JSON.stringify(stored.delaysMs));
      lifetimes.add(Date.parse(ticket.expiresAt) - Date.parse(stored.issuedAt));
    }
    expect(pauses.size).toBeGreaterThan(1);
    expect(lifetimes.size).toBe(1);
  });
});

describe("the verifier's report API", () => {
  it("records a verdict from the job's credentials, stores its frames, and opens the gate for that session only", async () => {
    const { api, store } = setup();
    const { json, token, headers } = await api.candidateSession();
    const ticket = await (await api.call("POST", `/v1/candidate/${token}/liveness`, { headers })).json();
    const job = await dispatchedJob(livekit.settings, ticket.room);
    expect(await (await api.call("GET", `/v1/candidate/${token}/session`, { headers })).json()).toEqual({ verified: false });
    const res = await postReport(api.call, job, passedVerdict());
    expect(res.status).toBe(200);
    // A reloaded page learns that its session passed and goes straight to the room.
    expect(await (await api.call("GET", `/v1/candidate/${token}/session`, { headers })).json()).toEqual({ verified: true });
    const status = await (await api.call("GET", `/v1/candidate/${token}/liveness/${ticket.challengeId}`, { headers })).json();
    expect(status).toMatchObject({ state: "passed", attemptsLeft: 2 });
    expect((await store.listSnapshots(json.id!)).map((s) => s.step)).toEqual([-1]);
    expect((await store.getChallenge(ticket.challengeId))?.verdict).toMatchObject({ passed: true, analysedFps: 12.5, steps: [{ onsetAt: 1400 }] });

    // A second verdict for the same check is refused.
    const again = await postReport(api.call, job, { ...passedVerdict(), passed: false, failure: "NoFace" });
    expect(again.status).toBe(409);
    expect((await again.json()).error.code).toBe("challenge_finished");

    const other = await (await api.call("POST", `/v1/candidate/${token}/session`)).json();
    expect((await api.call("POST", `/v1/candidate/${token}/join`, { headers: { "x-candidate-session": other.sessionKey } })).status).toBe(403);
    const join = await api.call("POST", `/v1/candidate/${token}/join`, { headers });
    expect(join.status).toBe(200);
    const grant = await join.json();
    expect(grant.room).toBe(`interview-${json.id}`);
    const claims = claimsOf(grant.token);
    expect(claims.video).toMatchObject({ room: grant.room, roomJoin: true, canPublishSources: ["camera", "microphone"], canPublishData: false });
    expect(claims.video.roomAdmin).toBeUndefined();
  });

  it("refuses reports without the job's secret, whatever else the caller holds, and records nothing", async () => {
    const { api, store } = setup();
    const { json, token, headers } = await api.candidateSession();
    const ticket = await (await api.call("POST", `/v1/candidate/${token}/liveness`, { headers })).json();
    const job = await dispatchedJob(livekit.settings, ticket.room);
    const forgeries = [undefined, "", ticket.token, headers["x-candidate-session"], token, `${job.reportToken}x`];
    for (const bearer of forgeries) {
      const res = await api.call("POST", `/internal/verifier/challenges/${ticket.challengeId}`, {
        body: passedVerdict(),
        headers: bearer === undefined ? {} : { authorization: `Bearer ${bearer}` },
      });
      expect(res.status, String(bearer)).toBe(401);
      expect((await res.json()).error.code).toBe("unauthorized");
    }
    // A real secret for another challenge does not transfer.
    const unknown = await postReport((m, u, i) => api.call(m, u.replace(ticket.challengeId, "ch_other"), i), job, passedVerdict());
    expect(unknown.status).toBe(401);
    // The client-evidence endpoint of the old design is gone.
    const old = await api.call("POST", `/v1/candidate/${token}/liveness/${ticket.challengeId}`, {
      headers,
      body: { nonce: "x", fit: [], steps: [{ step: "turn_left", frames: [] }], snapshots: [] },
    });
    expect(old.status).toBe(404);
    expect((await store.getChallenge(ticket.challengeId))?.state).toBe("pending");
    expect((await store.listEvents(json.id!)).some((e) => e.type === "liveness_passed")).toBe(false);
    expect((await api.call("POST", `/v1/candidate/${token}/join`, { headers })).status).toBe(403);
  });

  it("answers a malformed report with a coded 400 and keeps the check pending", async () => {
    const { api, store } = setup();
    const { token, headers } = await api.candidateSession();
    const ticket = await (await api.call("POST", `/v1/candidate/${token}/liveness`, { headers })).json();
    const job = await dispatchedJob(livekit.settings, ticket.room);
    const bad = await postReport(api.call, job, { ...passedVerdict(), failure: "Sunspots", passed: false });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatchObject({ code: "validation_failed", field: "failure" });
    expect((await store.getChallenge(ticket.challengeId))?.state).toBe("pending");
  });
});
