import type { ApiScope } from "../../shared/api-keys.js";
/** An API key made through `POST /v1/api-keys`; its secret is held only as a SHA-256 hash. */
export interface ApiKeyRecord {
  id: string;
  name: string;
  /** The secret's first characters, shown in lists to tell keys apart. */
  prefix: string;
  secretHash: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  scopes: ApiScope[];
  /** The id of the key that made this one; null for keys made before this was recorded. */
  createdBy: string | null;
}

/** API keys made through the API. Keys from the configuration never reach the store. */
export interface ApiKeyStore {
  createApiKey(record: ApiKeyRecord): Promise<void>;
  /** Oldest first. */
  listApiKeys(): Promise<ApiKeyRecord[]>;
  getApiKey(id: string): Promise<ApiKeyRecord | undefined>;
  findApiKeyByHash(secretHash: string): Promise<ApiKeyRecord | undefined>;
  /** Marks the key revoked; false when there is no such key. Revoking twice keeps the first time. */
  revokeApiKey(id: string, at: string): Promise<boolean>;
  /** Sets the last-use time unless it is already `notBefore` or later, so busy keys are written once in a while. */
  touchApiKey(id: string, at: string, notBefore: string): Promise<void>;
}

/** The first response to a request with an idempotency key, kept to replay. */
export interface IdempotentResponse {
  status: number;
  contentType: string | null;
  /** The body as the caller stored it (sealed: it may hold secrets). */
  body: string;
}

/** A stored idempotency key: in flight until its response is recorded. */
export interface IdempotencyRecord {
  apiKeyId: string;
  key: string;
  /** SHA-256 of the method, path, API key id and body of the first request. */
  requestHash: string;
  createdAt: string;
  response: IdempotentResponse | null;
}

/** The outcome of claiming a key: ours to run, or someone's earlier (possibly in-flight) request. */
export type IdempotencyClaim = { claimed: true } | { claimed: false; existing: IdempotencyRecord };

/** Idempotency keys of creating POSTs, per API key. */
export interface IdempotencyStore {
  /**
   * Atomically claims `(apiKeyId, key)` for a request, unless a record younger
   * than `expiredBefore` (or, while in flight, than `staleBefore`) holds it;
   * older ones are replaced.
   */
  claimIdempotencyKey(
    record: Omit<IdempotencyRecord, "response">,
    expiredBefore: string,
    staleBefore: string,
  ): Promise<IdempotencyClaim>;
  /** Records the response of a claimed key. */
  completeIdempotencyKey(apiKeyId: string, key: string, response: IdempotentResponse): Promise<void>;
  /** Drops a claim whose request failed, so the client may try again. */
  releaseIdempotencyKey(apiKeyId: string, key: string): Promise<void>;
  /** Deletes keys created before `before`; returns how many. */
  purgeIdempotencyKeys(before: string): Promise<number>;
}
