import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SqliteStore } from "../store/index.js";
import { interview, opened, T } from "../../test/store-contract/fixtures.js";
import { EventHistory } from "./history.js";

// A real SQLite store (two handles on one file stand for two kit processes); the history under test counts its reads.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kit-history-"));
const stores: SqliteStore[] = [];
const open = (file: string) => {
  const store = new SqliteStore(file);
  stores.push(store);
  return store;
};
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

/** The store with its `listEvents` calls recorded as their `afterId`. */
function counted(store: SqliteStore) {
  const reads: number[] = [];
  return {
    reads,
    listEvents: async (id: string, afterId = 0) => {
      reads.push(afterId);
      return store.listEvents(id, afterId);
    },
  };
}

describe("EventHistory", () => {
  it("reads an interview in full once, then only the events stored since, and returns every event in order", async () => {
    const store = open(path.join(dir, "a.db"));
    await store.createInterview(interview("a"));
    const first = await store.addEvent(opened(T(1)));
    const source = counted(store);
    const history = new EventHistory(source);
    expect((await history.of("a")).map((e) => e.id)).toEqual([first.id]);
    const second = await store.addEvent(opened(T(2)));
    expect(await history.of("a")).toEqual(await store.listEvents("a"));
    expect(await history.of("a")).toHaveLength(2);
    expect(source.reads).toEqual([0, first.id, second.id]);
    expect(Object.isFrozen(await history.of("a"))).toBe(true);
  });

  it("sees events another process stored in the same database", async () => {
    const file = path.join(dir, "b.db");
    const here = open(file);
    const elsewhere = open(file);
    await here.createInterview(interview("a"));
    const history = new EventHistory(here);
    expect(await history.of("a")).toEqual([]);
    await elsewhere.addEvent(opened(T(1)));
    await elsewhere.addEvent(opened(T(2)));
    expect(await history.of("a")).toEqual(await elsewhere.listEvents("a"));
  });

  it("reads an interview again in full after a redaction rewrote its stored events", async () => {
    const store = open(path.join(dir, "c.db"));
    await store.createInterview(interview("a"));
    await store.addEvent(opened(T(1)));
    const history = new EventHistory(store);
    expect((await history.of("a"))[0]!.ip).toBe("198.51.100.7");
    await store.redactPersonalData("a", {
      placeholderName: "Redacted",
      redactData: (_type, data) => data,
      event: (removed) => ({
        type: "personal_data_redacted",
        actor: "system",
        at: T(3),
        data: { reason: "api", riskLevel: "clear", flags: [], removed },
      }),
    });
    const after = await history.of("a");
    expect(after).toEqual(await store.listEvents("a"));
    expect(after[0]!.ip).toBeNull();
    expect(after.at(-1)!.type).toBe("personal_data_redacted");
  });

  it("keeps at most its bound of interviews, reading an evicted one in full again", async () => {
    const store = open(path.join(dir, "d.db"));
    for (const id of ["a", "b", "c"]) {
      await store.createInterview(interview(id));
      await store.addEvent(opened(T(1), id));
    }
    const source = counted(store);
    const history = new EventHistory(source, 2);
    await history.of("a");
    await history.of("b");
    await history.of("a");
    await history.of("c"); // evicts b, the least recently read
    source.reads.length = 0;
    await history.of("a");
    await history.of("b");
    expect(source.reads[0]).toBeGreaterThan(0);
    expect(source.reads[1]).toBe(0);
  });
});
