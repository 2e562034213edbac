/**
 * Regression tests for the security review's room findings: a LiveKit token
 * is worthless once its interview has ended, an interview has one candidate
 * identity and always a place for the interviewer, and interviewer links are
 * short-lived and rotatable. Runs against its own real livekit-server; the
 * webhooks LiveKit would send are signed here with the server's own key.
 */
import { createHash } from "node:crypto";
import { Room, RoomEvent } from "@livekit/rtc-node";
import { AccessToken, RoomServiceClient } from "livekit-server-sdk";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { isEvent } from "../shared/events.js";
import { RotatedInterviewerLink } from "../shared/interview.js";
import { type LocalLiveKit, ROOM_LIMITS } from "../server/livekit/index.js";
import { toHttp } from "../server/livekit/livekit-rooms.js";
import { hashSecret } from "../server/security/index.js";
import { advancingClock, client, testApp, tokenOf } from "./helpers/app.js";
import { startTestLiveKit } from "./helpers/livekit.js";

let livekit: LocalLiveKit;
let roomService: RoomServiceClient;
beforeAll(async () => {
  livekit = await startTestLiveKit(17830);
  const { url, apiKey, apiSecret } = livekit.settings;
  roomService = new RoomServiceClient(toHttp(url), apiKey, apiSecret);
});
afterAll(async () => {
  await livekit?.stop();
});

/** rtc-node rooms a test connected; all disconnected after it. */
const connected: Room[] = [];
afterEach(async () => {
  await Promise.all(connected.splice(0).map((r) => r.disconnect().catch(() => {})));
});

type Api = ReturnType<typeof client>;
type Grant = { serverUrl: string; token: string; room: string; identity: string };

/** Connects a real participant with a token the kit issued. */
async function connect(grant: Pick<Grant, "token">): Promise<Room> {
  const room = new Room();
  connected.push(room);
  await room.connect(livekit.settings.url, grant.token, { autoSubscribe: false, dynacast: false });
  return room;
}

/** Resolves when the participant is disconnected by the server. */
const disconnected = (room: Room) =>
  new Promise<void>((resolve) => {
    if (!room.isConnected) return resolve();
    room.once(RoomEvent.Disconnected, () => resolve());
  });

const identitiesIn = async (room: string) => (await roomService.listParticipants(room)).map((p) => p.identity).sort();

/** A LiveKit webhook for `identity` joining `room`, signed the way livekit-server signs it. */
async function participantJoined(api: Api, room: string, identity: string) {
  const raw = JSON.stringify({
    event: "participant_joined",
    room: { name: room },
    participant: { identity },
    id: `EV_${identity}`,
    createdAt: String(Math.floor(Date.now() / 1000)),
  });
  const token = new AccessToken(livekit.settings.apiKey, livekit.settings.apiSecret);
  token.sha256 = createHash("sha256").update(raw).digest("base64");
  const res = await api.call("POST", "/webhooks/livekit", { raw, headers: { authorization: await token.toJwt() } });
  expect(res.status).toBe(200);
  return res.json();
}

/**
 * A candidate session on `token` that counts as verified. The verifier path
 * that sets this in production (a pass recorded by the verifier job) is
 * covered by test/verification-api.test.ts and the e2e suites; here the pass
 * is written to the store directly.
 */
async function verifiedSession(env: ReturnType<typeof testApp>, api: Api, interviewId: string, token: string) {
  const { sessionKey } = await (await api.call("POST", `/v1/candidate/${token}/session`)).json();
  const session = await env.store.findSession(interviewId, hashSecret(sessionKey));
  await env.store.markSessionVerified(session!.id, new Date().toISOString());
  return { "x-candidate-session": sessionKey as string };
}

async function candidateJoin(api: Api, token: string, headers: Record<string, string>): Promise<Grant> {
  const res = await api.call("POST", `/v1/candidate/${token}/join`, { headers });
  expect(res.status).toBe(200);
  return res.json();
}

const eventsOf = async (env: ReturnType<typeof testApp>, id: string) => env.store.listEvents(id);

describe("a token after the interview ends", () => {
  it("cannot join: the room is gone and livekit-server does not create it again", async () => {
    const env = testApp({ livekit: livekit.settings });
    const api = client(env.app);
    const { json } = await api.createInterview();
    const token = tokenOf(json.candidateUrl!);
    const grant = await candidateJoin(api, token, await verifiedSession(env, api, json.id!, token));

    // The token works while the interview runs...
    const before = await connect(grant);
    expect(await identitiesIn(grant.room)).toEqual([grant.identity]);
    await before.disconnect();

    const end = await api.call("POST", `/v1/interviewer/${tokenOf(json.interviewerUrl!)}/end`);
    expect(end.status).toBe(200);

    // ...and is worthless after the end, though still within its own lifetime.
    await expect(connect(grant)).rejects.toThrow();
    expect((await roomService.listRooms([grant.room])).map((r) => r.name)).toEqual([]);
  });

  it("removes a participant whose join LiveKit reports after the interview ended, and records it", async () => {
    const env = testApp({ livekit: livekit.settings });
    const api = client(env.app);
    const { json } = await api.createInterview();
    const token = tokenOf(json.candidateUrl!);
    const grant = await candidateJoin(api, token, await verifiedSession(env, api, json.id!, token));
    const room = await connect(grant);
    // A join that raced the end: the interview is stored as ended while the room still exists.
    await env.store.addEvent({ interviewId: json.id!, type: "interview_ended", actor: "interviewer", at: new Date().toISOString() }, undefined, "ended");

    expect(await participantJoined(api, grant.room, grant.identity)).toEqual({ received: "participant_joined", recorded: true });
    await disconnected(room);
    expect(await identitiesIn(grant.room)).toEqual([]);
    const removed = (await eventsOf(env, json.id!)).find((e) => e.type === "participant_removed");
    expect(removed?.data).toMatchObject({ identity: grant.identity, role: "candidate", reason: "interview_ended" });
  });
});

describe("one candidate identity per interview", () => {
  it("a join from another verified session removes the earlier candidate; the earlier token cannot come back", async () => {
    const env = testApp({ livekit: livekit.settings });
    const api = client(env.app);
    const { json } = await api.createInterview();
    const token = tokenOf(json.candidateUrl!);

    const first = await candidateJoin(api, token, await verifiedSession(env, api, json.id!, token));
    const firstRoom = await connect(first);
    const second = await candidateJoin(api, token, await verifiedSession(env, api, json.id!, token));
    expect(second.identity).not.toBe(first.identity);

    // The join itself removed the earlier candidate through RoomService.
    await disconnected(firstRoom);
    const replaced = (await eventsOf(env, json.id!)).filter((e) => e.type === "candidate_replaced");
    expect(replaced.map((e) => e.data)).toEqual([{ identity: first.identity, replacedBy: second.identity, removed: true }]);

    await connect(second);
    expect(await participantJoined(api, second.room, second.identity)).toMatchObject({ recorded: true });
    expect(await identitiesIn(second.room)).toEqual([second.identity]);

    // The earlier token is still within its lifetime: LiveKit lets it in, the kit's webhook handler removes it.
    const comeback = await connect(first);
    await participantJoined(api, first.room, first.identity);
    await disconnected(comeback);
    expect(await identitiesIn(second.room)).toEqual([second.identity]);
    const removed = (await eventsOf(env, json.id!)).filter((e) => isEvent(e, "participant_removed"));
    expect(removed.map((e) => e.data)).toEqual([{ identity: first.identity, role: "candidate", reason: "superseded" }]);
  });

  it("a participant_joined webhook for a second candidate identity replaces the earlier one in the room", async () => {
    const env = testApp({ livekit: livekit.settings });
    const api = client(env.app);
    const { json } = await api.createInterview();
    const token = tokenOf(json.candidateUrl!);
    // Both tokens issued before either joined (two tabs, two verified sessions).
    const first = await candidateJoin(api, token, await verifiedSession(env, api, json.id!, token));
    const second = await candidateJoin(api, token, await verifiedSession(env, api, json.id!, token));
    const firstRoom = await connect(first);
    await connect(second);
    expect(await identitiesIn(first.room)).toEqual([first.identity, second.identity].sort());

    await participantJoined(api, second.room, second.identity);
    await disconnected(firstRoom);
    expect(await identitiesIn(second.room)).toEqual([second.identity]);
    const replaced = (await eventsOf(env, json.id!)).filter((e) => e.type === "candidate_replaced");
    expect(replaced.at(-1)?.data).toEqual({ identity: first.identity, replacedBy: second.identity, removed: true });
  });

  it("keeps a place for the interviewer when candidate identities have filled the room", async () => {
    const env = testApp({ livekit: livekit.settings });
    const api = client(env.app);
    const { json } = await api.createInterview();
    const token = tokenOf(json.candidateUrl!);
    // ROOM_LIMITS.maxParticipants tokens for distinct verified sessions, all issued before anyone joins.
    const grants: Grant[] = [];
    for (let i = 0; i < ROOM_LIMITS.maxParticipants; i++) {
      grants.push(await candidateJoin(api, token, await verifiedSession(env, api, json.id!, token)));
    }
    for (const g of grants) await connect(g);
    expect(await identitiesIn(grants[0]!.room)).toHaveLength(ROOM_LIMITS.maxParticipants);

    const join = await api.call("POST", `/v1/interviewer/${tokenOf(json.interviewerUrl!)}/join`);
    expect(join.status).toBe(200);
    const interviewer: Grant = await join.json();
    await connect(interviewer);
    // The current candidate (the last token issued) and the interviewer remain.
    expect(await identitiesIn(interviewer.room)).toEqual([grants.at(-1)!.identity, interviewer.identity].sort());
    const removed = (await eventsOf(env, json.id!)).filter((e) => isEvent(e, "participant_removed"));
    expect(removed.map((e) => e.data.reason)).toEqual(Array(ROOM_LIMITS.maxParticipants - 1).fill("room_full"));
  });
});

describe("interviewer links", () => {
  it("live 24 hours by default, less than the candidate link, and INTERVIEWER_LINK_TTL_HOURS sets it", async () => {
    const clock = advancingClock();
    const env = testApp({ livekit: livekit.settings, now: clock.now });
    const api = client(env.app);
    const { json } = await api.createInterview();
    const hours = (iso: string) => (Date.parse(iso) - clock.now().getTime()) / 3600_000;
    expect(hours(json.interviewerExpiresAt!)).toBeCloseTo(24, 1);
    expect(hours(json.expiresAt!)).toBeCloseTo(72, 1);

    clock.advance(25 * 3600_000);
    const interviewer = await api.call("GET", `/v1/interviewer/${tokenOf(json.interviewerUrl!)}`);
    expect(interviewer.status).toBe(410);
    expect((await interviewer.json()).error.code).toBe("link_expired");
    expect((await api.call("GET", `/v1/candidate/${tokenOf(json.candidateUrl!)}`)).status).toBe(200);

    const short = client(testApp({ livekit: livekit.settings, interviewerLinkTtlHours: 2 }).app);
    const created = (await short.createInterview()).json;
    expect((Date.parse(created.interviewerExpiresAt!) - Date.now()) / 3600_000).toBeCloseTo(2, 1);
    // Never past the interview's own expiry.
    const brief = (await short.createInterview({ candidate: { name: "Ada" }, expiresInHours: 1 })).json;
    expect(brief.interviewerExpiresAt).toBe(brief.expiresAt);
  });

  it("rotate: the new link works, the old one answers 404, connected interviewers are removed, and it is recorded", async () => {
    const env = testApp({ livekit: livekit.settings });
    const api = client(env.app);
    const { json } = await api.createInterview();
    const oldToken = tokenOf(json.interviewerUrl!);
    const joined: Grant = await (await api.call("POST", `/v1/interviewer/${oldToken}/join`)).json();
    const oldRoom = await connect(joined);

    expect((await api.call("POST", `/v1/interviews/${json.id}/interviewer-link`)).status).toBe(401);
    expect((await api.call("POST", "/v1/interviews/iv_missing/interviewer-link", { headers: api.auth })).status).toBe(404);

    const res = await api.call("POST", `/v1/interviews/${json.id}/interviewer-link`, { headers: api.auth });
    expect(res.status).toBe(201);
    const rotated = RotatedInterviewerLink.parse(await res.json());
    expect(rotated.id).toBe(json.id);
    expect(rotated.interviewerUrl).not.toBe(json.interviewerUrl);

    for (const path of ["", "/report"]) {
      const old = await api.call("GET", `/v1/interviewer/${oldToken}${path}`);
      expect(old.status, path).toBe(404);
    }
    expect((await api.call("POST", `/v1/interviewer/${oldToken}/join`)).status).toBe(404);
    expect((await api.call("GET", `/v1/interviewer/${tokenOf(rotated.interviewerUrl)}`)).status).toBe(200);

    // A leaked link's holder already in the room does not stay there on a refreshed token.
    await disconnected(oldRoom);
    expect(await identitiesIn(joined.room)).toEqual([]);
    // Nor can it come back: its token (like the refreshed ones LiveKit hands out) is still within its
    // lifetime, so LiveKit lets it in, and the kit removes it when LiveKit reports the join.
    const back = await connect(joined);
    await participantJoined(api, joined.room, joined.identity);
    await disconnected(back);
    expect(await identitiesIn(joined.room)).toEqual([]);

    const events = await eventsOf(env, json.id!);
    expect(events.find((e) => e.type === "interviewer_link_rotated")?.data).toEqual({ interviewerExpiresAt: rotated.interviewerExpiresAt });
    expect(events.filter((e) => e.type === "participant_removed").map((e) => e.data)).toEqual([
      { identity: joined.identity, role: "interviewer", reason: "link_rotated" },
      { identity: joined.identity, role: "interviewer", reason: "link_rotated" },
    ]);
    // The candidate link is untouched.
    expect((await api.call("GET", `/v1/candidate/${tokenOf(json.candidateUrl!)}`)).status).toBe(200);
  });

  it("an interviewer who rejoins after the link expired is removed; the current link's interviewer stays", async () => {
    let clock = Date.now();
    const env = testApp({ livekit: livekit.settings, now: () => new Date(clock), interviewerLinkTtlHours: 1 });
    const api = client(env.app);
    const { json } = await api.createInterview();
    const grant: Grant = await (await api.call("POST", `/v1/interviewer/${tokenOf(json.interviewerUrl!)}/join`)).json();
    const room = await connect(grant);
    expect(await participantJoined(api, grant.room, grant.identity)).toMatchObject({ recorded: true });
    expect(await identitiesIn(grant.room)).toEqual([grant.identity]);
    // Past the link's expiry, the same token reconnecting is refused.
    clock += 3600_000 + 1_000;
    expect(await participantJoined(api, grant.room, grant.identity)).toMatchObject({ recorded: true });
    await disconnected(room);
    const removed = (await eventsOf(env, json.id!)).filter((e) => e.type === "participant_removed").map((e) => e.data);
    expect(removed).toEqual([{ identity: grant.identity, role: "interviewer", reason: "link_expired" }]);
  });
});

describe("the interviewer's LiveKit grants (security review 2, finding 4)", () => {
  const listDispatch = (jwt: string, room: string) =>
    fetch(`${toHttp(livekit.settings.url)}/twirp/livekit.AgentDispatchService/ListDispatch`, {
      method: "POST",
      headers: { authorization: `Bearer ${jwt}`, "content-type": "application/json" },
      body: JSON.stringify({ room }),
    });

  it("cannot list or create agent dispatches (where the verifier's and monitor's report secrets travel)", async () => {
    const env = testApp({ livekit: livekit.settings });
    const api = client(env.app);
    const { json } = await api.createInterview();
    const grant: Grant = await (await api.call("POST", `/v1/interviewer/${tokenOf(json.interviewerUrl!)}/join`)).json();
    const claims = JSON.parse(Buffer.from(grant.token.split(".")[1]!, "base64url").toString());
    expect(claims.video.roomAdmin).toBeUndefined();
    expect(claims.video).toMatchObject({ room: grant.room, roomJoin: true, canSubscribe: true, canPublishData: false, canPublishSources: ["camera", "microphone"] });

    const listed = await listDispatch(grant.token, grant.room);
    expect(listed.ok, await listed.clone().text()).toBe(false);
    const created = await fetch(`${toHttp(livekit.settings.url)}/twirp/livekit.AgentDispatchService/CreateDispatch`, {
      method: "POST",
      headers: { authorization: `Bearer ${grant.token}`, "content-type": "application/json" },
      body: JSON.stringify({ room: grant.room, agentName: "verify-kit-verifier", metadata: "{}" }),
    });
    expect(created.ok).toBe(false);
    // The same call with the room-admin grant the kit used to give succeeds: the refusal above is the grant's.
    const admin = new AccessToken(livekit.settings.apiKey, livekit.settings.apiSecret, { identity: "interviewer_admin" });
    admin.addGrant({ room: grant.room, roomJoin: true, roomAdmin: true });
    expect((await listDispatch(await admin.toJwt(), grant.room)).status).toBe(200);
  });
});
