/**
 * The backends the Store contract suite runs on: SQLite (a fresh file per test) and Postgres (one
 * database per test file in the run's cluster, emptied before each test). Every file in this folder
 * runs its tests once per backend with `describe.each(BACKENDS)`.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, afterEach, beforeEach } from "vitest";
import { PgStore, SqliteStore, type Store } from "../../server/store/index.js";
import { createDatabase, dropDatabase } from "../helpers/postgres.js";

export interface Backend {
  name: "sqlite" | "postgres";
  /** Whether stores on one database hear each other's event notices (several kit processes). */
  sharedFeed: boolean;
}

export const BACKENDS: Backend[] = [
  { name: "sqlite", sharedFeed: false },
  { name: "postgres", sharedFeed: true },
];

/** What a test gets: the store, and more stores on the same database (other kit processes). */
export interface ContractContext {
  store: Store;
  /** Another store on the same database, closed after the test. */
  peer(): Promise<Store>;
}

/**
 * Registers the hooks that give each test a fresh, empty store of `backend`; read `ctx.store`
 * inside tests. Stores opened by a test are closed after it.
 */
export function useStore(backend: Backend): ContractContext {
  const open: Store[] = [];
  let location = "";
  let pgUrl: string | undefined;
  const ctx = {
    store: undefined as unknown as Store,
    async peer(): Promise<Store> {
      const store = backend.name === "sqlite" ? new SqliteStore(location) : await PgStore.open(pgUrl!);
      open.push(store);
      return store;
    },
  };

  beforeEach(async () => {
    if (backend.name === "sqlite") {
      location = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "kit-contract-")), "kit.db");
      ctx.store = new SqliteStore(location);
    } else {
      if (!pgUrl) pgUrl = await createDatabase("contract");
      else await emptyDatabase(pgUrl);
      ctx.store = await PgStore.open(pgUrl);
    }
    open.push(ctx.store);
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
    if (backend.name === "sqlite") fs.rmSync(path.dirname(location), { recursive: true, force: true });
  });
  afterAll(async () => {
    if (pgUrl) await dropDatabase(pgUrl);
  });
  return ctx;
}

/** Empties every kit table and restarts the identity counters, as a fresh SQLite file would start them. */
async function emptyDatabase(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ tablename: string }>(
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename != 'schema_version'",
    );
    if (rows.length) await client.query(`TRUNCATE ${rows.map((r) => `"${r.tablename}"`).join(", ")} RESTART IDENTITY CASCADE`);
  } finally {
    await client.end();
  }
}
