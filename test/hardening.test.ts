/**
 * Regression tests for the security review's findings: webhook body handling,
 * who ends an interview, candidate names, response headers, and the embedded
 * livekit-server's readiness check. (The API key and file modes are unit
 * tests beside the code: server/config/api-key.test.ts, server/store/sqlite-store.test.ts.)
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { AccessToken } from "livekit-server-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answersWithKey, installLiveKit, LocalLiveKit } from "../server/livekit/index.js";
import { client, testApp, tokenOf } from "./helpers/app.js";
import { startTestLiveKit } from "./helpers/livekit.js";

const ROOT = path.resolve(import.meta.dirname, "..");

let livekit: LocalLiveKit;
beforeAll(async () => {
  livekit = await startTestLiveKit(17800);
});
afterAll(async () => {
  await livekit?.stop();
});

/** A LiveKit webhook body signed the way livekit-server signs it. */
async function signedWebhook(body: string): Promise<string> {
  const token = new AccessToken(livekit.settings.apiKey, livekit.settings.apiSecret);
  token.sha256 = createHash("sha256").update(body).digest("base64");
  return token.toJwt();
}

describe("LiveKit webhook intake", () => {
  it("refuses an unsigned request with 401 before reading its body", async () => {
    const { app, store } = testApp({ livekit: livekit.settings });
    const { json } = await client(app).createInterview();
    for (const authorization of [undefined, "", "   "]) {
      let pulled = false;
      // highWaterMark 0: the stream is only pulled when someone reads the body.
      const body = new ReadableStream<Uint8Array>(
        {
          pull(controller) {
            pulled = true;
            controller.enqueue(new TextEncoder().encode(JSON.stringify({ event: "room_finished", room: { name: `interview-${json.id}` } })));
            controller.close();
          },
        },
        { highWaterMark: 0 },
      );
      const res = await app.request(
        "/webhooks/livekit",
        {
          method: "POST",
          headers: { "content-type": "application/webhook+json", ...(authorization !== undefined ? { authorization } : {}) },
          body,
          duplex: "half",
        } as RequestInit,
        { incoming: { socket: { remoteAddress: "127.0.0.1" } } },
      );
      expect(res.status, JSON.stringify(authorization)).toBe(401);
      expect((await res.json()).error.code).toBe("unauthorized");
      expect(pulled, `body read with authorization ${JSON.stringify(authorization)}`).toBe(false);
    }
    expect((await store.listEvents(json.id!)).map((e) => e.type)).toEqual(["interview_created"]);
  });

  it("refuses a body over 64 KB with 413 and records nothing", async () => {
    const { app, store } = testApp({ livekit: livekit.settings });
    const api = client(app);
    const { json } = await api.createInterview();
    const raw = JSON.stringify({ event: "participant_joined", room: { name: `interview-${json.id}` }, pad: "x".repeat(1024 * 1024) });
    const res = await api.call("POST", "/webhooks/livekit", { raw, headers: { authorization: "Bearer anything" } });
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe("payload_too_large");
    expect((await store.listEvents(json.id!)).map((e) => e.type)).toEqual(["interview_created"]);
  });
});

describe("ending an interview", () => {
  it("records LiveKit's room_finished but keeps the interview open", async () => {
    const { app } = testApp({ livekit: livekit.settings });
    const api = client(app);
    const { json } = await api.createInterview();
    const { room } = await (await api.call("GET", `/v1/interviews/${json.id}`, { headers: api.auth })).json();
    const raw = JSON.stringify({ event: "room_finished", room: { name: room }, id: "EV_test", createdAt: String(Math.floor(Date.now() / 1000)) });
    const res = await api.call("POST", "/webhooks/livekit", { raw, headers: { authorization: await signedWebhook(raw) } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: "room_finished", recorded: true });

    const got = await (await api.call("GET", `/v1/interviews/${json.id}`, { headers: api.auth })).json();
    expect(got.events.map((e: { type: string }) => e.type)).toContain("room_finished");
    expect(got.status).toBe("created");
  });
});

describe("candidate names", () => {
  it("refuses control and format characters and blank names with 400 on candidate.name", async () => {
    const { app, store } = testApp({ livekit: livekit.settings });
    const api = client(app);
    for (const name of ["\u202Eevil", "a\u0000b", "a\u0007", "   ", "Ada\u200DLovelace", "\u2066x\u2069"]) {
      const { res, json } = await api.createInterview({ candidate: { name } });
      expect(res.status, JSON.stringify(name)).toBe(400);
      const error = (json as unknown as { error: { code: string; field: string } }).error;
      expect(error.code).toBe("validation_failed");
      expect(error.field).toBe("candidate.name");
    }
    expect(await store.listInterviews(100, 0)).toEqual([]);
    // Ordinary names, accents and non-Latin scripts included, still pass.
    for (const name of ["Kim Min-jun", "김민준", "José O'Brien-Núñez"]) {
      expect((await api.createInterview({ candidate: { name } })).res.status, name).toBe(201);
    }
  });
});

describe("response headers", () => {
  const cspOf = (res: Response) => res.headers.get("content-security-policy") ?? "";
  const frameAncestors = (res: Response) => /frame-ancestors ([^;]*)/.exec(cspOf(res))?.[1];

  it("sends nosniff on JSON errors and on /healthz", async () => {
    const { app } = testApp({ livekit: livekit.settings });
    const api = client(app);
    const missing = await api.call("GET", "/v1/nothing-here");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("x-content-type-options")).toBe("nosniff");
    const health = await api.call("GET", "/healthz");
    expect(health.status).toBe(200);
    expect(health.headers.get("x-content-type-options")).toBe("nosniff");
    expect(health.headers.get("referrer-policy")).toBe("no-referrer");
  });

  it("lets only the kit frame the dashboard, and by default the candidate and interviewer pages too", async () => {
    const { app } = testApp({ livekit: livekit.settings });
    const api = client(app);
    const dashboard = await api.call("GET", "/");
    expect(dashboard.status).toBe(200);
    expect(cspOf(dashboard)).toContain("default-src 'self'");
    expect(frameAncestors(dashboard)).toBe("'self'");
    expect(dashboard.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(dashboard.headers.get("x-content-type-options")).toBe("nosniff");

    const { json } = await api.createInterview();
    for (const url of [json.candidateUrl!, json.interviewerUrl!]) {
      const page = await api.call("GET", new URL(url).pathname);
      expect(page.status, url).toBe(200);
      expect(cspOf(page)).toContain("default-src 'self'");
      expect(frameAncestors(page), url).toBe("'self'");
      expect(page.headers.get("permissions-policy")).toContain("camera=(self)");
    }
  });

  it("lets the configured EMBED_ALLOWED_ORIGINS frame the candidate and interviewer pages, not the dashboard", async () => {
    const { app } = testApp({ livekit: livekit.settings, embedAllowedOrigins: ["https://hr.example.com"] });
    const api = client(app);
    const { json } = await api.createInterview();
    for (const url of [json.candidateUrl!, json.interviewerUrl!]) {
      const page = await api.call("GET", `${new URL(url).pathname}`);
      expect(frameAncestors(page), url).toBe("'self' https://hr.example.com");
      // X-Frame-Options cannot name another origin, so it is left off where CSP allows one.
      expect(page.headers.get("x-frame-options")).toBeNull();
    }
    expect(tokenOf(json.candidateUrl!)).toBeTruthy();
    expect(frameAncestors(await api.call("GET", "/"))).toBe("'self'");
  });

  it("gives HTML served from /app/ a CSP as well", async () => {
    const { app } = testApp({ livekit: livekit.settings });
    const res = await client(app).call("GET", "/app/candidate/index.html");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(cspOf(res)).toContain("default-src 'self'");
    expect(frameAncestors(res)).toBe("'self'");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });
});

describe("embedded livekit-server", () => {
  /** A stand-in for "something else on the port": answers 200 to everything. */
  async function dummyServer(port: number): Promise<http.Server> {
    const server = http.createServer((req, res) => {
      req.resume();
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    return server;
  }

  it("fails to start, clearly, when another process already answers on its port", async () => {
    const dummy = await dummyServer(17810);
    try {
      const start = LocalLiveKit.start({
        binary: await installLiveKit(path.join(ROOT, ".tools")),
        workDir: fs.mkdtempSync(path.join(os.tmpdir(), "kit-lk-")),
        port: 17810,
        rtcUdpPort: 17812,
      });
      // The port message, not a readiness timeout: the conflict is seen before waiting for readiness.
      await expect(start).rejects.toThrow(/port 17810 .*already in use/);
    } finally {
      await new Promise((r) => dummy.close(r));
    }
  });

  it("counts as ready only a server that answers with the kit's own key", async () => {
    const dummy = await dummyServer(17815);
    try {
      expect(await answersWithKey("ws://127.0.0.1:17815", livekit.settings.apiKey, livekit.settings.apiSecret)).toBe(false);
    } finally {
      await new Promise((r) => dummy.close(r));
    }
    const { url, apiKey, apiSecret } = livekit.settings;
    expect(await answersWithKey(url, apiKey, apiSecret)).toBe(true);
    expect(await answersWithKey(url, apiKey, "not-the-secret-not-the-secret-00")).toBe(false);
  });

  it("reports when its process exits, and keeps ICE-TCP off by default", async () => {
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "kit-lk-"));
    const own = await LocalLiveKit.start({
      binary: await installLiveKit(path.join(ROOT, ".tools")),
      workDir,
      port: 17820,
      rtcUdpPort: 17822,
    });
    // livekit-server would listen on every interface for ICE-TCP; the default config has no TCP port.
    expect(fs.readFileSync(path.join(workDir, "livekit-17820.yaml"), "utf8")).toMatch(/^ {2}tcp_port: 0$/m);
    await own.stop();
    await expect(own.exited).resolves.toMatch(/livekit-server exited/);
  });

  it("stops the server a killed kit left running from the same folder, and starts in its place", async () => {
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "kit-lk-"));
    const binary = await installLiveKit(path.join(ROOT, ".tools"));
    const options = { binary, workDir, port: 17970, rtcUdpPort: 17972 };
    // A kit that died without stopping it: nobody calls stop() on the first server.
    const leftover = await LocalLiveKit.start(options);
    const next = await LocalLiveKit.start(options);
    try {
      await expect(leftover.exited).resolves.toMatch(/SIGKILL/);
      expect(await answersWithKey(next.settings.url, next.settings.apiKey, next.settings.apiSecret)).toBe(true);
      expect(await answersWithKey(next.settings.url, leftover.settings.apiKey, leftover.settings.apiSecret)).toBe(false);
    } finally {
      await next.stop();
    }
    expect(fs.existsSync(path.join(workDir, "livekit-17970.pid"))).toBe(false);
  });
});
