/**
 * Laptop farms, the device half (device_reused): candidates whose browsers report the same machine
 * (user agent, platform, screen, GPU, time zone, languages, camera) under other names. Real app, real
 * SQLite, the run's shared livekit-server for the join; the pass is written to the store (the
 * liveness suites cover it).
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { LiveKitSettings } from "../server/livekit/index.js";
import { hashSecret } from "../server/security/index.js";
import { client, testApp, tokenOf } from "./helpers/app.js";
import { sharedLiveKit } from "./helpers/livekit.js";

let livekit: LiveKitSettings;
beforeAll(async () => {
  livekit = await sharedLiveKit();
});

const UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const ENVIRONMENT = {
  timeZone: "Asia/Seoul",
  offsetJanuary: -540,
  offsetJuly: -540,
  languages: ["ko-KR", "en-US"],
  locale: "ko-KR",
  clientTime: Date.now(),
  device: { platform: "Win32", screen: { width: 1920, height: 1080, pixelRatio: 1 }, webglRenderer: "ANGLE (NVIDIA GeForce RTX 3060)", hardwareConcurrency: 12 },
};
const CAMERA = { status: "granted", label: "HD Webcam (0c45:6366)", width: 640, height: 480 };

function kit() {
  const app = testApp({ livekit });
  const api = client(app.app);
  /** A new interview whose candidate reports `environment` and `camera` from `userAgent`, passes, and joins; returns its id. */
  const candidate = async (name: string, email: string, environment = ENVIRONMENT, camera = CAMERA, userAgent = UA) => {
    const { json } = await api.createInterview({ candidate: { name, email } });
    const token = tokenOf(json.candidateUrl!);
    const ua = { "user-agent": userAgent };
    const session = await (await api.call("POST", `/v1/candidate/${token}/session`, { headers: ua })).json();
    const headers = { ...ua, "x-candidate-session": session.sessionKey as string };
    expect((await api.call("POST", `/v1/candidate/${token}/environment`, { headers, body: { ...environment, clientTime: Date.now() } })).status).toBe(201);
    expect((await api.call("POST", `/v1/candidate/${token}/camera`, { headers, body: camera })).status).toBe(200);
    const record = await app.store.findSession(json.id!, hashSecret(session.sessionKey));
    await app.store.markSessionVerified(record!.id, new Date().toISOString());
    expect((await api.call("POST", `/v1/candidate/${token}/join`, { headers })).status).toBe(200);
    return json.id!;
  };
  const flag = async (id: string, headers = api.auth) => {
    const report = await (await api.call("GET", `/v1/interviews/${id}/report`, { headers })).json();
    return report.flags.find((f: { id: string }) => f.id === "device_reused");
  };
  return { app, api, candidate, flag };
}

describe("device_reused", () => {
  it("is a review item naming the other interviews when one reported machine joins under other names", async () => {
    const { candidate, flag } = kit();
    const first = await candidate("Kim Min-su", "kim@example.com");
    const second = await candidate("Lee Ji-ho", "lee@example.com");
    expect(await flag(first)).toBeUndefined();
    const reused = await flag(second);
    expect(reused).toMatchObject({ severity: "medium", advisoryFlag: "identity", evidence: { reported: true, others: [{ interviewId: first, candidateName: "Kim Min-su" }] } });
    expect(reused.explanation).toMatch(/report.*a script can change/);
    // A third name on the same machine: both earlier interviews are named, still review only.
    const third = await candidate("Park Seo-yeon", "park@example.com");
    expect((await flag(third)).evidence.others.map((o: { interviewId: string }) => o.interviewId)).toEqual([first, second]);
    expect((await flag(third)).severity).toBe("medium");
  });

  it("is not raised for another machine, or for the same person again", async () => {
    const { candidate, flag } = kit();
    await candidate("Kim Min-su", "kim@example.com");
    expect(await flag(await candidate("Choi Yu-na", "choi@example.com", { ...ENVIRONMENT, device: { ...ENVIRONMENT.device, screen: { width: 2560, height: 1440, pixelRatio: 1.25 } } }))).toBeUndefined();
    expect(await flag(await candidate("Jung Ha-eun", "jung@example.com", ENVIRONMENT, { ...CAMERA, label: "Logitech C920" }))).toBeUndefined();
    expect(await flag(await candidate("Kim Min-su", "KIM@example.com"))).toBeUndefined();
  });

  it("names other candidates only to keys with personal_data, and forgets an interview whose data was erased", async () => {
    const { api, app, candidate, flag } = kit();
    const erased = await candidate("Wang Wei", "wang@example.com");
    const later = await candidate("Zhang Li", "zhang@example.com");
    const made = await (await api.call("POST", "/v1/api-keys", { body: { name: "reader", scopes: ["interviews:read"] }, headers: api.auth })).json();
    const narrow = await flag(later, { authorization: `Bearer ${made.secret}` });
    expect(narrow.explanation).not.toContain("Wang Wei");
    expect((await flag(later)).explanation).toContain("Wang Wei");
    expect((await api.call("DELETE", `/v1/interviews/${erased}/personal-data`, { headers: api.auth })).status).toBe(200);
    expect((await flag(later)).explanation).not.toContain("Wang Wei");
    // The erased interview's fingerprint is gone: a new name on the same machine matches only the later one.
    const next = await candidate("Zhao Min", "zhao@example.com");
    expect((await flag(next)).evidence.others.map((o: { interviewId: string }) => o.interviewId)).toEqual([later]);
    expect(await app.store.sameDevice("none", "x", "2000-01-01T00:00:00.000Z", 10)).toEqual([]);
  });
});
