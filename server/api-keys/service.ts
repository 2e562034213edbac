import { type ApiKeySummary, type CreateApiKeyInput, type CreatedApiKey, DEFAULT_SCOPES, type RevokedApiKey } from "../../shared/api-keys.js";
import { AppError, notFound } from "../errors/index.js";
import { hashSecret, newId, newSecret } from "../security/index.js";
import type { ApiKeyRecord, ApiKeyStore } from "../store/index.js";
import type { ApiKeyIdentity, ApiKeyVerifier } from "./verifier.js";

export interface ApiKeyServiceDeps {
  store: ApiKeyStore;
  verifier: ApiKeyVerifier;
  now: () => Date;
}

/** Characters of a key's secret shown in lists. */
const PREFIX_LENGTH = 8;

/** API keys HR admins make, list and revoke; the configured keys are listed beside them. */
export class ApiKeyService {
  constructor(private readonly deps: ApiKeyServiceDeps) {}

  /**
   * Makes a key for `caller` (which holds `keys:admin`: the route checks); the secret is returned this
   * once and stored only as its SHA-256. The new key's scopes are `input.scopes` or the default, and
   * never more than the caller's own: a key cannot mint itself a wider one.
   */
  async create(input: CreateApiKeyInput, caller: ApiKeyIdentity): Promise<CreatedApiKey> {
    const scopes = [...new Set(input.scopes ?? DEFAULT_SCOPES)];
    const beyond = scopes.filter((s) => !caller.scopes.includes(s));
    if (beyond.length) throw new AppError("insufficient_scope", `A key cannot grant scopes it lacks: ${beyond.join(", ")}`, "scopes");
    const secret = `vk_${newSecret()}`;
    const record: ApiKeyRecord = {
      id: newId("ak"),
      name: input.name,
      prefix: secret.slice(0, PREFIX_LENGTH),
      secretHash: hashSecret(secret),
      createdAt: this.deps.now().toISOString(),
      lastUsedAt: null,
      revokedAt: null,
      scopes,
      createdBy: caller.id,
    };
    await this.deps.store.createApiKey(record);
    return { id: record.id, name: record.name, prefix: record.prefix, secret, createdAt: record.createdAt, scopes };
  }

  /** Configured keys first, then those made through the API, oldest first; never a secret. */
  async list(): Promise<ApiKeySummary[]> {
    const stored = await this.deps.store.listApiKeys();
    return [
      ...this.deps.verifier.configuredKeys(),
      ...stored.map(
        (k): ApiKeySummary => ({
          id: k.id,
          name: k.name,
          prefix: k.prefix,
          createdAt: k.createdAt,
          lastUsedAt: k.lastUsedAt,
          revoked: k.revokedAt !== null,
          source: "api",
          scopes: k.scopes,
          createdBy: k.createdBy,
        }),
      ),
    ];
  }

  /**
   * Revokes a key made through the API, and every key it made (and they made), so a leaked key's
   * own children die with it; keys made by another admin key are untouched. Requests with any of
   * them are refused from the next one on.
   */
  async revoke(id: string): Promise<RevokedApiKey> {
    if (this.deps.verifier.isConfigured(id)) {
      throw new AppError(
        "api_key_not_revocable",
        "This key comes from the configuration (API_KEYS or the generated key file); remove it there and restart",
      );
    }
    const at = this.deps.now().toISOString();
    if (!(await this.deps.store.revokeApiKey(id, at))) throw notFound("API key");
    const all = await this.deps.store.listApiKeys();
    const doomed = [id];
    for (let i = 0; i < doomed.length; i++) for (const k of all) if (k.createdBy === doomed[i] && !doomed.includes(k.id)) doomed.push(k.id);
    for (const child of doomed.slice(1)) await this.deps.store.revokeApiKey(child, at);
    return { id, revoked: true };
  }
}
