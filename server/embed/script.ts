import fs from "node:fs";
import path from "node:path";

/** What `scripts/build-embed.ts` writes beside the bundle: its hashed file name and the declaration files. */
export interface EmbedManifest {
  /** `embed.<hash>.js`: the content hash makes the name a version, so it is cached for a year. */
  script: string;
  /** TypeScript declarations for the element (and its React typings), served for download. */
  declarations: string[];
}

/** One servable file, with its precompressed copies when the build made them. */
export interface EmbedFile {
  body: Uint8Array<ArrayBuffer>;
  br?: Uint8Array<ArrayBuffer>;
  gzip?: Uint8Array<ArrayBuffer>;
  contentType: string;
  immutable: boolean;
}

const bytes = (file: string) => (fs.existsSync(file) ? new Uint8Array(fs.readFileSync(file)) : undefined);

/**
 * The built widget script in `dist/embed/`, read once. `/embed.js` names the
 * current hashed file; only names the manifest lists are ever served.
 */
export class EmbedScript {
  private manifest: EmbedManifest | undefined;
  private readonly files = new Map<string, EmbedFile>();

  constructor(private readonly dir: string) {}

  /** Where the build writes the widget: beside the client bundle (`dist/client` → `dist/embed`). */
  static besideClient(clientDir: string): EmbedScript {
    return new EmbedScript(path.join(path.dirname(clientDir), "embed"));
  }

  /** The manifest, or undefined before `npm run build`. */
  current(): EmbedManifest | undefined {
    if (this.manifest) return this.manifest;
    const raw = bytes(path.join(this.dir, "manifest.json"));
    if (!raw) return undefined;
    this.manifest = JSON.parse(Buffer.from(raw).toString("utf8")) as EmbedManifest;
    return this.manifest;
  }

  /** A file the manifest lists, or undefined for any other name. */
  file(name: string): EmbedFile | undefined {
    const manifest = this.current();
    if (!manifest || (name !== manifest.script && !manifest.declarations.includes(name))) return undefined;
    const cached = this.files.get(name);
    if (cached) return cached;
    const full = path.join(this.dir, name);
    const body = bytes(full);
    if (!body) return undefined;
    const br = bytes(`${full}.br`);
    const gzip = bytes(`${full}.gz`);
    const file: EmbedFile = {
      body,
      ...(br ? { br } : {}),
      ...(gzip ? { gzip } : {}),
      contentType: name.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/plain; charset=utf-8",
      immutable: name === manifest.script,
    };
    this.files.set(name, file);
    return file;
  }
}
