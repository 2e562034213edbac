import { ApiScope } from "../../shared/api-keys.js";
import type Database from "better-sqlite3";
import type {
  ApiKeyRecord,
  ApiKeyStore,
  IdempotencyClaim,
  IdempotencyRecord,
  IdempotencyStore,
  IdempotentResponse,
} from "./api-key-store.js";

export interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  secret_hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  scopes: string;
  created_by: string | null;
}
export interface IdempotencyRow {
  api_key_id: string;
  key: string;
  request_hash: string;
  created_at: string;
  status: number | null;
  content_type: string | null;
  body: string | null;
}

export const toApiKey = (r: ApiKeyRow): ApiKeyRecord => ({
  id: r.id,
  name: r.name,
  prefix: r.prefix,
  secretHash: r.secret_hash,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
  scopes: ApiScope.array().parse(JSON.parse(r.scopes)),
  createdBy: r.created_by,
});
export const toIdempotency = (r: IdempotencyRow): IdempotencyRecord => ({
  apiKeyId: r.api_key_id,
  key: r.key,
  requestHash: r.request_hash,
  createdAt: r.created_at,
  response: r.status === null ? null : { status: r.status, contentType: r.content_type, body: r.body ?? "" },
});

/** {@link ApiKeyStore} and {@link IdempotencyStore} on the embedded SQLite database. */
export class SqliteApiKeyStore implements ApiKeyStore, IdempotencyStore {
  constructor(private readonly db: Database.Database) {}

  async createApiKey(k: ApiKeyRecord): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO api_keys (id, name, prefix, secret_hash, created_at, last_used_at, revoked_at, scopes, created_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(k.id, k.name, k.prefix, k.secretHash, k.createdAt, k.lastUsedAt, k.revokedAt, JSON.stringify(k.scopes), k.createdBy);
  }

  async listApiKeys(): Promise<ApiKeyRecord[]> {
    return (this.db.prepare("SELECT * FROM api_keys ORDER BY created_at, id").all() as ApiKeyRow[]).map(toApiKey);
  }

  async getApiKey(id: string): Promise<ApiKeyRecord | undefined> {
    const row = this.db.prepare("SELECT * FROM api_keys WHERE id = ?").get(id) as ApiKeyRow | undefined;
    return row && toApiKey(row);
  }

  async findApiKeyByHash(secretHash: string): Promise<ApiKeyRecord | undefined> {
    const row = this.db.prepare("SELECT * FROM api_keys WHERE secret_hash = ?").get(secretHash) as ApiKeyRow | undefined;
    return row && toApiKey(row);
  }

  async revokeApiKey(id: string, at: string): Promise<boolean> {
    const info = this.db.prepare("UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?").run(at, id);
    return info.changes === 1;
  }

  async touchApiKey(id: string, at: string, notBefore: string): Promise<void> {
    this.db
      .prepare("UPDATE api_keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)")
      .run(at, id, notBefore);
  }

  async claimIdempotencyKey(
    r: Omit<IdempotencyRecord, "response">,
    expiredBefore: string,
    staleBefore: string,
  ): Promise<IdempotencyClaim> {
    const drop = this.db.prepare(
      `DELETE FROM idempotency_keys WHERE api_key_id = ? AND key = ?
         AND (created_at < ? OR (status IS NULL AND created_at < ?))`,
    );
    // The claim row: whoever inserts it runs the request; everyone else finds it.
    const insert = this.db.prepare(
      `INSERT INTO idempotency_keys (api_key_id, key, request_hash, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (api_key_id, key) DO NOTHING`,
    );
    const get = this.db.prepare("SELECT * FROM idempotency_keys WHERE api_key_id = ? AND key = ?");
    return this.db.transaction((): IdempotencyClaim => {
      drop.run(r.apiKeyId, r.key, expiredBefore, staleBefore);
      if (insert.run(r.apiKeyId, r.key, r.requestHash, r.createdAt).changes === 1) return { claimed: true };
      return { claimed: false, existing: toIdempotency(get.get(r.apiKeyId, r.key) as IdempotencyRow) };
    }).immediate();
  }

  async completeIdempotencyKey(apiKeyId: string, key: string, res: IdempotentResponse): Promise<void> {
    this.db
      .prepare("UPDATE idempotency_keys SET status = ?, content_type = ?, body = ? WHERE api_key_id = ? AND key = ?")
      .run(res.status, res.contentType, res.body, apiKeyId, key);
  }

  async releaseIdempotencyKey(apiKeyId: string, key: string): Promise<void> {
    this.db.prepare("DELETE FROM idempotency_keys WHERE api_key_id = ? AND key = ? AND status IS NULL").run(apiKeyId, key);
  }

  async purgeIdempotencyKeys(before: string): Promise<number> {
    return this.db.prepare("DELETE FROM idempotency_keys WHERE created_at < ?").run(before).changes;
  }
}
