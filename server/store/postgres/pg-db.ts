import pg from "pg";

/** What a query runs on: the pool, or the one client of a transaction. */
export type Queryable = Pick<pg.ClientBase, "query">;

const INT8_OID = 20;

/**
 * `bigint` columns (identity ids, COUNT(*)) come back as JS numbers, as SQLite gives them: the
 * kit's counts and ids stay far below 2^53. Set on this pool only, never on pg's global parsers.
 */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === INT8_OID && format !== "binary" ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig["getTypeParser"],
};

/** Postgres errors a transaction may simply be run again after (deadlock, serialization failure). */
const RETRYABLE = new Set(["40P01", "40001"]);

/** A connection pool with the helpers the Postgres store is written with; parameterised queries only. */
export class PgDb {
  readonly pool: pg.Pool;

  constructor(readonly url: string, max = 10) {
    this.pool = new pg.Pool({ connectionString: url, max, types });
    // An idle client whose server went away must not crash the process; the next query reconnects.
    this.pool.on("error", (err) => console.error("postgres pool:", err.message));
  }

  /** The rows of one statement. */
  async all<R extends pg.QueryResultRow>(sql: string, values: unknown[] = [], on: Queryable = this.pool): Promise<R[]> {
    return (await on.query<R>(sql, values)).rows;
  }

  /** The first row of one statement, or undefined. */
  async get<R extends pg.QueryResultRow>(sql: string, values: unknown[] = [], on: Queryable = this.pool): Promise<R | undefined> {
    return (await on.query<R>(sql, values)).rows[0];
  }

  /** Runs a statement; returns how many rows it changed. */
  async run(sql: string, values: unknown[] = [], on: Queryable = this.pool): Promise<number> {
    return (await on.query(sql, values)).rowCount ?? 0;
  }

  /**
   * Runs `fn` in one READ COMMITTED transaction on one client: all of it commits or none of it.
   * Deadlocks and serialization failures are retried (the whole of `fn` runs again).
   */
  async tx<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      let broken = false;
      try {
        await client.query("BEGIN");
        const result = await fn(client);
        await client.query("COMMIT");
        return result;
      } catch (err) {
        await client.query("ROLLBACK").catch(() => (broken = true));
        const code = (err as { code?: string }).code;
        if (attempt < 5 && code && RETRYABLE.has(code)) continue;
        throw err;
      } finally {
        client.release(broken);
      }
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
