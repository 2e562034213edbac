import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { AsnTable } from "./asn-table.js";
import { shippedGeoPaths } from "./open.js";

const dir = shippedGeoPaths().asnDb;
const ipv4Lines = readFileSync(join(dir, "asn-ipv4-num.csv"), "utf8").split("\n");
/** Real rows of the shipped table, picked by content so a data update does not break the test silently. */
const row = (pattern: RegExp) => {
  const line = ipv4Lines.find((l) => pattern.test(l));
  if (!line) throw new Error(`no row matches ${pattern}`);
  return line;
};

describe("AsnTable over the shipped ip-location-db tables", () => {
  let table: AsnTable;
  beforeAll(() => {
    table = AsnTable.load({ ipv4: join(dir, "asn-ipv4-num.csv"), ipv6: join(dir, "asn-ipv6-num.csv") });
  });

  it("loads every IPv4 and IPv6 range", () => {
    expect(table.size.ipv4).toBeGreaterThan(300_000);
    expect(table.size.ipv6).toBeGreaterThan(50_000);
  });

  it("finds the AS of well-known addresses", () => {
    expect(table.lookup("8.8.8.8")).toEqual({ asn: 15169, org: "Google LLC" });
    expect(table.lookup("1.96.0.1")).toEqual({ asn: 4766, org: "Korea Telecom" });
    expect(table.lookup("2400:12::1")).toEqual({ asn: 4766, org: "Korea Telecom" });
  });

  it("finds the first and last address of a range and nothing just outside", () => {
    // 1.0.0.0-1.0.0.255 is Cloudflare, 1.0.1.0-1.0.3.255 is in no row.
    expect(table.lookup("1.0.0.0")?.asn).toBe(13335);
    expect(table.lookup("1.0.0.255")?.asn).toBe(13335);
    expect(table.lookup("1.0.1.0")).toBeUndefined();
  });

  it("unquotes organisation names with commas and doubled quotes", () => {
    expect(table.lookup("1.0.0.1")?.org).toBe("Cloudflare, Inc.");
    const [start, , asn] = row(/""/).split(",");
    const ip = [24, 16, 8, 0].map((s) => (Number(start) >>> s) & 255).join(".");
    expect(table.lookup(ip)?.asn).toBe(Number(asn));
    expect(table.lookup(ip)?.org).toMatch(/^[^"]*"[^"]+"[^"]*$/);
  });

  it("does not answer for addresses no range covers", () => {
    expect(table.lookup("127.0.0.1")).toBeUndefined();
    expect(table.lookup("not an ip")).toBeUndefined();
  });
});

describe("AsnTable.parse", () => {
  it("lets a later, more specific row win where two published rows overlap", () => {
    // The shipped file has a wider DoD row (AS749) that overlaps the next one (AS721).
    const i = ipv4Lines.findIndex((l, n) => n > 0 && Number(l.split(",")[0]) <= Number(ipv4Lines[n - 1]!.split(",")[1]));
    expect(i).toBeGreaterThan(0);
    const [wide, narrow] = [ipv4Lines[i - 1]!, ipv4Lines[i]!];
    const table = AsnTable.parse({ ipv4: `${wide}\n${narrow}\n` });
    const [wideStart, , wideAsn] = wide.split(",").map(Number);
    const [narrowStart, , narrowAsn] = narrow.split(",").map(Number);
    const toIp = (n: number) => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join(".");
    expect(table.lookup(toIp(wideStart!))?.asn).toBe(wideAsn);
    expect(table.lookup(toIp(narrowStart!))?.asn).toBe(narrowAsn);
  });

  it("refuses rows that go backwards and lines that are not ranges", () => {
    const a = row(/,13335,/);
    const b = row(/,2519,/);
    expect(() => AsnTable.parse({ ipv4: `${b}\n${a}\n` })).toThrow(/out of order/);
    expect(() => AsnTable.parse({ ipv4: "1.0.0.0,1.0.0.255,13335,x\n" })).toThrow(/numeric addresses/);
    expect(() => AsnTable.parse({ ipv4: "16777216,16777471\n" })).toThrow(/four fields/);
  });
});
