/**
 * Several kit processes on one Postgres database (issue 13): live updates reach a browser
 * connected to any process, each webhook delivery goes out once, and rate limits are shared.
 * Two real `server/main.ts` processes; needs `npm run build`.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type KitProcess, kitApi, spawnKit } from "./helpers/kit-process.js";
import { createDatabase, dropDatabase } from "./helpers/postgres.js";

let db: string;
let a: KitProcess;
let b: KitProcess;

beforeAll(async () => {
  db = await createDatabase("multi");
  // Started together: both migrate the empty database at once, and it is migrated once.
  [a, b] = await Promise.all([spawnKit({ DATABASE_URL: db, RATE_LIMIT_PER_IP_PER_MINUTE: "6" }), spawnKit({ DATABASE_URL: db, RATE_LIMIT_PER_IP_PER_MINUTE: "6" })]);
}, 120_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  if (db) await dropDatabase(db);
});

/** Reads `GET /v1/interviews/stream` of one process; `next(match)` waits for a matching `interview` message. */
async function openStream(url: string) {
  const stop = new AbortController();
  const res = await fetch(`${url}/v1/interviews/stream`, { headers: kitApi(url).auth, signal: stop.signal });
  expect(res.status).toBe(200);
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  const messages: Array<{ event: string; data: string }> = [];
  const read = async () => {
    const { value, done } = await reader.read();
    if (done) throw new Error("stream ended");
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? "message";
      const data = /^data: (.*)$/m.exec(block)?.[1] ?? "";
      messages.push({ event, data });
    }
  };
  const next = async (match: (m: { event: string; data: string }) => boolean) => {
    for (;;) {
      const i = messages.findIndex(match);
      if (i >= 0) return messages.splice(i, 1)[0]!;
      await read();
    }
  };
  await next((m) => m.event === "ready");
  return { next, close: () => stop.abort() };
}

describe("several kit processes on one Postgres database", () => {
  it("streams an event recorded through process A to a dashboard connected to process B", async () => {
    const onB = await openStream(b.url);
    const onA = await openStream(a.url);
    const res = await kitApi(a.url).post("/v1/interviews", { candidate: { name: "Grace Hopper" } });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const fromB = JSON.parse((await onB.next((m) => m.event === "interview" && m.data.includes(id))).data);
    expect(fromB).toMatchObject({ interviewId: id, type: "interview_created", status: "created" });
    // The process that recorded it streams it too, the same.
    expect(JSON.parse((await onA.next((m) => m.event === "interview" && m.data.includes(id))).data)).toEqual(fromB);
    onA.close();
    onB.close();
  });

  it("sends each webhook of a burst exactly once, whichever process's dispatcher takes it", async () => {
    const received = new Map<string, number>();
    const receiver = http.createServer((req, res) => {
      const id = String(req.headers["webhook-id"]);
      received.set(id, (received.get(id) ?? 0) + 1);
      req.resume();
      // A little slow, so both dispatchers are busy at once.
      setTimeout(() => res.writeHead(204).end(), 20);
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", () => resolve()));
    const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const created = await kitApi(a.url).post("/v1/webhook-endpoints", { url: hook, events: ["interview.created"] });
    expect(created.status).toBe(201);
    const endpoint = (await created.json()) as { id: string };

    const N = 80;
    const burst = await Promise.all(
      Array.from({ length: N }, (_, i) => kitApi(i % 2 ? a.url : b.url).post("/v1/interviews", { candidate: { name: `Burst ${i}` } })),
    );
    expect(burst.every((r) => r.status === 201)).toBe(true);

    // Once every delivery is recorded delivered, no dispatcher can take it again.
    let deliveries: Array<{ id: string; status: string; attempts: unknown[] }> = [];
    for (;;) {
      const res = await kitApi(b.url).get(`/v1/webhook-endpoints/${endpoint.id}/deliveries?limit=500`);
      deliveries = ((await res.json()) as { deliveries: typeof deliveries }).deliveries;
      if (deliveries.length === N && deliveries.every((d) => d.status === "delivered")) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(new Set(deliveries.map((d) => d.id)).size).toBe(N);
    expect(deliveries.every((d) => d.attempts.length === 1)).toBe(true);
    expect([...received.keys()].sort()).toEqual(deliveries.map((d) => d.id).sort());
    expect([...received.values()].every((n) => n === 1)).toBe(true);
    receiver.close();
  });

  it("counts one client's requests together on every process", async () => {
    const res = await kitApi(a.url).post("/v1/interviews", { candidate: { name: "Limited" } });
    const { candidateUrl } = (await res.json()) as { candidateUrl: string };
    const token = candidateUrl.split("/c/")[1]!;
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await fetch(`${i % 2 ? a.url : b.url}/v1/candidate/${token}`)).status);
    // Six per minute per IP, across both processes: the seventh is refused wherever it lands.
    expect(statuses.slice(0, 6).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(6)).toEqual([429, 429, 429, 429]);
  });
});
