import { beforeAll, describe, expect, it } from "vitest";
import { KNOWN_IPS } from "./fixtures/known-ips.js";
import type { LiveKitSettings } from "../server/livekit/index.js";
import { client, testApp } from "./helpers/app.js";
import { sharedLiveKit } from "./helpers/livekit.js";

/** The run's shared livekit-server (test/global-setup.ts). */
let livekit: { settings: LiveKitSettings };
beforeAll(async () => {
  livekit = { settings: await sharedLiveKit() };
});

const environment = (overrides: Record<string, unknown> = {}) => ({
  timeZone: "Asia/Shanghai",
  offsetJanuary: -480,
  offsetJuly: -480,
  worker: { timeZone: "Asia/Shanghai", offsetJanuary: -480, offsetJuly: -480 },
  languages: ["zh-CN", "ko-KR"],
  locale: "zh-CN",
  clientTime: Date.now(),
  ...overrides,
});

describe("signals: link opens behind a trusted proxy", () => {
  it("raises the many-IPs flag for three opens from different networks", async () => {
    const { app } = testApp({ livekit: livekit.settings, trustedProxies: ["127.0.0.1", "10.0.0.0/8"] });
    const api = client(app, "127.0.0.1");
    const { json } = await api.createInterview({ candidate: { name: "Lee" }, claimedLocation: { country: "KR", city: "Seoul" } });
    const token = new URL(json.candidateUrl!).pathname.split("/").at(-1)!;
    for (const ip of [KNOWN_IPS.krKoreaTelecom.ip, KNOWN_IPS.cnChinanet.ip, KNOWN_IPS.ruRostelecom.ip]) {
      const res = await api.call("GET", `/v1/candidate/${token}`, { headers: { "x-forwarded-for": `${ip}, 10.0.0.5` } });
      expect(res.status).toBe(200);
    }
    const report = await (await api.call("GET", `/v1/interviews/${json.id}/report`, { headers: api.auth })).json();
    const manyIps = report.flags.find((f: { id: string }) => f.id === "many_ips");
    expect(manyIps).toMatchObject({ advisoryFlag: "many_ips", severity: "high" });
    expect(report.level).toBe("high");
    const seen = report.ips.map((i: { ip: string; country?: string; asn?: number }) => [i.ip, i.country, i.asn]);
    expect(seen).toEqual(
      expect.arrayContaining([
        [KNOWN_IPS.krKoreaTelecom.ip, "KR", 4766],
        [KNOWN_IPS.cnChinanet.ip, "CN", 4134],
        [KNOWN_IPS.ruRostelecom.ip, "RU", 12389],
      ]),
    );
    // The IP-country rule sees the CN and RU addresses against the KR claim.
    expect(report.flags.map((f: { id: string }) => f.id)).toContain("ip_country_mismatch");
  });

  it("ignores X-Forwarded-For from an untrusted peer", async () => {
    const { app } = testApp({ livekit: livekit.settings, trustedProxies: ["10.9.9.9"] });
    const api = client(app, "203.0.113.10");
    const { json } = await api.createInterview({ candidate: { name: "Lee" }, claimedLocation: { country: "KR" } });
    const token = new URL(json.candidateUrl!).pathname.split("/").at(-1)!;
    for (const ip of [KNOWN_IPS.krKoreaTelecom.ip, KNOWN_IPS.cnChinanet.ip, KNOWN_IPS.ruRostelecom.ip]) {
      await api.call("GET", `/v1/candidate/${token}`, { headers: { "x-forwarded-for": ip } });
    }
    const report = await (await api.call("GET", `/v1/interviews/${json.id}/report`, { headers: api.auth })).json();
    expect(report.ips.map((i: { ip: string }) => i.ip)).toEqual(["203.0.113.10"]);
    expect(report.flags.map((f: { id: string }) => f.id)).not.toContain("many_ips");
  });
});

describe("signals: the browser's environment", () => {
  it("flags a KR claim whose browser runs on Asia/Shanghai, citing the evidence", async () => {
    const { app } = testApp({ livekit: livekit.settings });
    const api = client(app);
    const { json, token, headers } = await api.candidateSession({
      candidate: { name: "Park" },
      claimedLocation: { country: "KR", timezone: "Asia/Seoul" },
    });
    const res = await api.call("POST", `/v1/candidate/${token}/environment`, { headers, body: environment() });
    expect(res.status).toBe(201);
    const report = await (await api.call("GET", `/v1/interviews/${json.id}/report`, { headers: api.auth })).json();
    const flag = report.flags.find((f: { id: string }) => f.id === "timezone_mismatch");
    expect(flag).toMatchObject({ severity: "high", advisoryFlag: "location_mismatch" });
    expect(JSON.stringify(flag.evidence)).toContain("Asia/Shanghai");
    expect(report.environment.report.timeZone).toBe("Asia/Shanghai");
    // The interviewer's link reads the same report.
    const viaLink = await (await api.call("GET", `/v1/interviewer/${new URL(json.interviewerUrl!).pathname.split("/").at(-1)}/report`)).json();
    expect(viaLink.flags.map((f: { id: string }) => f.id)).toContain("timezone_mismatch");
  });

  it("raises no location flags when everything matches the claim", async () => {
    const { app } = testApp({ livekit: livekit.settings, trustedProxies: ["127.0.0.1"] });
    const api = client(app);
    const { json, token, headers } = await api.candidateSession({ candidate: { name: "Kim" }, claimedLocation: { country: "KR" } });
    const xff = { "x-forwarded-for": KNOWN_IPS.krKoreaTelecom.ip };
    await api.call("GET", `/v1/candidate/${token}`, { headers: xff });
    await api.call("POST", `/v1/candidate/${token}/environment`, {
      headers: { ...headers, ...xff },
      body: environment({
        timeZone: "Asia/Seoul",
        offsetJanuary: -540,
        offsetJuly: -540,
        worker: { timeZone: "Asia/Seoul", offsetJanuary: -540, offsetJuly: -540 },
        languages: ["ko-KR"],
        locale: "ko-KR",
      }),
    });
    const report = await (await api.call("GET", `/v1/interviews/${json.id}/report`, { headers: api.auth })).json();
    const ids = report.flags.map((f: { id: string }) => f.id);
    for (const id of ["timezone_mismatch", "ip_country_mismatch", "ip_timezone_mismatch", "many_ips"]) expect(ids).not.toContain(id);
  });

  it("answers bad metadata with 400 and a clear code, keeping what was stored", async () => {
    const { app, store } = testApp({ livekit: livekit.settings });
    const api = client(app);
    const { json, token, headers } = await api.candidateSession();
    const good = await api.call("POST", `/v1/candidate/${token}/environment`, { headers, body: environment() });
    expect(good.status).toBe(201);
    const before = await store.listEvents(json.id!);
    const cases: Array<[Record<string, unknown>, string]> = [
      [environment({ timeZone: "Asia/Pyongyang-ish" }), "timeZone"],
      [environment({ offsetJanuary: "minus eight hours" }), "offsetJanuary"],
      [environment({ languages: Array.from({ length: 500 }, () => "en-US") }), "languages"],
      [environment({ locale: "x".repeat(5000) }), "locale"],
    ];
    for (const [body, field] of cases) {
      const res = await api.call("POST", `/v1/candidate/${token}/environment`, { headers, body });
      expect(res.status, field).toBe(400);
      const err = await res.json();
      expect(err.error.code).toBe("validation_failed");
      expect(err.error.field).toBe(field);
    }
    const huge = await api.call("POST", `/v1/candidate/${token}/environment`, {
      headers,
      raw: JSON.stringify({ ...environment(), pad: "x".repeat(3 * 1024 * 1024) }),
    });
    expect(huge.status).toBe(413);
    expect(await store.listEvents(json.id!)).toEqual(before);
    const report = await (await api.call("GET", `/v1/interviews/${json.id}/report`, { headers: api.auth })).json();
    expect(report.environment.report.timeZone).toBe("Asia/Shanghai");
  });
});

describe("signals: later self-reports do not erase earlier evidence", () => {
  const seoul = () =>
    environment({
      timeZone: "Asia/Seoul",
      offsetJanuary: -540,
      offsetJuly: -540,
      worker: { timeZone: "Asia/Seoul", offsetJanuary: -540, offsetJuly: -540 },
      languages: ["ko-KR"],
      locale: "ko-KR",
    });

  it("stays high after a Shanghai report is followed by a Seoul one, and flags the change", async () => {
    const { app } = testApp({ livekit: livekit.settings });
    const api = client(app);
    const { json, token, headers } = await api.candidateSession({
      candidate: { name: "Park" },
      claimedLocation: { country: "KR", timezone: "Asia/Seoul" },
    });
    expect((await api.call("POST", `/v1/candidate/${token}/environment`, { headers, body: environment() })).status).toBe(201);
    expect((await api.call("POST", `/v1/candidate/${token}/environment`, { headers, body: seoul() })).status).toBe(201);
    const report = await (await api.call("GET", `/v1/interviews/${json.id}/report`, { headers: api.auth })).json();
    expect(report.level).toBe("high");
    const ids = report.flags.map((f: { id: string }) => f.id);
    expect(ids).toContain("timezone_mismatch");
    expect(ids).toContain("zone_changed");
    expect(report.flags.find((f: { id: string }) => f.id === "timezone_mismatch").evidence.reportedZone).toBe("Asia/Shanghai");
    // Both reports are in the report, each marked as the browser's word; IPs are the kit's own measurement.
    expect(report.environments.map((e: { report: { timeZone: string } }) => e.report.timeZone)).toEqual(["Asia/Shanghai", "Asia/Seoul"]);
    expect(report.environments.every((e: { source: string }) => e.source === "reported")).toBe(true);
    expect(report.ips.every((i: { source: string }) => i.source === "measured")).toBe(true);
  });

  it("does not remove or lower a flag for a reported round trip of 1 ms", async () => {
    const { app } = testApp({ livekit: livekit.settings });
    const api = client(app);
    const { json, token, headers } = await api.candidateSession({
      candidate: { name: "Park" },
      claimedLocation: { country: "KR", city: "Seoul", timezone: "Asia/Seoul" },
    });
    await api.call("POST", `/v1/candidate/${token}/environment`, { headers, body: environment() });
    const read = async () => (await api.call("GET", `/v1/interviews/${json.id}/report`, { headers: api.auth })).json();
    const before = await read();
    expect(before.level).toBe("high");
    expect((await api.call("POST", `/v1/candidate/${token}/network`, { headers, body: { candidateType: "host", rttMs: [1] } })).status).toBe(201);
    await api.call("POST", `/v1/candidate/${token}/environment`, { headers, body: seoul() });
    const after = await read();
    expect(after.level).toBe("high");
    for (const flag of before.flags as Array<{ id: string; severity: string }>) {
      expect(after.flags.find((f: { id: string }) => f.id === flag.id)?.severity, flag.id).toBe(flag.severity);
    }
    expect(after.network).toMatchObject({ minRttMs: 1, source: "reported", rttSource: "reported" });
  });
});
