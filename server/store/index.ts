import { PgStore } from "./postgres/index.js";
import { type SqliteOptions, SqliteStore, sqlitePath } from "./sqlite-store.js";
import type { Store } from "./store.js";

export type * from "./store.js";
export { SqliteStore, type SqliteOptions } from "./sqlite-store.js";
export { PgStore } from "./postgres/index.js";

/** Whether `DATABASE_URL` names a Postgres database (`postgres://` or `postgresql://`). */
export const isPostgresUrl = (databaseUrl: string) => /^postgres(ql)?:\/\//i.test(databaseUrl);

/**
 * Opens the store `DATABASE_URL` names: Postgres for `postgres://…` (migrated and listening when
 * this resolves), otherwise a SQLite file (`./file.db`, `sqlite:./file.db`).
 */
export async function openStore(databaseUrl: string, options: SqliteOptions = {}): Promise<Store> {
  if (isPostgresUrl(databaseUrl)) return PgStore.open(databaseUrl);
  return new SqliteStore(sqlitePath(databaseUrl), options);
}
