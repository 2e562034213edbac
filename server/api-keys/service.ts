import type { ApiKeySummary, CreateApiKeyInput, CreatedApiKey, RevokedApiKey } from "../../shared/api-keys.js";
import { AppError, notFound } from "../errors/index.js";
import { hashSecret, newId, newSecret } from "../security/index.js";
import type { ApiKeyStore } from "../store/index.js";
import type { ApiKeyVerifier } from "./verifier.js";

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

  /** Makes a key; the secret is returned this once and stored only as its SHA-256. */
  async create(input: CreateApiKeyInput): Promise<CreatedApiKey> {
    const secret = `vk_${newSecret()}`;
    const record = {
      id: newId("ak"),
      name: input.name,
      prefix: secret.slice(0, PREFIX_LENGTH),
      secretHash: hashSecret(secret),
      createdAt: this.deps.now().toISOString(),
      lastUsedAt: null,
      revokedAt: null,
    };
    await this.deps.store.createApiKey(record);
    return { id: record.id, name: record.name, prefix: record.prefix, secret, createdAt: record.createdAt };
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
        }),
      ),
    ];
  }

  /** Revokes a key made through the API; requests with it are refused from the next one on. */
  async revoke(id: string): Promise<RevokedApiKey> {
    if (this.deps.verifier.isConfigured(id)) {
      throw new AppError(
        "api_key_not_revocable",
        "This key comes from the configuration (API_KEYS or the generated key file); remove it there and restart",
      );
    }
    if (!(await this.deps.store.revokeApiKey(id, this.deps.now().toISOString()))) throw notFound("API key");
    return { id, revoked: true };
  }
}
