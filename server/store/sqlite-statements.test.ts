import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { cacheStatements } from "./sqlite-statements.js";

describe("cacheStatements", () => {
  it("compiles each SQL string once and the statement still runs with new parameters", () => {
    const db = cacheStatements(new Database(":memory:"));
    db.exec("CREATE TABLE t (n INTEGER)");
    const insert = db.prepare("INSERT INTO t (n) VALUES (?)");
    expect(db.prepare("INSERT INTO t (n) VALUES (?)")).toBe(insert);
    insert.run(1);
    db.prepare("INSERT INTO t (n) VALUES (?)").run(2);
    expect(db.prepare("SELECT SUM(n) AS s FROM t").get()).toEqual({ s: 3 });
    expect(db.prepare("SELECT SUM(n) AS s FROM t")).not.toBe(insert);
  });

  it("stops remembering past its bound but keeps answering", () => {
    const db = cacheStatements(new Database(":memory:"), 2);
    const a = db.prepare("SELECT 1 AS v");
    db.prepare("SELECT 2 AS v");
    const third = db.prepare("SELECT 3 AS v");
    expect(db.prepare("SELECT 1 AS v")).toBe(a);
    expect(db.prepare("SELECT 3 AS v")).not.toBe(third);
    expect(db.prepare("SELECT 3 AS v").get()).toEqual({ v: 3 });
  });

  it("a statement used inside a transaction is the same cached one and sees the transaction's writes", () => {
    const db = cacheStatements(new Database(":memory:"));
    db.exec("CREATE TABLE t (n INTEGER)");
    const count = () => (db.prepare("SELECT COUNT(*) AS c FROM t").get() as { c: number }).c;
    db.transaction(() => {
      db.prepare("INSERT INTO t (n) VALUES (?)").run(1);
      expect(count()).toBe(1);
    })();
    expect(() =>
      db.transaction(() => {
        db.prepare("INSERT INTO t (n) VALUES (?)").run(2);
        throw new Error("roll back");
      })(),
    ).toThrow("roll back");
    expect(count()).toBe(1);
  });
});
