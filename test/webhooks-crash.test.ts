import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { WebhookEvent, type WebhookEndpointWithSecret } from "../shared/webhooks.js";
import { type KitProcess, startKitProcess } from "./helpers/kit-child.js";
import { type Received, verify } from "./helpers/webhook-receiver.js";

const API_KEY = "crash-test-key-0123456789abcdef";
const INTERVIEWS = 30;
const ENDPOINTS = ["a", "b"];

interface Hit extends Received {
  path: string;
  id: string;
  at: number;
  /** Set once the 2xx answer was written to the kit's socket. */
  acked: boolean;
  /** A retry whose answer is still being prepared: the kit is waiting on it. */
  waiting: boolean;
}

/**
 * A loopback receiver that answers each webhook-id's first attempt with 500 and later ones with
 * 204 after 100–1500 ms (fixed per id), so at any moment some deliveries are done, some are
 * waiting for a retry and some are in flight.
 */
async function slowReceiver() {
  const hits: Hit[] = [];
  const seen = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const headers = req.headers as Record<string, string>;
      const id = headers["webhook-id"] ?? "";
      const hit: Hit = { path: req.url ?? "", id, headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now(), acked: false, waiting: false };
      hits.push(hit);
      const n = seen.get(id) ?? 0;
      seen.set(id, n + 1);
      if (n === 0) return void res.writeHead(500).end();
      hit.waiting = true;
      res.on("close", () => (hit.waiting = false));
      res.on("finish", () => (hit.acked = true));
      const delay = 100 + ([...id].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) >>> 0, 7) % 1400);
      setTimeout(() => {
        if (!res.destroyed) res.writeHead(204).end();
      }, delay);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    hits,
    /** Retries the kit is waiting on: their 2xx answer has not been written yet. */
    inFlight: () => hits.filter((h) => h.waiting && !h.acked),
    ackedIds: () => new Set(hits.filter((h) => h.acked).map((h) => h.id)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function waitFor(what: string, check: () => boolean, timeoutMs: number, kit?: KitProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${kit ? `\nkit output:\n${kit.output()}` : ""}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("webhooks survive SIGKILL", () => {
  const kits: KitProcess[] = [];
  afterAll(async () => {
    for (const k of kits) await k.kill("SIGKILL");
  });

  it("delivers every queued event at least once after a restart, with its original webhook-id, and invents none", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kit-crash-"));
    const dbFile = path.join(dir, "kit.db");
    const receiver = await slowReceiver();
    const env = {
      DATA_DIR: dir,
      DATABASE_URL: dbFile,
      API_KEYS: API_KEY,
      // No room is used; the kit must not start a livekit-server of its own.
      LIVEKIT_URL: "ws://127.0.0.1:9",
      LIVEKIT_API_KEY: "unused-key",
      LIVEKIT_API_SECRET: "unused-secret-0123456789abcdef0123456789",
      // The receiver listens on loopback.
      WEBHOOK_ALLOW_PRIVATE_URLS: "true",
      // A 2 s timeout makes the killed kit's claims lapse after 8 s instead of 60 s.
      WEBHOOK_TIMEOUT_SECONDS: "2",
    };
    const auth = { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" };
    try {
      const first = await startKitProcess(env);
      kits.push(first);
      const secrets = new Map<string, string>();
      for (const name of ENDPOINTS) {
        const res = await fetch(`${first.url}/v1/webhook-endpoints`, { method: "POST", headers: auth, body: JSON.stringify({ url: `${receiver.base}/hook/${name}` }) });
        expect(res.status).toBe(201);
        const ep = (await res.json()) as WebhookEndpointWithSecret;
        secrets.set(`/hook/${name}`, ep.secret);
      }
      const created: string[] = [];
      for (let i = 0; i < INTERVIEWS; i += 5) {
        const batch = await Promise.all(
          Array.from({ length: 5 }, async () => {
            const res = await fetch(`${first.url}/v1/interviews`, { method: "POST", headers: auth, body: JSON.stringify({ candidate: { name: "Crash Test" } }) });
            expect(res.status).toBe(201);
            return ((await res.json()) as { id: string }).id;
          }),
        );
        created.push(...batch);
      }
      const total = INTERVIEWS * ENDPOINTS.length;

      // Kill while retries are in flight and some deliveries are already done.
      await waitFor("deliveries in flight", () => receiver.ackedIds().size >= 3 && receiver.inFlight().length >= 5, 30_000, first);
      const waiting = receiver.inFlight();
      expect(await first.kill("SIGKILL")).toBe("SIGKILL");
      const killedAt = Date.now();
      // Those still unanswered when the kit died (one may have been answered just before the signal).
      const inFlightAtKill = new Set(waiting.filter((h) => !h.acked).map((h) => h.id));
      const ackedAtKill = receiver.ackedIds().size;
      expect(inFlightAtKill.size).toBeGreaterThanOrEqual(3);
      expect(ackedAtKill).toBeLessThan(total);

      const second = await startKitProcess(env);
      kits.push(second);
      await waitFor(`all ${total} deliveries acknowledged`, () => receiver.ackedIds().size >= total, 40_000, second);
      expect(await second.kill("SIGTERM")).toBe("0");
      await receiver.close();

      const db = new Database(dbFile, { readonly: true });
      const rows = db
        .prepare(
          `SELECT d.id, d.payload, d.status, d.endpoint_id, e.url, ev.interview_id, ev.type AS event_type
           FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id LEFT JOIN events ev ON ev.id = d.event_id`,
        )
        .all() as Array<{ id: string; payload: string; status: string; endpoint_id: string; url: string; interview_id: string | null; event_type: string | null }>;
      db.close();

      // Exactly one delivery per (endpoint, created interview), each tied to that interview's recorded event.
      expect(rows).toHaveLength(total);
      const pairs = new Set(rows.map((r) => `${new URL(r.url).pathname} ${r.interview_id}`));
      expect(pairs).toEqual(new Set(ENDPOINTS.flatMap((n) => created.map((id) => `/hook/${n} ${id}`))));
      for (const r of rows) {
        expect(r.event_type).toBe("interview_created");
        expect(WebhookEvent.parse(JSON.parse(r.payload))).toMatchObject({ type: "interview.created", data: { interviewId: r.interview_id } });
        expect(r.status).toBe("delivered");
      }

      // Every delivery arrived (2xx) at least once; every arrival is a recorded delivery, byte for byte, at its endpoint.
      const byId = new Map(rows.map((r) => [r.id, r]));
      expect(receiver.ackedIds()).toEqual(new Set(byId.keys()));
      for (const hit of receiver.hits) {
        const row = byId.get(hit.id);
        expect(row, `webhook-id ${hit.id} was never recorded`).toBeDefined();
        expect(hit.body).toBe(row!.payload);
        expect(hit.path).toBe(new URL(row!.url).pathname);
        verify(secrets.get(hit.path)!, hit);
      }
      // Retries (after the 500s, and after the kill) kept their webhook-id: each id came at least twice.
      const counts = new Map<string, number>();
      for (const hit of receiver.hits) counts.set(hit.id, (counts.get(hit.id) ?? 0) + 1);
      expect([...counts.values()].every((n) => n >= 2)).toBe(true);
      // What was in flight when the kit died was sent again by the restarted kit, under the same id.
      for (const id of inFlightAtKill) expect(receiver.hits.some((h) => h.id === id && h.at > killedAt && h.acked)).toBe(true);
    } finally {
      await receiver.close().catch(() => {});
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
