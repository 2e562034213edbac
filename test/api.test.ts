import { beforeAll, describe, expect, it } from "vitest";
import type { LiveKitSettings } from "../server/livekit/index.js";
import { hashSecret } from "../server/security/index.js";
import { client, testApp, tokenOf } from "./helpers/app.js";
import { sharedLiveKit } from "./helpers/livekit.js";

/** The run's shared livekit-server (test/global-setup.ts). */
let livekit: { settings: LiveKitSettings };
beforeAll(async () => {
  livekit = { settings: await sharedLiveKit() };
});

describe("interviews API", () => {
  it("creates an interview and reads it back with its events", async () => {
    const { app, store } = testApp({ livekit: livekit.settings, publicUrl: "https://verify.example.com" });
    const api = client(app);
    const { res, json } = await api.createInterview({
      candidate: { name: "Kim Min-jun", email: "kim@example.com" },
      claimedLocation: { country: "kr", city: "Seoul", timezone: "Asia/Seoul" },
      expiresInHours: 48,
    });
    expect(res.status).toBe(201);
    expect(json).toMatchObject({ status: "created" });
    expect(json.candidateUrl).toMatch(/^https:\/\/verify\.example\.com\/c\/[A-Za-z0-9_-]{43}$/);
    expect(json.interviewerUrl).toMatch(/^https:\/\/verify\.example\.com\/i\/[A-Za-z0-9_-]{43}$/);
    const hours = (Date.parse(json.expiresAt!) - Date.now()) / 3600_000;
    expect(hours).toBeGreaterThan(47.9);
    expect(hours).toBeLessThanOrEqual(48);

    // Links are stored only as hashes.
    const token = tokenOf(json.candidateUrl!);
    const stored = await store.getInterview(json.id!);
    expect(stored?.candidateTokenHash).toBe(hashSecret(token));
    expect(JSON.stringify(stored)).not.toContain(token);

    const got = await api.call("GET", `/v1/interviews/${json.id}`, { headers: api.auth });
    expect(got.status).toBe(200);
    const body = await got.json();
    expect(body).toMatchObject({
      id: json.id,
      status: "created",
      candidate: { name: "Kim Min-jun", email: "kim@example.com" },
      claimedLocation: { country: "KR", city: "Seoul", timezone: "Asia/Seoul" },
    });
    expect(body.events.map((e: { type: string }) => e.type)).toEqual(["interview_created"]);
  });

  it("finds an interview by its own room, and none by a room no interview has", async () => {
    const { app, store } = testApp({ livekit: livekit.settings });
    const api = client(app);
    const first = (await api.createInterview()).json;
    const second = (await api.createInterview({ candidate: { name: "Grace Hopper" } })).json;
    for (const id of [first.id!, second.id!]) {
      const room = (await store.getInterview(id))!.room;
      expect((await store.findInterviewByRoom(room))?.id).toBe(id);
    }
    expect(await store.findInterviewByRoom("interview-iv_neverissued")).toBeUndefined();
  });

  it("refuses a missing or wrong API key with 401", async () => {
    const { app } = testApp({ livekit: livekit.settings });
    const api = client(app);
    const none = await api.call("POST", "/v1/interviews", { body: { candidate: { name: "A" } } });
    expect(none.status).toBe(401);
    expect((await none.json()).error.code).toBe("unauthorized");
    const wrong = await api.call("GET", "/v1/interviews/iv_x", { headers: { authorization: "Bearer nope-nope-nope-nope" } });
    expect(wrong.status).toBe(401);
  });

  it("answers malformed JSON and schema failures with 400 naming the field", async () => {
    const { app, store } = testApp({ livekit: livekit.settings });
    const api = client(app);
    const bad = await api.call("POST", "/v1/interviews", { raw: "{not json", headers: api.auth });
    expect(bad.status).toBe(400);
    const badBody = await bad.json();
    expect(badBody.error.code).toBe("invalid_json");
    expect(badBody.requestId).toEqual(expect.any(String));

    const cases: Array<[unknown, string]> = [
      [{ candidate: {} }, "candidate.name"],
      [{ candidate: { name: "A", email: "not-an-email" } }, "candidate.email"],
      [{ candidate: { name: "A" }, claimedLocation: { country: "XX" } }, "claimedLocation.country"],
      [{ candidate: { name: "A" }, claimedLocation: { country: "KR", timezone: "Mars/Olympus" } }, "claimedLocation.timezone"],
      [{ candidate: { name: "A" }, expiresInHours: -1 }, "expiresInHours"],
      [{ candidate: { name: "A" }, expiresInHours: "soon" }, "expiresInHours"],
      [{ candidate: { name: "A" }, surprise: true }, ""],
    ];
    for (const [body, field] of cases) {
      const res = await api.call("POST", "/v1/interviews", { body, headers: api.auth });
      expect(res.status, JSON.stringify(body)).toBe(400);
      const json = await res.json();
      expect(json.error.code).toBe("validation_failed");
      if (field) expect(json.error.field).toBe(field);
    }
    // Nothing half-created: the list is as empty as before the refused requests.
    expect(await store.listInterviews(100, 0)).toEqual([]);
  });

  it("answers an unknown interview with 404", async () => {
    const { app } = testApp({ livekit: livekit.settings });
    const api = client(app);
    const res = await api.call("GET", "/v1/interviews/iv_doesnotexist", { headers: api.auth });
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe("not_found");
  });

  it("answers an oversized body with 413", async () => {
    const { app } = testApp({ livekit: livekit.settings });
    const api = client(app);
    const res = await api.call("POST", "/v1/interviews", {
      raw: JSON.stringify({ candidate: { name: "A" }, pad: "x".repeat(3 * 1024 * 1024) }),
      headers: api.auth,
    });
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe("payload_too_large");
  });
});

describe("the live stream", () => {
  it("sends ready, then one interview message per recorded event, and lets go when the client leaves", async () => {
    const { app } = testApp({ livekit: livekit.settings });
    const api = client(app);
    const res = await api.call("GET", "/v1/interviews/stream", { headers: api.auth });
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    const until = async (pattern: RegExp) => {
      while (!pattern.test(text)) text += (await reader.read()).value ?? "";
    };
    await until(/event: ready\n/);
    const { json } = await api.createInterview();
    await until(/event: interview\ndata: .*\n\n/);
    const data = /event: interview\ndata: (.*)\n/.exec(text)![1]!;
    expect(JSON.parse(data)).toMatchObject({ interviewId: json.id, type: "interview_created", status: "created" });
    await reader.cancel();
  });

  it("closes a stream whose API key is revoked, and one whose interviewer link is rotated (security review 2, finding 18)", async () => {
    const { app } = testApp({ livekit: livekit.settings });
    const api = client(app);
    const made = await (await api.call("POST", "/v1/api-keys", { body: { name: "Watcher", scopes: ["interviews:read"] }, headers: api.auth })).json();
    const { json } = await api.createInterview();
    /** Reads a stream to its end (or 30 s, which only a stream that never closes reaches); the text it sent. */
    const drain = async (res: Response) => {
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let text = "";
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        const chunk = await Promise.race([reader.read(), new Promise<undefined>((r) => setTimeout(r, deadline - Date.now()))]);
        if (!chunk || chunk.done) break;
        text += chunk.value;
      }
      await reader.cancel().catch(() => {});
      return text;
    };
    const byKey = await api.call("GET", "/v1/interviews/stream", { headers: { authorization: `Bearer ${made.secret}` } });
    const byLink = await api.call("GET", `/v1/interviewer/${tokenOf(json.interviewerUrl!)}/stream`);
    const [keyText, linkText] = await Promise.all([
      drain(byKey),
      drain(byLink),
      (async () => {
        expect((await api.call("DELETE", `/v1/api-keys/${made.id}`, { headers: api.auth })).status).toBe(200);
        expect((await api.call("POST", `/v1/interviews/${json.id}/interviewer-link`, { headers: api.auth })).status).toBe(201);
      })(),
    ]);
    expect(keyText).toMatch(/event: ready\n[\s\S]*event: revoked\n/);
    expect(linkText).toMatch(/event: ready\n[\s\S]*event: revoked\n/);
  });

  it("gives an interviewer link its own interview's events only, and nothing to a bad link", async () => {
    const { app } = testApp({ livekit: livekit.settings });
    const api = client(app);
    const { json: mine } = await api.createInterview();
    const { json: other } = await api.createInterview();
    expect((await api.call("GET", "/v1/interviewer/not-a-real-link/stream")).status).toBe(404);
    const res = await api.call("GET", `/v1/interviewer/${tokenOf(mine.interviewerUrl!)}/stream`);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    const until = async (pattern: RegExp) => {
      while (!pattern.test(text)) text += (await reader.read()).value ?? "";
    };
    await until(/event: ready\n/);
    // The other interview's event first: had it leaked, it would be the first message.
    expect((await api.call("GET", `/v1/candidate/${tokenOf(other.candidateUrl!)}`)).status).toBe(200);
    expect((await api.call("GET", `/v1/candidate/${tokenOf(mine.candidateUrl!)}`)).status).toBe(200);
    await until(/event: interview\ndata: .*\n\n/);
    const messages = [...text.matchAll(/event: interview\ndata: (.*)\n/g)].map((m) => JSON.parse(m[1]!));
    expect(messages[0]).toMatchObject({ interviewId: mine.id, type: "link_opened" });
    expect(messages.every((m) => m.interviewId === mine.id)).toBe(true);
    await reader.cancel();
  });
});

describe("candidate links", () => {
  it("records every open with IP, user agent and time", async () => {
    const { app } = testApp({ livekit: livekit.settings });
    const api = client(app, "203.0.113.7");
    const { json } = await api.createInterview();
    const token = tokenOf(json.candidateUrl!);
    const open = await api.call("GET", `/v1/candidate/${token}`, { headers: { "user-agent": "TestBrowser/1.0" } });
    expect(open.status).toBe(200);
    // The consent screen tells the candidate how long a face template is kept (TEMPLATE_RETENTION_DAYS).
    expect(await open.json()).toMatchObject({ candidateName: "Ada Lovelace", attemptsLeft: 3, faceTemplateDays: 30 });
    const page = await api.call("GET", `/c/${token}`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");

    const got = await (await api.call("GET", `/v1/interviews/${json.id}`, { headers: api.auth })).json();
    const opens = got.events.filter((e: { type: string }) => e.type === "link_opened");
    expect(opens).toHaveLength(1);
    expect(opens[0]).toMatchObject({ ip: "203.0.113.7", userAgent: "TestBrowser/1.0", actor: "candidate" });
    expect(got.status).toBe("link_opened");
  });

  it("answers an unknown link with 404 and an expired one with 410", async () => {
    let now = new Date();
    const { app } = testApp({ livekit: livekit.settings, now: () => now });
    const api = client(app);
    const unknown = await api.call("GET", `/v1/candidate/${"A".repeat(43)}`);
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.code).toBe("not_found");
    const garbage = await api.call("POST", "/v1/candidate/short/join");
    expect(garbage.status).toBe(404);

    const { json } = await api.createInterview({ candidate: { name: "A" }, expiresInHours: 1 });
    const token = tokenOf(json.candidateUrl!);
    now = new Date(now.getTime() + 2 * 3600_000);
    for (const [method, path] of [
      ["GET", `/v1/candidate/${token}`],
      ["POST", `/v1/candidate/${token}/session`],
      ["POST", `/v1/candidate/${token}/join`],
      ["GET", `/v1/interviewer/${tokenOf(json.interviewerUrl!)}`],
    ] as const) {
      const res = await api.call(method, path);
      expect(res.status, path).toBe(410);
      expect((await res.json()).error.code).toBe("link_expired");
    }
    const got = await (await api.call("GET", `/v1/interviews/${json.id}`, { headers: api.auth })).json();
    expect(got.status).toBe("expired");
  });
});

describe("the server-side camera gate", () => {
  it("refuses to join before verification with 403 verification_required", async () => {
    const { app, store } = testApp({ livekit: livekit.settings });
    const api = client(app);
    const { json } = await api.createInterview();
    const token = tokenOf(json.candidateUrl!);

    const noSession = await api.call("POST", `/v1/candidate/${token}/join`);
    expect(noSession.status).toBe(403);
    expect((await noSession.json()).error.code).toBe("verification_required");

    const session = await (await api.call("POST", `/v1/candidate/${token}/session`)).json();
    const headers = { "x-candidate-session": session.sessionKey };
    const unverified = await api.call("POST", `/v1/candidate/${token}/join`, { headers });
    expect(unverified.status).toBe(403);
    expect((await unverified.json()).error.code).toBe("verification_required");
    expect((await store.listEvents(json.id!)).some((e) => e.type === "token_issued")).toBe(false);
  });

  it("records a refused camera as a red flag the interviewer sees, and still refuses the join", async () => {
    const { app } = testApp({ livekit: livekit.settings });
    const api = client(app);
    const { json, token, headers } = await api.candidateSession();
    const refused = await api.call("POST", `/v1/candidate/${token}/camera`, {
      headers,
      body: { status: "failed", failure: "PermissionDenied", detail: "NotAllowedError" },
    });
    expect(refused.status).toBe(200);
    expect(await refused.json()).toEqual({ recorded: "camera_refused" });
    const missing = await api.call("POST", `/v1/candidate/${token}/camera`, {
      headers,
      body: { status: "failed", failure: "NoCamera" },
    });
    expect(await missing.json()).toEqual({ recorded: "camera_unavailable" });
    const bogus = await api.call("POST", `/v1/candidate/${token}/camera`, {
      headers,
      body: { status: "failed", failure: "Sunspots" },
    });
    expect(bogus.status).toBe(400);
    expect((await bogus.json()).error.field).toBe("failure");

    const view = await (await api.call("GET", `/v1/interviewer/${tokenOf(json.interviewerUrl!)}`)).json();
    const types = view.events.map((e: { type: string }) => e.type);
    expect(types).toContain("camera_refused");
    expect(types).toContain("camera_unavailable");
    const join = await api.call("POST", `/v1/candidate/${token}/join`, { headers });
    expect(join.status).toBe(403);
  });
});

describe("LiveKit webhooks", () => {
  it("refuses a bad signature with 401 and records nothing", async () => {
    const { app, store } = testApp({ livekit: livekit.settings });
    const api = client(app);
    const { json } = await api.createInterview();
    const body = JSON.stringify({ event: "participant_joined", room: { name: `interview-${json.id}` }, participant: { identity: "candidate-x" } });
    for (const authorization of [undefined, "Bearer forged", "eyJhbGciOiJIUzI1NiJ9.e30.bad"]) {
      const res = await api.call("POST", "/webhooks/livekit", { raw: body, headers: authorization ? { authorization } : {} });
      expect(res.status).toBe(401);
      expect((await res.json()).error.code).toBe("unauthorized");
    }
    expect((await store.listEvents(json.id!)).map((e) => e.type)).toEqual(["interview_created"]);
  });
});
