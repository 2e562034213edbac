import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ensureApiKey, ensureDataDir } from "./api-key.js";

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), "kit-apikey-"));
const mode = (p: string) => fs.statSync(p).mode & 0o777;

describe("ensureApiKey", () => {
  it("reports the key as generated on the first start only", () => {
    const dataDir = path.join(tempDir(), "data");
    const first = ensureApiKey(dataDir, []);
    expect(first.generated).toMatch(/^vk_/);
    expect(first.keys).toEqual([first.generated]);

    const second = ensureApiKey(dataDir, []);
    expect(second.generated).toBeUndefined();
    expect(second.keys).toEqual(first.keys);
    expect(second.file).toBe(path.join(dataDir, "api-key"));
  });

  it("creates the data folder 0700 and the key file 0600", () => {
    const dataDir = path.join(tempDir(), "nested", "data");
    ensureApiKey(dataDir, []);
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(path.join(dataDir, "api-key"))).toBe(0o600);
  });

  it("uses configured keys without touching the data folder", () => {
    const dataDir = path.join(tempDir(), "data");
    expect(ensureApiKey(dataDir, ["k".repeat(16)])).toEqual({ keys: ["k".repeat(16)] });
    expect(fs.existsSync(dataDir)).toBe(false);
  });
});

describe("ensureDataDir", () => {
  it("leaves an existing folder's mode alone", () => {
    const dir = tempDir();
    fs.chmodSync(dir, 0o755);
    ensureDataDir(dir);
    expect(mode(dir)).toBe(0o755);
  });
});
