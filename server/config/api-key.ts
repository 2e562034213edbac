import fs from "node:fs";
import path from "node:path";
import { newSecret } from "../security/index.js";

/** Creates the data folder readable by the kit's user only (0700); an existing folder is left as it is. */
export function ensureDataDir(dataDir: string): void {
  if (fs.existsSync(dataDir)) return;
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // `mode` is filtered by the umask; set it outright.
  fs.chmodSync(dataDir, 0o700);
}

export interface ApiKeys {
  keys: string[];
  /** Set only on the start that created the key file: the one time the key is shown. */
  generated?: string;
  /** Where the generated key is stored, when the kit uses one. */
  file?: string;
}

/**
 * The API keys the kit accepts: the configured ones, or else a key generated
 * into `<dataDir>/api-key` (0600) on first start and read back on later ones.
 * Only the first start reports it as `generated`, so it is printed once.
 */
export function ensureApiKey(dataDir: string, configured: string[]): ApiKeys {
  if (configured.length > 0) return { keys: configured };
  ensureDataDir(dataDir);
  const file = path.join(dataDir, "api-key");
  const fresh = `vk_${newSecret()}`;
  let generated: string | undefined;
  try {
    // `wx`: never overwrite a key another start wrote meanwhile.
    fs.writeFileSync(file, `${fresh}\n`, { mode: 0o600, flag: "wx" });
    generated = fresh;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  const key = fs.readFileSync(file, "utf8").trim();
  if (!key) throw new Error(`${file} is empty; delete it to generate a new API key, or set API_KEYS`);
  return { keys: [key], file, ...(generated ? { generated } : {}) };
}
