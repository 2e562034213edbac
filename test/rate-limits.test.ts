import { beforeAll, describe, expect, it } from "vitest";
import type { LiveKitSettings } from "../server/livekit/index.js";
import { client, testApp, tempDbFile, tokenOf } from "./helpers/app.js";
import { sharedLiveKit } from "./helpers/livekit.js";

/** The run's shared livekit-server (test/global-setup.ts). */
let livekit: { settings: LiveKitSettings };
beforeAll(async () => {
  livekit = { settings: await sharedLiveKit() };
});

const environment = () => ({
  timeZone: "Asia/Seoul",
  offsetJanuary: -540,
  offsetJuly: -540,
  languages: ["ko-KR"],
  locale: "ko-KR",
  clientTime: Date.now(),
});

describe("rate limits on the candidate API", () => {
  it("answers the N+1-th link open from one IP with 429 and Retry-After, and stores nothing more", async () => {
    const { app, store } = testApp({ livekit: livekit.settings, ratePerIp: 5 });
    const api = client(app, "198.51.100.7");
    const { json } = await api.createInterview();
    const token = tokenOf(json.candidateUrl!);
    for (let i = 0; i < 5; i++) expect((await api.call("GET", `/v1/candidate/${token}`)).status).toBe(200);
    const before = (await store.listEvents(json.id!)).length;

    const refused = await api.call("GET", `/v1/candidate/${token}`);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect((await refused.json()).error.code).toBe("rate_limited");

    // Every limited route shares the IP's count, and none of them records anything.
    for (const path of ["", "/session", "/liveness", "/environment", "/network", "/camera", "/join"]) {
      const res = await api.call(path ? "POST" : "GET", `/v1/candidate/${token}${path}`, path ? { body: {} } : {});
      expect(res.status, path).toBe(429);
    }
    expect((await store.listEvents(json.id!)).length).toBe(before);
  });

  it("limits status polls against their own, larger budget: a verified session cannot flood /join or the polls", async () => {
    const { app, store } = testApp({ livekit: livekit.settings, ratePerIp: 1000, ratePerLink: 3 });
    const api = client(app, "198.51.100.9");
    const { json, token, headers } = await api.candidateSession();
    // The session start took one of the link's 3; two more requests, then /join is refused.
    for (let i = 0; i < 2; i++) expect((await api.call("GET", `/v1/candidate/${token}`)).status).toBe(200);
    const before = (await store.listEvents(json.id!)).length;
    expect((await api.call("POST", `/v1/candidate/${token}/join`, { headers })).status).toBe(429);
    expect((await store.listEvents(json.id!)).length).toBe(before);
    // Polls still have their budget (4 × 3 = 12 a minute), and then they are refused too.
    for (let i = 0; i < 12; i++) expect((await api.call("GET", `/v1/candidate/${token}/session`, { headers })).status, `poll ${i}`).toBe(200);
    expect((await api.call("GET", `/v1/candidate/${token}/session`, { headers })).status).toBe(429);
    expect((await api.call("GET", `/v1/candidate/${token}/liveness/ch_x`, { headers })).status).toBe(429);
  });

  it("limits unknown links too, so tokens cannot be guessed at full speed", async () => {
    const { app } = testApp({ livekit: livekit.settings, ratePerIp: 3 });
    const api = client(app, "198.51.100.8");
    for (let i = 0; i < 3; i++) expect((await api.call("GET", `/v1/candidate/guess-${i}`)).status).toBe(404);
    expect((await api.call("GET", "/v1/candidate/guess-4")).status).toBe(429);
  });

  it("keeps the counters in the store: a second kit process on the same database sees them", async () => {
    const dbFile = tempDbFile();
    const first = testApp({ livekit: livekit.settings, dbFile, ratePerIp: 4 });
    const second = testApp({ livekit: livekit.settings, dbFile, ratePerIp: 4 });
    const a = client(first.app, "198.51.100.9");
    const b = client(second.app, "198.51.100.9");
    const { json } = await a.createInterview();
    const token = tokenOf(json.candidateUrl!);
    for (let i = 0; i < 2; i++) expect((await a.call("GET", `/v1/candidate/${token}`)).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await b.call("GET", `/v1/candidate/${token}`)).status).toBe(200);
    expect((await b.call("GET", `/v1/candidate/${token}`)).status).toBe(429);
    expect((await a.call("GET", `/v1/candidate/${token}`)).status).toBe(429);
  });

  it("does not limit another IP by the first one's count", async () => {
    const { app } = testApp({ livekit: livekit.settings, ratePerIp: 3 });
    const noisy = client(app, "198.51.100.10");
    const quiet = client(app, "198.51.100.11");
    const { json } = await noisy.createInterview();
    const token = tokenOf(json.candidateUrl!);
    for (let i = 0; i < 3; i++) await noisy.call("GET", `/v1/candidate/${token}`);
    expect((await noisy.call("GET", `/v1/candidate/${token}`)).status).toBe(429);
    expect((await quiet.call("GET", `/v1/candidate/${token}`)).status).toBe(200);
  });

  it("limits one link across IPs", async () => {
    const { app } = testApp({ livekit: livekit.settings, ratePerLink: 3 });
    const { json } = await client(app).createInterview();
    const token = tokenOf(json.candidateUrl!);
    for (let i = 0; i < 3; i++) expect((await client(app, `198.51.100.${20 + i}`).call("GET", `/v1/candidate/${token}`)).status).toBe(200);
    const refused = await client(app, "198.51.100.30").call("GET", `/v1/candidate/${token}`);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toMatch(/^\d+$/);
    // Another link is counted on its own.
    const other = await client(app).createInterview();
    expect((await client(app, "198.51.100.30").call("GET", `/v1/candidate/${tokenOf(other.json.candidateUrl!)}`)).status).toBe(200);
  });
});

describe("events per interview", () => {
  it("refuses candidate reports past the cap with 429 and stores nothing", async () => {
    const { app, store } = testApp({ livekit: livekit.settings, maxEvents: 12 });
    const api = client(app);
    const { json, token, headers } = await api.candidateSession();
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const res = await api.call("POST", `/v1/candidate/${token}/environment`, { headers, body: environment() });
      statuses.push(res.status);
    }
    expect(statuses).toContain(201);
    expect(statuses.at(-1)).toBe(429);
    expect((await store.listEvents(json.id!)).length).toBe(12);

    const open = await api.call("GET", `/v1/candidate/${token}`);
    expect(open.status).toBe(429);
    expect((await open.json()).error.code).toBe("rate_limited");
    expect((await store.listEvents(json.id!)).length).toBe(12);
  });
});
