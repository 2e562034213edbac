import type {
  ApiKeyRecord,
  ApiKeyStore,
  IdempotencyClaim,
  IdempotencyRecord,
  IdempotencyStore,
  IdempotentResponse,
} from "../api-key-store.js";
import { type ApiKeyRow, type IdempotencyRow, toApiKey, toIdempotency } from "../sqlite-api-keys.js";
import type { PgDb } from "./pg-db.js";

/** {@link ApiKeyStore} and {@link IdempotencyStore} on Postgres. */
export class PgApiKeyStore implements ApiKeyStore, IdempotencyStore {
  constructor(private readonly db: PgDb) {}

  async createApiKey(k: ApiKeyRecord): Promise<void> {
    await this.db.run(
      `INSERT INTO api_keys (id, name, prefix, secret_hash, created_at, last_used_at, revoked_at, scopes, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [k.id, k.name, k.prefix, k.secretHash, k.createdAt, k.lastUsedAt, k.revokedAt, JSON.stringify(k.scopes), k.createdBy],
    );
  }

  async listApiKeys(): Promise<ApiKeyRecord[]> {
    return (await this.db.all<ApiKeyRow>("SELECT * FROM api_keys ORDER BY created_at, id")).map(toApiKey);
  }

  async getApiKey(id: string): Promise<ApiKeyRecord | undefined> {
    const row = await this.db.get<ApiKeyRow>("SELECT * FROM api_keys WHERE id = $1", [id]);
    return row && toApiKey(row);
  }

  async findApiKeyByHash(secretHash: string): Promise<ApiKeyRecord | undefined> {
    const row = await this.db.get<ApiKeyRow>("SELECT * FROM api_keys WHERE secret_hash = $1", [secretHash]);
    return row && toApiKey(row);
  }

  async revokeApiKey(id: string, at: string): Promise<boolean> {
    return (await this.db.run("UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2", [at, id])) === 1;
  }

  async touchApiKey(id: string, at: string, notBefore: string): Promise<void> {
    await this.db.run("UPDATE api_keys SET last_used_at = $1 WHERE id = $2 AND (last_used_at IS NULL OR last_used_at < $3)", [at, id, notBefore]);
  }

  async claimIdempotencyKey(r: Omit<IdempotencyRecord, "response">, expiredBefore: string, staleBefore: string): Promise<IdempotencyClaim> {
    return this.db.tx(async (c): Promise<IdempotencyClaim> => {
      // Claims of one key queue on a transaction lock, so the drop, insert and read below are one step.
      await c.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`idempotency:${r.apiKeyId}:${r.key}`]);
      await this.db.run(
        `DELETE FROM idempotency_keys WHERE api_key_id = $1 AND key = $2
           AND (created_at < $3 OR (status IS NULL AND created_at < $4))`,
        [r.apiKeyId, r.key, expiredBefore, staleBefore],
        c,
      );
      // The claim row: whoever inserts it runs the request; everyone else finds it.
      const inserted = await this.db.run(
        `INSERT INTO idempotency_keys (api_key_id, key, request_hash, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (api_key_id, key) DO NOTHING`,
        [r.apiKeyId, r.key, r.requestHash, r.createdAt],
        c,
      );
      if (inserted === 1) return { claimed: true };
      const row = await this.db.get<IdempotencyRow>("SELECT * FROM idempotency_keys WHERE api_key_id = $1 AND key = $2", [r.apiKeyId, r.key], c);
      return { claimed: false, existing: toIdempotency(row!) };
    });
  }

  async completeIdempotencyKey(apiKeyId: string, key: string, res: IdempotentResponse): Promise<void> {
    await this.db.run("UPDATE idempotency_keys SET status = $1, content_type = $2, body = $3 WHERE api_key_id = $4 AND key = $5", [
      res.status,
      res.contentType,
      res.body,
      apiKeyId,
      key,
    ]);
  }

  async releaseIdempotencyKey(apiKeyId: string, key: string): Promise<void> {
    await this.db.run("DELETE FROM idempotency_keys WHERE api_key_id = $1 AND key = $2 AND status IS NULL", [apiKeyId, key]);
  }

  async purgeIdempotencyKeys(before: string): Promise<number> {
    return this.db.run("DELETE FROM idempotency_keys WHERE created_at < $1", [before]);
  }
}
