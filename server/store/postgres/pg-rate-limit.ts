import { RateLimiterPostgres } from "rate-limiter-flexible";
import { consumePoint, RATE_LIMIT_TABLE, type RateLimitResult, type RateLimitRule, type RateLimiter } from "../../security/rate-limit.js";
import type { PgDb } from "./pg-db.js";

const PURGE_EVERY_MS = 5 * 60_000;

/**
 * `rate-limiter-flexible`'s Postgres limiter on the store's pool: each hit is one atomic upsert in
 * the shared `rate_limits` table (created by the migrations), so every kit process counts together.
 * Expired counters are deleted now and then on a hit, as the SQLite limiter does.
 */
export class PgRateLimiter implements RateLimiter {
  private readonly limiter: RateLimiterPostgres;
  private lastPurge = Date.now();

  constructor(private readonly db: PgDb, rule: RateLimitRule) {
    this.limiter = new RateLimiterPostgres({
      storeClient: db.pool,
      storeType: "pool",
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
    if (now - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = now;
    this.db.run(`DELETE FROM ${RATE_LIMIT_TABLE} WHERE expire < $1`, [now]).catch((err: Error) => console.error("rate limit purge:", err.message));
  }
}
