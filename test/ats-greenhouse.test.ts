/**
 * The Greenhouse assessment-partner endpoints against a simulator written from Greenhouse's public
 * documentation: real HTTP on loopback (the kit's server, the simulator's PATCH receiver), the real
 * verification flow's API, and the verifier's pass posted with its job's own credentials (the real
 * verifier is exercised in test/e2e; here the ATS contract is under test). Every answer is checked
 * against the documented shape.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client, testApp, tokenOf } from "./helpers/app.js";
import { GreenhouseSimulator } from "./helpers/ats-greenhouse.js";
import { type RunningKit, startKit } from "./helpers/kit-server.js";
import { dispatchedJob, postReport } from "./helpers/verifier-job.js";

let kit: RunningKit;
let greenhouse: GreenhouseSimulator;
let atsKey: string;

/** Makes a key with `scopes` through the API (the configured key holds every scope). */
async function makeKey(api: ReturnType<typeof client>, scopes: string[]) {
  const res = await api.call("POST", "/v1/api-keys", { body: { name: "Greenhouse", scopes }, headers: api.auth });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; secret: string };
}

beforeAll(async () => {
  kit = await startKit();
  atsKey = (await makeKey(kit.api, ["ats"])).secret;
  greenhouse = new GreenhouseSimulator(`${kit.url}/ats/greenhouse`, atsKey, 300);
  await greenhouse.start();
});
afterAll(async () => {
  await greenhouse?.stop();
  await kit?.stop();
});

describe("Greenhouse assessment partner", () => {
  it("lists the kit's tests, takes a sent test as an interview, and completes it with a PATCH, a score and a review link", async () => {
    const tests = await greenhouse.listTests();
    expect(tests.map((t) => t.partner_test_id)).toEqual(["liveness", "liveness_interview"]);

    const { partner_interview_id: id } = await greenhouse.sendTest("liveness", { first_name: "Min-jun", last_name: "Park", email: "mj.park@example.com" }, 4101);
    expect(id).toMatch(/^iv_/);
    const pending = await greenhouse.testStatus(id);
    expect(pending).toMatchObject({ partner_status: "pending", metadata: { Liveness: "not passed yet" } });
    expect(pending.partner_score).toBeUndefined();

    // The recruiter opens the review link from Greenhouse and issues the candidate's link (shown once).
    const review = await fetch(pending.partner_profile_url!);
    expect(review.status).toBe(200);
    const page = await review.text();
    expect(page).toContain("Min-jun Park");
    expect(page).toContain('id="issue-link"');
    const issued = await (await fetch(`${pending.partner_profile_url!}/candidate-link`, { method: "POST" })).text();
    const candidateUrl = /value="([^"]+\/c\/[^"]+)"/.exec(issued)?.[1];
    expect(candidateUrl).toBeDefined();

    // The candidate takes the check on that link; the verifier's pass arrives with its job's credentials.
    const token = tokenOf(candidateUrl!);
    const { sessionKey } = await (await kit.api.call("POST", `/v1/candidate/${token}/session`)).json();
    const headers = { "x-candidate-session": sessionKey as string };
    const ticket = await (await kit.api.call("POST", `/v1/candidate/${token}/liveness`, { headers })).json();
    expect(ticket.challengeId).toBeDefined();
    expect((await greenhouse.testStatus(id)).partner_status).toBe("in_progress");
    // Once opened, the link is not replaced under the candidate.
    expect((await fetch(`${pending.partner_profile_url!}/candidate-link`, { method: "POST" })).status).toBe(409);
    const pass = { type: "verdict", passed: true, reasons: ["posted by the test"], steps: [], trace: [], snapshots: [], framesAnalysed: 0, analysedFps: 0 };
    expect((await postReport(kit.api.call, await dispatchedJob(kit.livekit.settings, ticket.room), pass)).status).toBe(200);

    // The kit tells Greenhouse at once (a body-less PATCH to the url it sent), and the status is complete.
    const deadline = Date.now() + 30_000;
    while (greenhouse.patches.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(greenhouse.patches).toEqual([expect.objectContaining({ path: "/integrations/testing_partners/take_home_tests/4101", bodyBytes: 0 })]);
    const done = await greenhouse.pollUntilComplete(id, 30_000);
    const report = await (await kit.api.call("GET", `/v1/interviews/${id}/report`, { headers: kit.api.auth })).json();
    expect(done).toMatchObject({ partner_status: "complete", partner_score: { clear: 100, review: 60, high: 20 }[report.level as string], metadata: { Liveness: "passed", Risk: report.level } });
    const shown = await (await fetch(done.partner_profile_url!)).text();
    expect(shown).toContain('id="status">verified<');
    expect(shown).not.toContain('id="issue-link"');
    const events = (await (await kit.api.call("GET", `/v1/interviews/${id}`, { headers: kit.api.auth })).json()).events as { type: string; data: Record<string, unknown> }[];
    expect(events.filter((e) => e.type === "ats_notified").map((e) => e.data)).toEqual([{ provider: "greenhouse", status: 200 }]);
  }, 90_000);

  it("refuses wrong credentials (401 with WWW-Authenticate: Basic), a revoked key, and a key without the ats scope", async () => {
    const wrong = await greenhouse.call("GET", "list_tests", undefined, greenhouse.headers("vk_not-a-key"));
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("www-authenticate")).toMatch(/^Basic /);
    expect((await greenhouse.call("GET", "list_tests", undefined, { authorization: `Bearer ${atsKey}` })).status).toBe(401);
    const other = await makeKey(kit.api, ["interviews:read", "interviews:write"]);
    const scoped = await greenhouse.call("GET", "list_tests", undefined, greenhouse.headers(other.secret));
    expect([scoped.status, (await scoped.json()).error.code]).toEqual([403, "insufficient_scope"]);
    const revoked = await makeKey(kit.api, ["ats"]);
    expect((await greenhouse.call("GET", "list_tests", undefined, greenhouse.headers(revoked.secret))).status).toBe(200);
    expect((await kit.api.call("DELETE", `/v1/api-keys/${revoked.id}`, { headers: kit.api.auth })).status).toBe(200);
    expect((await greenhouse.call("GET", "list_tests", undefined, greenhouse.headers(revoked.secret))).status).toBe(401);
  });

  it("refuses an unknown test, a malformed body, an unknown test instance and a forged review link, storing nothing", async () => {
    const count = async () => (await (await kit.api.call("GET", "/v1/interviews?limit=100", { headers: kit.api.auth })).json()).interviews.length;
    const before = await count();
    const candidate = { first_name: "A", last_name: "B", email: "a.b@example.com", greenhouse_profile_url: null };
    const unknown = await greenhouse.call("POST", "send_test", { partner_test_id: "coding_test", candidate, url: greenhouse.takeHomeTestUrl(1) });
    expect([unknown.status, (await unknown.json()).error.code]).toEqual([404, "unknown_test"]);
    const malformed = await greenhouse.call("POST", "send_test", { partner_test_id: "liveness", candidate: { ...candidate, email: "nope" }, url: greenhouse.takeHomeTestUrl(1) });
    expect([malformed.status, (await malformed.json()).error.code]).toEqual([400, "validation_failed"]);
    expect(await count()).toBe(before);
    // An interview made through /v1 is not a Greenhouse test instance.
    const { json } = await kit.api.createInterview({ candidate: { name: "Not From Greenhouse" } });
    expect((await greenhouse.call("GET", `test_status?partner_interview_id=${json.id}`)).status).toBe(404);
    expect((await greenhouse.call("GET", "test_status")).status).toBe(400);
    expect((await fetch(`${kit.url}/ats/review/eyJhbGciOiJFUzI1NiJ9.e30.c2ln`)).status).toBe(404);
    const error = await greenhouse.call("POST", "response_error", { api_call: "test_status", errors: ["partner_status is 'complete' but partner_profile url is missing"], partner_interview_id: 299506 });
    expect(await error.json()).toEqual({ status: 200 });
  });

  it("refuses a completion url that points inside the network (SSRF), before creating anything", async () => {
    const strict = testApp({ livekit: kit.livekit.settings, webhookAllowPrivateUrls: false });
    const api = client(strict.app);
    const key = (await makeKey(api, ["ats"])).secret;
    const basic = { authorization: `Basic ${Buffer.from(`${key}:`).toString("base64")}` };
    const candidate = { first_name: "A", last_name: "B", email: "a.b@example.com" };
    for (const url of ["http://169.254.169.254/latest/meta-data", "http://127.0.0.1:9/x", "http://[::ffff:10.0.0.1]/x"]) {
      const res = await api.call("POST", "/ats/greenhouse/send_test", { body: { partner_test_id: "liveness", candidate, url }, headers: basic });
      expect([url, res.status, (await res.json()).error.code]).toEqual([url, 422, "webhook_url_forbidden"]);
    }
    expect((await (await api.call("GET", "/v1/interviews", { headers: api.auth })).json()).interviews).toEqual([]);
  });
});
