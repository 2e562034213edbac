import { createHmac } from "node:crypto";
import { ALL_SCOPES, type ApiKeySource, type ApiKeySummary, type ApiScope } from "../../shared/api-keys.js";
import { hashSecret, sameHash } from "../security/index.js";
import type { ApiKeyStore } from "../store/index.js";

/** Who a request's API key is: the id idempotency keys and logs are kept under. */
export interface ApiKeyIdentity {
  id: string;
  source: ApiKeySource;
  /** What the key may do; configured keys have every scope. */
  scopes: readonly ApiScope[];
  /**
   * A 256-bit key derived from the request's secret (HMAC, so not from the
   * stored hash): what this key's stored idempotent responses are encrypted
   * with, since they hold secrets (new API keys, link tokens).
   */
  sealingKey: Buffer;
}

/** The key that seals stored responses of requests made with `secret`. */
const sealingKey = (secret: string) => createHmac("sha256", secret).update("vk idempotent responses v1").digest();

/** Last-use times of a key are written at most this often. */
export const LAST_USED_RESOLUTION_MS = 60_000;

interface ConfiguredKey {
  id: string;
  hash: string;
  prefix: string;
}

/**
 * How much of a configured key a list shows: 8 characters of a long key,
 * never more than a quarter of a short one (`API_KEYS` allows 16).
 */
const configuredPrefix = (key: string) => key.slice(0, Math.min(8, Math.floor(key.length / 4)));

/**
 * Checks bearer API keys: the configured ones (`API_KEYS` or the generated
 * key, held only as hashes, ids `cfg_1`…) and those made through the API,
 * looked up in the store on every request so a revoked key is refused at once.
 */
export class ApiKeyVerifier {
  private readonly configured: ConfiguredKey[];
  /** Configured keys are not in the store; their last use is known to this process only. */
  private readonly configuredUse = new Map<string, string>();

  constructor(
    keys: string[],
    private readonly store: ApiKeyStore,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.configured = keys.map((key, i) => ({ id: `cfg_${i + 1}`, hash: hashSecret(key), prefix: configuredPrefix(key) }));
  }

  /** The key the `Authorization` header carries, when it is a configured or unrevoked stored key. */
  async verify(authorization: string | undefined): Promise<ApiKeyIdentity | undefined> {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
    return match ? this.verifySecret(match[1]!) : undefined;
  }

  /** The key whose secret this is, however it was sent (a bearer token, or an ATS's HTTP Basic user name). */
  async verifySecret(secret: string): Promise<ApiKeyIdentity | undefined> {
    const candidate = hashSecret(secret);
    const at = this.now();
    let configured: ConfiguredKey | undefined;
    // Compare against every configured key so the time taken does not reveal which one matched.
    for (const key of this.configured) if (sameHash(key.hash, candidate)) configured ??= key;
    if (configured) {
      this.configuredUse.set(configured.id, at.toISOString());
      return { id: configured.id, source: "configuration", scopes: ALL_SCOPES, sealingKey: sealingKey(secret) };
    }
    // Looked up by hash: the lookup's timing says nothing about the secret.
    const stored = await this.store.findApiKeyByHash(candidate);
    if (!stored || stored.revokedAt) return undefined;
    const notBefore = new Date(at.getTime() - LAST_USED_RESOLUTION_MS).toISOString();
    if (!stored.lastUsedAt || stored.lastUsedAt < notBefore) {
      await this.store.touchApiKey(stored.id, at.toISOString(), notBefore);
    }
    return { id: stored.id, source: "api", scopes: stored.scopes, sealingKey: sealingKey(secret) };
  }

  /** True for the id of a configured key (which cannot be revoked through the API). */
  isConfigured(id: string): boolean {
    return this.configured.some((k) => k.id === id);
  }

  /** The configured keys as listed by `GET /v1/api-keys`. */
  configuredKeys(): ApiKeySummary[] {
    return this.configured.map((k, i) => ({
      id: k.id,
      name: `Configured key ${i + 1}`,
      prefix: k.prefix,
      createdAt: null,
      lastUsedAt: this.configuredUse.get(k.id) ?? null,
      revoked: false,
      source: "configuration",
      scopes: [...ALL_SCOPES],
      createdBy: null,
    }));
  }
}
