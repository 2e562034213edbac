import http from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppEnv } from "./env.js";
import { limitBody } from "./body-limit.js";

// A real Node HTTP server (the fast path needs Node's request), with a handler that reports what it read.
const MAX = 1000;
class TooLarge extends Error {}
const app = new Hono<AppEnv>()
  .use(
    "*",
    limitBody(MAX, () => {
      throw new TooLarge();
    }),
  )
  .post("/echo", async (c) => c.json({ read: (await c.req.text()).length }));
app.onError((err, c) => (err instanceof TooLarge ? c.json({ error: "too_large" }, 413) : c.json({ error: String(err) }, 500)));

let server: ReturnType<typeof serve>;
let port: number;
beforeAll(async () => {
  server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise((r) => server.once("listening", r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise((r) => server.close(r)));

/** Sends a POST with exactly the headers given (`chunks` written one by one), returns status and body. */
function post(headers: Record<string, string>, chunks: string[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path: "/echo", method: "POST", headers }, (res) => {
      let body = "";
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode!, body }));
    });
    req.on("error", reject);
    for (const c of chunks) req.write(c);
    req.end();
  });
}

describe("limitBody on Node's server", () => {
  it("refuses a declared Content-Length over the limit before reading it", async () => {
    const res = await post({ "content-length": String(MAX + 1) }, ["x".repeat(MAX + 1)]);
    expect(res.status).toBe(413);
  });

  it("passes a declared body within the limit, and a POST without a body", async () => {
    expect(await post({ "content-length": String(MAX) }, ["x".repeat(MAX)])).toEqual({ status: 200, body: JSON.stringify({ read: MAX }) });
    expect(await post({}, [])).toEqual({ status: 200, body: JSON.stringify({ read: 0 }) });
  });

  it("counts a chunked body as it arrives: over the limit is refused, under it is read whole", async () => {
    const over = await post({ "transfer-encoding": "chunked" }, ["x".repeat(600), "x".repeat(600)]);
    expect(over.status).toBe(413);
    const under = await post({ "transfer-encoding": "chunked" }, ["x".repeat(300), "x".repeat(300)]);
    expect(under).toEqual({ status: 200, body: JSON.stringify({ read: 600 }) });
  });

  it("off Node's server (app.request) counts the body too, even with a socket address given", async () => {
    const big = await app.request("/echo", { method: "POST", body: "x".repeat(MAX + 1) });
    expect(big.status).toBe(413);
    const withSocket = await app.request("/echo", { method: "POST", body: "x".repeat(MAX + 1) }, { incoming: { socket: { remoteAddress: "127.0.0.1" } } });
    expect(withSocket.status).toBe(413);
    const small = await app.request("/echo", { method: "POST", body: "xyz" });
    expect(await small.json()).toEqual({ read: 3 });
  });
});
