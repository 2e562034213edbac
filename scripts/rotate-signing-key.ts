/**
 * `npm run rotate-signing-key`: makes a new completion-token signing key current in
 * `DATA_DIR/signing-keys.json`. The previous public key stays in `/.well-known/jwks.json`,
 * so tokens it already signed keep verifying until they expire; a running kit on the
 * same data folder picks the new key up on its next token (it re-reads the changed file).
 */
import path from "node:path";
import { ConfigError, loadConfig } from "../server/config/index.js";
import { SIGNING_KEY_FILE, SigningKeys } from "../server/embed/index.js";

try {
  const config = loadConfig(process.env);
  const { kid, previousKid } = await SigningKeys.inDataDir(config.dataDir).rotate();
  console.log(`New signing key ${kid} in ${path.join(config.dataDir, SIGNING_KEY_FILE)}`);
  console.log(previousKid ? `Previous key ${previousKid} stays in the JWKS until the next rotation.` : "There was no key before.");
  console.log("Rotate again only after COMPLETION_TOKEN_TTL_SECONDS: the key before the previous one leaves the JWKS.");
} catch (err) {
  console.error(err instanceof ConfigError ? `Configuration error: ${err.message}` : (err as Error).message);
  process.exit(err instanceof ConfigError ? 2 : 1);
}
