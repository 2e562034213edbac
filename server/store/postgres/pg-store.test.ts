import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createDatabase, dropDatabase } from "../../../test/helpers/postgres.js";
import { PG_MIGRATIONS } from "./pg-migrations.js";
import { PgStore } from "./pg-store.js";

// What every backend promises is tested by the contract suite (test/store-contract/); here, Postgres's own start-up.
const made: string[] = [];
afterAll(async () => {
  for (const url of made) await dropDatabase(url);
});

describe("PgStore start-up", () => {
  it("migrates an empty database once, even when several processes start together, and not again on re-open", async () => {
    const url = await createDatabase("pgstart");
    made.push(url);
    const stores = await Promise.all([PgStore.open(url), PgStore.open(url), PgStore.open(url)]);
    await Promise.all(stores.map((s) => s.close()));
    const again = await PgStore.open(url);
    await again.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query<{ version: number }>("SELECT version FROM schema_version ORDER BY version");
    await client.end();
    expect(rows.map((r) => r.version)).toEqual(PG_MIGRATIONS.map((_, i) => i + 1));
  });

  it("compares and sorts stored text byte by byte whatever the database's collation", async () => {
    const url = await createDatabase("pgcoll");
    made.push(url);
    const store = await PgStore.open(url);
    const base = { status: "created" as const, candidateName: "A", expiresAt: "2099-01-01T00:00:00.000Z", interviewerExpiresAt: "2099-01-01T00:00:00.000Z" };
    // In most locales "a" sorts before "B" and "-" is ignored; byte order (SQLite's) puts "B" (0x42) before "a" (0x61).
    for (const [id, createdAt] of [["a", "2026-01-01T00:00:00.000Z"], ["B", "2026-01-01T00:00:00.000Z"], ["a-1", "2026-01-01T00:00:00.000Z"]] as const) {
      await store.createInterview({ ...base, id, createdAt, room: `r${id}`, candidateTokenHash: `c${id}`, interviewerTokenHash: `i${id}` });
    }
    expect((await store.listInterviews(10, 0)).map((i) => i.id)).toEqual(["a-1", "a", "B"]);
    await store.close();
  });

  it("refuses to open a database it cannot reach, with the driver's reason", async () => {
    await expect(PgStore.open("postgres://nobody@127.0.0.1:1/none")).rejects.toThrow(/ECONNREFUSED|connect/);
  });
});
