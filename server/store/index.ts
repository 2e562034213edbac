import { SqliteStore, sqlitePath } from "./sqlite-store.js";
import type { Store } from "./store.js";

export type * from "./store.js";
export { SqliteStore } from "./sqlite-store.js";

/** Opens the store named by `DATABASE_URL`. Postgres URLs are refused until that backend ships. */
export function openStore(databaseUrl: string): Store {
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error("DATABASE_URL: the Postgres backend is not available yet; use a SQLite file path");
  }
  return new SqliteStore(sqlitePath(databaseUrl));
}
