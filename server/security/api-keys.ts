import { hashSecret, sameHash } from "./tokens.js";

/** Checks bearer API keys against the configured keys, which are held only as hashes. */
export class ApiKeyVerifier {
  private readonly hashes: string[];

  constructor(keys: string[]) {
    this.hashes = keys.map(hashSecret);
  }

  /** True when the `Authorization` header carries one of the configured keys. */
  verify(authorization: string | undefined): boolean {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
    if (!match) return false;
    const candidate = hashSecret(match[1]!);
    let ok = false;
    // Compare against every key so the time taken does not reveal which one matched.
    for (const hash of this.hashes) ok = sameHash(hash, candidate) || ok;
    return ok;
  }
}
