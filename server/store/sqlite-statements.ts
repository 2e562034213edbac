import type Database from "better-sqlite3";

/** Most distinct SQL strings kept compiled; the kit's own SQL is a fixed set well under it. */
export const STATEMENT_CACHE_SIZE = 512;

/**
 * Makes `db.prepare` return a compiled statement per SQL string instead of compiling it again.
 * better-sqlite3 compiles on every `prepare()`, which was the largest single cost of a request.
 * Safe because the kit never changes a statement's mode (`pluck`, `raw`, `expand`) and never
 * holds one open across an await (`iterate`). Past `maxEntries` strings, new ones are compiled
 * every time rather than remembered, so an unexpected source of distinct SQL cannot grow memory.
 */
export function cacheStatements(db: Database.Database, maxEntries = STATEMENT_CACHE_SIZE): Database.Database {
  const compile = db.prepare.bind(db);
  const compiled = new Map<string, Database.Statement>();
  db.prepare = ((sql: string) => {
    let statement = compiled.get(sql);
    if (!statement) {
      statement = compile(sql);
      if (compiled.size < maxEntries) compiled.set(sql, statement);
    }
    return statement;
  }) as Database.Database["prepare"];
  return db;
}
