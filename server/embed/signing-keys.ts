import fs from "node:fs";
import path from "node:path";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from "jose";
import { COMPLETION_TOKEN_ALG } from "../../shared/embed.js";

/** One stored key: the current one keeps its private half, retired ones only their public half. */
interface StoredKey {
  kid: string;
  createdAt: string;
  publicJwk: JWK;
  privateJwk?: JWK;
}

interface KeyFile {
  /** Newest first: `keys[0]` signs, the rest are served in the JWKS until rotated out. */
  keys: StoredKey[];
}

/** The key that signs now. */
export interface ActiveKey {
  kid: string;
  key: CryptoKey;
}

/** A public key as `/.well-known/jwks.json` lists it. */
export type PublicJwk = JWK & { kid: string; alg: string; use: "sig" };

/** Public keys kept after a rotation: the previous key still verifies the tokens it signed until they expire. */
const KEEP_PREVIOUS = 1;

/** File name of the key set inside `DATA_DIR`. */
export const SIGNING_KEY_FILE = "signing-keys.json";

async function newKey(now: Date): Promise<StoredKey> {
  const { privateKey } = await generateKeyPair(COMPLETION_TOKEN_ALG, { extractable: true });
  const privateJwk = await exportJWK(privateKey);
  const { d: _d, ...publicJwk } = privateJwk;
  return { kid: await calculateJwkThumbprint(publicJwk), createdAt: now.toISOString(), publicJwk, privateJwk };
}

/**
 * The completion-token signing keys (ES256), kept in one file in the data
 * folder with mode 0600: generated on first use, rotated on demand. The file
 * is re-read when it changes, so `npm run rotate-signing-key` takes effect in
 * a running kit without a restart. `ephemeral()` keeps them in memory only.
 */
export class SigningKeys {
  private loaded: { stamp: string; file: KeyFile; active: ActiveKey } | undefined;
  private memory: KeyFile | undefined;
  /** The first in-memory key, generated once even when several requests ask at the same moment. */
  private firstKey: Promise<StoredKey> | undefined;

  private constructor(
    private readonly file: string | undefined,
    private readonly now: () => Date,
  ) {}

  /** Keys in `<dataDir>/signing-keys.json`, created 0600 (the folder 0700) on first use. */
  static inDataDir(dataDir: string, now: () => Date = () => new Date()): SigningKeys {
    return new SigningKeys(path.join(dataDir, SIGNING_KEY_FILE), now);
  }

  /** Keys that live as long as the process: for tests and for a kit that never embeds. */
  static ephemeral(now: () => Date = () => new Date()): SigningKeys {
    return new SigningKeys(undefined, now);
  }

  /** The key that signs now, with its `kid`. */
  async active(): Promise<ActiveKey> {
    return (await this.load()).active;
  }

  /** The public keys to publish: the current one first, then the one it replaced. */
  async jwks(): Promise<{ keys: PublicJwk[] }> {
    const { file } = await this.load();
    return { keys: file.keys.map((k) => ({ ...k.publicJwk, kid: k.kid, alg: COMPLETION_TOKEN_ALG, use: "sig" })) };
  }

  /**
   * Makes a new signing key current. The old key's public half stays in the
   * JWKS (its private half is discarded), so tokens it signed keep verifying
   * until they expire; the key before it leaves the JWKS.
   */
  async rotate(): Promise<{ kid: string; previousKid: string | undefined }> {
    const before = this.file ? this.read() : (this.memory ?? (await this.load()).file);
    const fresh = await newKey(this.now());
    const retired = (before?.keys ?? []).slice(0, KEEP_PREVIOUS).map(({ privateJwk: _p, ...pub }) => pub);
    this.write({ keys: [fresh, ...retired] });
    this.loaded = undefined;
    return { kid: fresh.kid, previousKid: retired[0]?.kid };
  }

  private async load(): Promise<{ file: KeyFile; active: ActiveKey }> {
    if (!this.file) {
      this.firstKey ??= newKey(this.now());
      const first = await this.firstKey;
      this.memory ??= { keys: [first] };
      if (this.loaded?.file !== this.memory) this.loaded = { stamp: "", file: this.memory, active: await activeOf(this.memory) };
      return this.loaded;
    }
    let stamp = this.stamp();
    if (stamp === undefined) {
      await this.create();
      stamp = this.stamp();
    }
    if (this.loaded && this.loaded.stamp === stamp) return this.loaded;
    const file = this.read();
    if (!file) throw new Error(`${this.file} is missing or unreadable; delete it to generate a new signing key`);
    this.loaded = { stamp: stamp ?? "", file, active: await activeOf(file) };
    return this.loaded;
  }

  /** First use: write a key unless another process wrote one meanwhile (`wx`). */
  private async create(): Promise<void> {
    const dir = path.dirname(this.file!);
    if (!fs.existsSync(dir)) {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      fs.chmodSync(dir, 0o700);
    }
    const body = JSON.stringify({ keys: [await newKey(this.now())] } satisfies KeyFile, null, 2);
    try {
      fs.writeFileSync(this.file!, body, { mode: 0o600, flag: "wx" });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
  }

  private stamp(): string | undefined {
    try {
      const st = fs.statSync(this.file!);
      return `${st.mtimeMs}:${st.size}:${st.ino}`;
    } catch {
      return undefined;
    }
  }

  private read(): KeyFile | undefined {
    try {
      const parsed = JSON.parse(fs.readFileSync(this.file!, "utf8")) as KeyFile;
      if (!Array.isArray(parsed.keys) || !parsed.keys[0]?.privateJwk) throw new Error("no current private key");
      return parsed;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw new Error(`${this.file} is not a signing key file (${(err as Error).message}); delete it to generate a new one`);
    }
  }

  /** Replaces the file atomically (a temp file renamed over it), 0600 from the start. */
  private write(file: KeyFile): void {
    if (!this.file) {
      this.memory = file;
      return;
    }
    const dir = path.dirname(this.file);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const tmp = path.join(dir, `.${SIGNING_KEY_FILE}.${process.pid}.${Date.now()}`);
    fs.writeFileSync(tmp, JSON.stringify(file, null, 2), { mode: 0o600, flag: "wx" });
    fs.renameSync(tmp, this.file);
  }
}

async function activeOf(file: KeyFile): Promise<ActiveKey> {
  const current = file.keys[0]!;
  const key = await importJWK(current.privateJwk!, COMPLETION_TOKEN_ALG);
  return { kid: current.kid, key: key as CryptoKey };
}
