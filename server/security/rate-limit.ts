import type Database from "better-sqlite3";
import { type RateLimiterAbstract, RateLimiterRes, RateLimiterSQLite } from "rate-limiter-flexible";

/** One limit: at most `points` hits per key in each `durationSeconds`. `name` keeps counters of different limits apart. */
export interface RateLimitRule {
  name: string;
  points: number;
  durationSeconds: number;
}

/** The outcome of one hit: allowed, or refused until `retryAfterSeconds` have passed. */
export type RateLimitResult = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * A counter shared by every kit process using the same store. The store
 * supplies it (`Store.createRateLimiter`), so each backend keeps counters
 * where its processes all see them, never in one process's memory.
 */
export interface RateLimiter {
  /** Counts one hit for `key` and says whether it is within the limit. */
  hit(key: string): Promise<RateLimitResult>;
}

/** Table the SQLite counters live in, beside the kit's own tables. */
export const RATE_LIMIT_TABLE = "rate_limits";
const PURGE_EVERY_MS = 5 * 60_000;

/**
 * `rate-limiter-flexible`'s SQLite limiter on the store's better-sqlite3
 * connection: each hit is one upsert in a transaction on the shared file, so
 * processes on the same database count together. Expired counters are
 * deleted now and then on a hit (no timer that could outlive the database).
 */
export class SqliteRateLimiter implements RateLimiter {
  private readonly limiter: RateLimiterSQLite;
  private lastPurge = Date.now();

  constructor(private readonly db: Database.Database, rule: RateLimitRule) {
    // The library's own table creation is asynchronous; creating it here makes the limiter usable at once.
    db.exec(
      `CREATE TABLE IF NOT EXISTS ${RATE_LIMIT_TABLE} (key TEXT PRIMARY KEY, points INTEGER NOT NULL DEFAULT 0, expire INTEGER)`,
    );
    this.limiter = new RateLimiterSQLite({
      storeClient: db,
      storeType: "better-sqlite3",
      tableName: RATE_LIMIT_TABLE,
      tableCreated: true,
      clearExpiredByTimeout: false,
      keyPrefix: rule.name,
      points: rule.points,
      duration: rule.durationSeconds,
    });
  }

  async hit(key: string): Promise<RateLimitResult> {
    this.purgeNowAndThen();
    return consumePoint(this.limiter, key);
  }

  private purgeNowAndThen(): void {
    const now = Date.now();
    if (now - this.lastPurge < PURGE_EVERY_MS || !this.db.open) return;
    this.lastPurge = now;
    this.db.prepare(`DELETE FROM ${RATE_LIMIT_TABLE} WHERE expire < ?`).run(now);
  }
}

/** Takes one point for `key` from a `rate-limiter-flexible` limiter, as a `RateLimitResult`. */
export async function consumePoint(limiter: Pick<RateLimiterAbstract, "consume">, key: string): Promise<RateLimitResult> {
  try {
    await limiter.consume(key);
    return { allowed: true };
  } catch (err) {
    // The library rejects with a RateLimiterRes when the limit is reached, and with an Error when the database fails.
    if (err instanceof RateLimiterRes) {
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(err.msBeforeNext / 1000)) };
    }
    throw err;
  }
}
