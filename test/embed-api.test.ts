/**
 * The widget's server side over HTTP: who may frame the pages, the completion
 * token (only for a session the kit recorded as passed, only for an allowed
 * audience), the JWKS that verifies it, and how /embed.js is served.
 */
import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { CompletionClaims } from "../shared/embed.js";
import { hashSecret } from "../server/security/index.js";
import { client, testApp } from "./helpers/app.js";
import { sharedLiveKit } from "./helpers/livekit.js";
import type { LiveKitSettings } from "../server/livekit/index.js";

const KIT = "https://kit.example.com";
const HOST = "https://hr.example.com";
let settings: LiveKitSettings;
beforeAll(async () => {
  settings = await sharedLiveKit();
});

function kit() {
  const env = testApp({ livekit: settings, publicUrl: KIT, embedAllowedOrigins: [HOST, "http://127.0.0.1:8080"] });
  return { env, api: client(env.app) };
}

const cspOf = (res: Response) => res.headers.get("content-security-policy") ?? "";
const frameAncestors = (res: Response) => /frame-ancestors ([^;]*)/.exec(cspOf(res))?.[1];
const EMBED_META = /<meta name="verify-kit-embed-origin" content="([^"]*)"/;

describe("who may frame the candidate and interviewer pages", () => {
  it("lets exactly the named embed_origin frame a page when it is allowed, and tells the page", async () => {
    const { api } = kit();
    const { json } = await api.createInterview();
    for (const url of [json.candidateUrl!, json.interviewerUrl!]) {
      const path = new URL(url).pathname;
      const page = await api.call("GET", `${path}?embed_origin=${encodeURIComponent(HOST)}`);
      expect(page.status).toBe(200);
      expect(frameAncestors(page), url).toBe(HOST);
      expect(EMBED_META.exec(await page.text())?.[1]).toBe(HOST);
      // The kit's own origin is always allowed.
      expect(frameAncestors(await api.call("GET", `${path}?embed_origin=${encodeURIComponent(KIT)}`))).toBe(KIT);
    }
  });

  it("lets no one frame a page requested for an origin that is not allowed, and names no origin in it", async () => {
    const { api } = kit();
    const { json } = await api.createInterview();
    const path = new URL(json.candidateUrl!).pathname;
    for (const origin of ["https://evil.example", "https://hr.example.com.evil.example", "http://hr.example.com", "*", "'self'", "https://hr.example.com/"]) {
      const page = await api.call("GET", `${path}?embed_origin=${encodeURIComponent(origin)}`);
      expect(frameAncestors(page), origin).toBe("'none'");
      expect(page.headers.get("x-frame-options")).toBe("DENY");
      expect(await page.text()).not.toMatch(EMBED_META);
    }
    // Without embed_origin (a bare iframe), the configured list applies as before, and the page posts nothing.
    const bare = await api.call("GET", path);
    expect(frameAncestors(bare)).toBe(`'self' ${HOST} http://127.0.0.1:8080`);
    expect(await bare.text()).not.toMatch(EMBED_META);
  });

  it("never lets another origin frame the dashboard, embed_origin or not", async () => {
    const { api } = kit();
    const res = await api.call("GET", `/?embed_origin=${encodeURIComponent(HOST)}`);
    expect(frameAncestors(res)).toBe("'self'");
    expect(res.headers.get("x-frame-options")).toBe("SAMEORIGIN");
  });
});

describe("completion token", () => {
  const completion = (api: ReturnType<typeof kit>["api"], token: string, headers: Record<string, string>, audience: unknown = HOST) =>
    api.call("POST", `/v1/embed/candidate/${token}/completion`, { body: { audience }, headers });

  it("is refused to a session without a recorded pass: a script without a camera gets nothing to forward", async () => {
    const { api } = kit();
    const { token, headers } = await api.candidateSession();
    const res = await completion(api, token, headers);
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe("verification_required");
    const anonymous = await completion(api, token, {});
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).error.code).toBe("session_required");
    const forgedSession = await completion(api, token, { "x-candidate-session": "not-a-session" });
    expect(forgedSession.status).toBe(401);
    expect((await completion(api, "unknown-link", headers)).status).toBe(404);
  });

  it("is signed for a passed session and an allowed audience, and verifies against the kit's JWKS", async () => {
    const { env, api } = kit();
    const { json, token, headers } = await api.candidateSession({ candidate: { name: "Ada" }, claimedLocation: { country: "JP" } });
    const session = await env.store.findSession(json.id!, hashSecret(headers["x-candidate-session"]!));
    await env.store.markSessionVerified(session!.id, new Date().toISOString());
    // The page reports its camera, as the kit's page always does (a silent session is never "clear": below).
    expect((await api.call("POST", `/v1/candidate/${token}/camera`, { headers, body: { status: "granted", label: "FaceTime HD Camera" } })).status).toBe(200);

    const res = await completion(api, token, headers);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const grant = await res.json();
    const jwksRes = await api.call("GET", "/.well-known/jwks.json");
    expect(jwksRes.status).toBe(200);
    const jwks = (await jwksRes.json()) as JSONWebKeySet;
    expect(jwks.keys.every((k) => !("d" in k))).toBe(true);
    const { payload } = await jwtVerify(grant.token, createLocalJWKSet(jwks), { issuer: KIT, audience: HOST, algorithms: ["ES256"] });
    const claims = CompletionClaims.parse(payload);
    const report = await (await api.call("GET", `/v1/interviews/${json.id}/report`, { headers: api.auth })).json();
    expect(claims).toMatchObject({ interview_id: json.id, candidate_session: session!.id, verdict: "passed", risk_level: report.level });
    expect(claims.exp - claims.iat).toBe(600);
    expect(Date.parse(grant.expiresAt)).toBe(claims.exp * 1000);
    // The same token is worthless to another host's backend.
    await expect(jwtVerify(grant.token, createLocalJWKSet(jwks), { issuer: KIT, audience: "http://127.0.0.1:8080" })).rejects.toThrow(/aud/);
  });

  it("never signs a clear risk level for a session that sent no browser report (security review 2, finding 15)", async () => {
    const { env, api } = kit();
    const { json, token, headers } = await api.candidateSession({ candidate: { name: "Silent" } });
    const session = await env.store.findSession(json.id!, hashSecret(headers["x-candidate-session"]!));
    await env.store.markSessionVerified(session!.id, new Date().toISOString());
    const report = await (await api.call("GET", `/v1/interviews/${json.id}/report`, { headers: api.auth })).json();
    expect(report.level).toBe("clear");
    const grant = await (await completion(api, token, headers)).json();
    expect(decodeJwt(grant.token).risk_level).toBe("review");
  });

  it("is refused for an audience the kit does not allow, or that is not an origin", async () => {
    const { env, api } = kit();
    const { json, token, headers } = await api.candidateSession();
    const session = await env.store.findSession(json.id!, hashSecret(headers["x-candidate-session"]!));
    await env.store.markSessionVerified(session!.id, new Date().toISOString());
    for (const audience of ["https://evil.example", "https://hr.example.com/", "javascript:alert(1)", "", 42, ["https://hr.example.com"]]) {
      const res = await completion(api, token, headers, audience);
      expect(res.status, JSON.stringify(audience)).toBe(400);
      const body = await res.json();
      expect(body.error.code).toBe("validation_failed");
      expect(body.error.field).toBe("audience");
    }
    const extra = await api.call("POST", `/v1/embed/candidate/${token}/completion`, { body: { audience: HOST, verdict: "passed" }, headers });
    expect(extra.status).toBe(400);
  });
});

describe("the widget script", () => {
  it("/embed.js redirects to the content-hashed script, which is immutable, loadable cross-origin and compressed", async () => {
    const { api } = kit();
    const entry = await api.call("GET", "/embed.js");
    expect(entry.status).toBe(302);
    const location = entry.headers.get("location")!;
    expect(location).toMatch(/^\/embed\/embed\.[0-9a-f]{10}\.js$/);
    expect(entry.headers.get("cache-control")).toBe("public, max-age=300");
    expect(entry.headers.get("cross-origin-resource-policy")).toBe("cross-origin");

    const script = await api.call("GET", location, { headers: { "accept-encoding": "gzip" } });
    expect(script.status).toBe(200);
    expect(script.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(script.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(script.headers.get("content-encoding")).toBe("gzip");
    expect(script.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
    expect(script.headers.get("access-control-allow-origin")).toBe("*");
    expect(script.headers.get("x-content-type-options")).toBe("nosniff");

    const plain = await api.call("GET", location);
    const code = await plain.text();
    expect(code).toContain("customElements.define");
    expect(code).not.toMatch(/\bimport\s*\(|\brequire\(|https?:\/\//);

    const types = await api.call("GET", "/embed/verify-interview.d.ts");
    expect(types.status).toBe(200);
    expect(await types.text()).toContain('"verify-interview": VerifyInterviewElement');
    for (const name of ["manifest.json", "..%2Fclient%2Fcandidate%2Findex.html", "embed.0000000000.js"]) {
      expect((await api.call("GET", `/embed/${name}`)).status, name).toBe(404);
    }
  });
});
