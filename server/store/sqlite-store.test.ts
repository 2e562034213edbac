import { describe, expect, it } from "vitest";
import { SqliteStore } from "./sqlite-store.js";

// What every backend promises is tested by the contract suite (test/store-contract/); here, SQLite's own file handling.
const interview = (id: string, createdAt: string) => ({
  id,
  status: "created" as const,
  candidateName: "A",
  room: `room-${id}`,
  candidateTokenHash: `c-${id}`,
  interviewerTokenHash: `i-${id}`,
  createdAt,
  expiresAt: "2099-01-01T00:00:00.000Z",
  interviewerExpiresAt: "2098-01-01T00:00:00.000Z",
});

describe("SqliteStore file modes", () => {
  it("keeps the database and its WAL companions readable by the kit's user only", async () => {
    const { default: fs } = await import("node:fs");
    const { default: os } = await import("node:os");
    const { default: path } = await import("node:path");
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "kit-mode-")), "data", "kit.db");
    const store = new SqliteStore(file);
    await store.createInterview(interview("m", "2026-01-01T00:00:00.000Z"));
    const mode = (p: string) => fs.statSync(p).mode & 0o777;
    expect(mode(file)).toBe(0o600);
    expect(fs.existsSync(`${file}-wal`)).toBe(true);
    expect(mode(`${file}-wal`)).toBe(0o600);
    expect(mode(`${file}-shm`)).toBe(0o600);
    await store.close();

    // An existing file with a wider mode is narrowed on open.
    fs.chmodSync(file, 0o644);
    const again = new SqliteStore(file);
    expect(mode(file)).toBe(0o600);
    await again.close();
  });
});

describe("SqliteStore durability setting", () => {
  it("opens with synchronous=NORMAL by default and FULL when asked", async () => {
    const level = (store: SqliteStore) => (store as unknown as { db: { pragma(p: string, o: object): unknown } }).db.pragma("synchronous", { simple: true });
    const normal = new SqliteStore(":memory:");
    const full = new SqliteStore(":memory:", { synchronous: "full" });
    expect(level(normal)).toBe(1);
    expect(level(full)).toBe(2);
    await normal.close();
    await full.close();
  });
});
