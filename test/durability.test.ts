/**
 * Durability (issue 13): the kit is SIGKILLed while 1,000 concurrent creates and event writes
 * are under way. After a restart, every request that was answered 2xx is there, and nothing
 * half-written is visible: an interview exists with its creation event or not at all, and an
 * event that moves the status is stored with the status. On SQLite and on Postgres, with real
 * `server/main.ts` processes (needs `npm run build`).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openStore, type Store } from "../server/store/index.js";
import { type KitProcess, kitApi, spawnKit } from "./helpers/kit-process.js";
import { createDatabase, dropDatabase } from "./helpers/postgres.js";

const REQUESTS = 1000;
/** Interviews made before the storm, whose candidate links the event writes open. */
const SEEDS = 20;

const cleanup: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const fn of cleanup) await fn();
});

interface Storm {
  /** Ids of the interviews whose create was answered 201. */
  created: string[];
  /** Per seed interview: link opens answered 200. */
  opened: Map<string, number>;
  answered: number;
}

/** Fires the creates and link opens together and SIGKILLs the kit once some have been answered. */
async function storm(kit: KitProcess, seeds: Array<{ id: string; token: string }>): Promise<Storm> {
  const api = kitApi(kit.url);
  const result: Storm = { created: [], opened: new Map(), answered: 0 };
  let killed: Promise<void> | undefined;
  const answered = () => {
    result.answered++;
    // Mid-way: enough answers to check, and plenty still in flight.
    if (result.answered === REQUESTS * 0.3) killed = kit.stop("SIGKILL");
  };
  await Promise.all(
    Array.from({ length: REQUESTS }, async (_, i) => {
      try {
        if (i % 5 < 3) {
          const res = await api.post("/v1/interviews", { candidate: { name: `Storm ${i}` } });
          if (res.status === 201) result.created.push(((await res.json()) as { id: string }).id);
        } else {
          const seed = seeds[i % SEEDS]!;
          const res = await fetch(`${kit.url}/v1/candidate/${seed.token}`);
          await res.body?.cancel();
          if (res.status === 200) result.opened.set(seed.id, (result.opened.get(seed.id) ?? 0) + 1);
        }
        answered();
      } catch {
        // Cut off by the kill: no answer, no promise.
      }
    }),
  );
  await killed;
  return result;
}

/** Everything the store holds, checked for half-written state. */
async function checkConsistent(store: Store): Promise<Map<string, number>> {
  const openedCount = new Map<string, number>();
  for (let offset = 0; ; offset += 500) {
    const page = await store.listInterviews(500, offset);
    for (const iv of page) {
      const events = await store.listEvents(iv.id);
      expect(events[0]?.type, `interview ${iv.id} has its creation event first`).toBe("interview_created");
      const opens = events.filter((e) => e.type === "link_opened").length;
      openedCount.set(iv.id, opens);
      // The event that moves the status and the status are written together.
      expect(iv.status, `status of ${iv.id} with ${opens} link opens`).toBe(opens > 0 ? "link_opened" : "created");
    }
    if (page.length < 500) break;
  }
  return openedCount;
}

async function survive(databaseUrl: string, dataDir: string) {
  const kit = await spawnKit({ DATABASE_URL: databaseUrl }, { dataDir });
  const api = kitApi(kit.url);
  const seeds: Array<{ id: string; token: string }> = [];
  for (let i = 0; i < SEEDS; i++) {
    const res = await api.post("/v1/interviews", { candidate: { name: `Seed ${i}` } });
    const body = (await res.json()) as { id: string; candidateUrl: string };
    seeds.push({ id: body.id, token: body.candidateUrl.split("/c/")[1]! });
  }
  const result = await storm(kit, seeds);
  expect(kit.child.signalCode).toBe("SIGKILL");
  // The kill came mid-way: some requests were answered, some were not.
  expect(result.answered).toBeGreaterThanOrEqual(REQUESTS * 0.3);
  expect(result.answered).toBeLessThan(REQUESTS);

  const again = await spawnKit({ DATABASE_URL: databaseUrl }, { dataDir });
  cleanup.push(() => again.stop());
  // Through the restarted kit: every answered create is there, with its creation event.
  for (const id of result.created.slice(0, 50)) {
    const res = await kitApi(again.url).get(`/v1/interviews/${id}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { events: Array<{ type: string }> };
    expect(body.events[0]?.type).toBe("interview_created");
  }
  const store = await openStore(databaseUrl);
  try {
    const openedCount = await checkConsistent(store);
    for (const id of result.created) expect(openedCount.has(id), `answered create ${id}`).toBe(true);
    for (const [id, n] of result.opened) expect(openedCount.get(id), `answered link opens of ${id}`).toBeGreaterThanOrEqual(n);
  } finally {
    await store.close();
  }
  return result;
}

describe("durability under SIGKILL", () => {
  it("keeps every answered write and nothing half-written, on SQLite", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kit-durable-"));
    const result = await survive(path.join(dir, "kit.db"), dir);
    expect(result.created.length).toBeGreaterThan(0);
  }, 150_000);

  it("keeps every answered write and nothing half-written, on Postgres", async () => {
    const db = await createDatabase("durable");
    cleanup.push(() => dropDatabase(db));
    const result = await survive(db, fs.mkdtempSync(path.join(os.tmpdir(), "kit-durable-")));
    expect(result.created.length).toBeGreaterThan(0);
  }, 150_000);
});
