/**
 * Laptop farms (network_reused): candidates' addresses, set through the trusted-proxy header, against
 * other interviews' on the real ASN data. One SQLite file per case.
 */
import { describe, expect, it } from "vitest";
import { KNOWN_IPS } from "./fixtures/known-ips.js";
import { client, testApp } from "./helpers/app.js";

/** Nothing here touches a room: the LiveKit settings are never used. */
const livekit = { url: "ws://127.0.0.1:9", publicUrl: "ws://127.0.0.1:9", apiKey: "unused-key", apiSecret: "unused-secret-0123456789abcdef0123456789" };

function kit() {
  const app = testApp({ livekit, trustedProxies: ["127.0.0.1"] });
  const api = client(app.app);
  /** A new interview whose candidate opens the link from `ip`; returns its id. */
  const candidate = async (name: string, ip: string, email?: string) => {
    const { json } = await api.createInterview({ candidate: { name, ...(email ? { email } : {}) } });
    const token = new URL(json.candidateUrl!).pathname.split("/").at(-1)!;
    expect((await api.call("GET", `/v1/candidate/${token}`, { headers: { "x-forwarded-for": ip } })).status).toBe(200);
    return json.id!;
  };
  const flag = async (id: string, headers = api.auth) => {
    const report = await (await api.call("GET", `/v1/interviews/${id}/report`, { headers })).json();
    return report.flags.find((f: { id: string }) => f.id === "network_reused");
  };
  return { app, api, candidate, flag };
}

describe("network_reused", () => {
  it("is high for three names on one residential address, naming the other two interviews", async () => {
    const { candidate, flag } = kit();
    const ip = KNOWN_IPS.krKoreaTelecom.ip;
    const first = await candidate("Kim Min-su", ip, "kim@example.com");
    const second = await candidate("Lee Ji-ho", ip, "lee@example.com");
    const third = await candidate("Park Seo-yeon", ip, "park@example.com");
    expect(await flag(first)).toBeUndefined();
    expect(await flag(second)).toMatchObject({ severity: "medium", evidence: { identities: 2 } });
    const farm = await flag(third);
    expect(farm).toMatchObject({ severity: "high", advisoryFlag: "identity", evidence: { identities: 3 } });
    expect(farm.evidence.others.map((o: { interviewId: string; sameAddress: boolean }) => [o.interviewId, o.sameAddress])).toEqual([
      [first, true],
      [second, true],
    ]);
    expect(farm.explanation).toContain("Kim Min-su");
    expect(farm.explanation).toContain("Lee Ji-ho");
  });

  it("is review for two names on one /24 of a residential network; none on a hosting network or for the same person", async () => {
    const { candidate, flag } = kit();
    await candidate("Kim Min-su", "1.96.0.10", "kim@example.com");
    expect(await flag(await candidate("Choi Yu-na", "1.96.0.77", "choi@example.com"))).toMatchObject({ severity: "medium", evidence: { identities: 2 } });
    // The same email coming back from the same address is one person, not a farm.
    expect(await flag(await candidate("Kim Min-su", "1.96.0.10", "KIM@example.com"))).toMatchObject({ evidence: { identities: 2 } });
    // A cloud region is shared by strangers (and flagged as hosting already).
    const { candidate: other, flag: otherFlag } = kit();
    await other("Tanaka", KNOWN_IPS.jpAmazon.ip, "tanaka@example.com");
    expect(await otherFlag(await other("Suzuki", KNOWN_IPS.jpAmazon.ip, "suzuki@example.com"))).toBeUndefined();
    const { candidate: same, flag: sameFlag } = kit();
    await same("Kim Min-su", KNOWN_IPS.jpKddi.ip, "kim@example.com");
    expect(await sameFlag(await same("Kim Min-su", KNOWN_IPS.jpKddi.ip, "kim@example.com"))).toBeUndefined();
  });

  it("names other candidates only to keys with personal_data, and forgets an interview whose data was erased", async () => {
    const { api, candidate, flag } = kit();
    const ip = KNOWN_IPS.cnChinanet.ip;
    const erased = await candidate("Wang Wei", ip, "wang@example.com");
    const later = await candidate("Zhang Li", ip, "zhang@example.com");
    const made = await (await api.call("POST", "/v1/api-keys", { body: { name: "reader", scopes: ["interviews:read"] }, headers: api.auth })).json();
    const narrow = await flag(later, { authorization: `Bearer ${made.secret}` });
    expect(narrow.explanation).not.toContain("Wang Wei");
    expect(JSON.stringify(narrow.evidence)).not.toContain("wang@example.com");
    expect((await api.call("DELETE", `/v1/interviews/${erased}/personal-data`, { headers: api.auth })).status).toBe(200);
    const after = await flag(later);
    expect(JSON.stringify(after)).not.toContain("Wang Wei");
    expect(JSON.stringify(after)).not.toContain(ip);
    // A new candidate from the same address no longer meets the erased interview.
    const next = await flag(await candidate("Liu Yang", ip, "liu@example.com"));
    expect(next.evidence.others.map((o: { interviewId: string }) => o.interviewId)).toEqual([later]);
  });
});
