import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { MAX_RESPONSE_BODY_BYTES, pinnedSender } from "./send.js";

// Real sockets on loopback: a receiver that answers its status line and then misbehaves.

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function receiver(handler: http.RequestListener) {
  const server = http.createServer(handler);
  servers.push(server);
  let connections = 0;
  let closed = 0;
  server.on("connection", (socket) => {
    connections++;
    socket.on("close", () => closed++);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return { url: new URL(`http://127.0.0.1:${port}/hook`), stats: () => ({ connections, closed }), server };
}

const request = (url: URL, timeoutMs: number) => ({ url, addresses: [{ address: "127.0.0.1", family: 4 as const }], headers: {}, body: "{}", timeoutMs });

describe("pinnedSender", () => {
  it("drops the connection of a receiver that streams its answer's body past the deadline", async () => {
    const r = await receiver((_req, res) => {
      res.writeHead(200);
      const tick = setInterval(() => (res.destroyed ? clearInterval(tick) : res.write("x")), 20);
      res.on("close", () => clearInterval(tick));
    });
    const { send, close } = pinnedSender();
    try {
      expect(await send(request(r.url, 300))).toMatchObject({ status: 200 });
      // The body never ends; the deadline, not the receiver, ends the connection.
      await vi.waitFor(() => expect(r.stats().closed).toBe(1), { timeout: 10_000, interval: 50 });
    } finally {
      close();
    }
  });

  it("drops the connection of a receiver whose answer's body is larger than the limit", async () => {
    const r = await receiver((_req, res) => {
      res.writeHead(200);
      res.write(Buffer.alloc(MAX_RESPONSE_BODY_BYTES + 1024, 120));
      // …and never ends it.
    });
    const { send, close } = pinnedSender();
    try {
      expect(await send(request(r.url, 60_000))).toMatchObject({ status: 200 });
      await vi.waitFor(() => expect(r.stats().closed).toBe(1), { timeout: 10_000, interval: 50 });
    } finally {
      close();
    }
  });

  it("keeps a well-behaved receiver's connection for the next delivery", async () => {
    const r = await receiver((_req, res) => res.end("ok"));
    const { send, close } = pinnedSender();
    try {
      expect(await send(request(r.url, 5_000))).toMatchObject({ status: 200 });
      expect(await send(request(r.url, 5_000))).toMatchObject({ status: 200 });
      expect(r.stats()).toEqual({ connections: 1, closed: 0 });
    } finally {
      close();
    }
  });
});
