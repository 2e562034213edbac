import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/** File name of the generated key inside `DATA_DIR`. */
export const DOCUMENT_HASH_KEY_FILE = "document-hash.key";

/**
 * The key of the document-number hash: DOCUMENT_HASH_KEY when set (every kit process on one
 * Postgres database must share it), else a random key kept in `DATA_DIR` on first use, so one
 * embedded kit keeps finding the same document across restarts. Losing the key only stops old
 * documents from matching new ones; it never reveals a number.
 */
export function loadDocumentHashKey(dataDir: string, configured: string | undefined): string {
  if (configured) return configured;
  const file = path.join(dataDir, DOCUMENT_HASH_KEY_FILE);
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  const key = randomBytes(32).toString("hex");
  fs.mkdirSync(dataDir, { recursive: true });
  // `wx`: two processes starting at once keep the first key written.
  try {
    fs.writeFileSync(file, key, { mode: 0o600, flag: "wx" });
    return key;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return fs.readFileSync(file, "utf8").trim();
    throw err;
  }
}
