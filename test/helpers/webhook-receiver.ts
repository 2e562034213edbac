import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

/** One request a test receiver got: its headers and raw body. */
export interface Received {
  headers: Record<string, string>;
  body: string;
}

/** How the receiver answers its n-th request (1-based). */
export type Reply = (n: number, got: Received) => { status: number; headers?: Record<string, string>; delayMs?: number };

/** A real HTTP receiver on loopback; `answer` decides each reply (200 at once by default). */
export async function startReceiver() {
  const received: Received[] = [];
  let reply: Reply = () => ({ status: 200 });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const got = { headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString("utf8") };
      received.push(got);
      const r = reply(received.length, got);
      setTimeout(() => {
        if (res.destroyed) return;
        res.writeHead(r.status, r.headers ?? {});
        res.end();
      }, r.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}/hook`,
    received,
    answer(fn: Reply) {
      reply = fn;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
export type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/** Standard Webhooks verification as a receiver does it (5-minute tolerance against the real clock). */
export const verify = (secret: string, r: Received) => new Webhook(secret).verify(r.body, r.headers);

/**
 * The signature check alone, for deliveries stamped by a clock the test moved hours ahead
 * (where `verify` would rightly refuse the timestamp): any of the header's signatures matches.
 */
export function signedBy(secret: string, r: Received): boolean {
  const at = new Date(Number(r.headers["webhook-timestamp"]) * 1000);
  const expected = new Webhook(secret).sign(r.headers["webhook-id"]!, at, r.body);
  return r.headers["webhook-signature"]!.split(" ").includes(expected);
}
