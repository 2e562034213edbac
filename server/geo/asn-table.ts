import { readFileSync } from "node:fs";
import { parseIp } from "./ip.js";

export interface AsnRecord {
  asn: number;
  org?: string;
}

interface V4Ranges {
  starts: Uint32Array;
  ends: Uint32Array;
  rows: Uint32Array;
}

interface V6Ranges {
  starts: bigint[];
  ends: bigint[];
  rows: Uint32Array;
}

/**
 * IP-to-ASN lookups over the range tables ip-location-db publishes as CSV
 * (`start,end,asn,organisation`, start and end inclusive, as numbers):
 * `asn-ipv4-num.csv` and `asn-ipv6-num.csv` from `@ip-location-db/asn`.
 * No ASN MMDB is published on npm, so the kit reads these directly.
 */
export class AsnTable {
  private constructor(
    private readonly v4: V4Ranges,
    private readonly v6: V6Ranges,
    private readonly asns: Uint32Array,
    private readonly orgs: string[],
    private readonly orgOf: Uint32Array,
  ) {}

  /** Reads the numeric CSV files; either may be omitted. Throws when a file is out of order or malformed. */
  static load(paths: { ipv4?: string; ipv6?: string }): AsnTable {
    return AsnTable.parse({
      ...(paths.ipv4 ? { ipv4: readFileSync(paths.ipv4, "utf8") } : {}),
      ...(paths.ipv6 ? { ipv6: readFileSync(paths.ipv6, "utf8") } : {}),
    });
  }

  /** Builds the table from CSV text. */
  static parse(csv: { ipv4?: string; ipv6?: string }): AsnTable {
    const asns: number[] = [];
    const orgOf: number[] = [];
    const orgs: string[] = [];
    const orgIndex = new Map<string, number>();
    const addRow = (asn: number, org: string): number => {
      let index = orgIndex.get(org);
      if (index === undefined) {
        index = orgs.push(org) - 1;
        orgIndex.set(org, index);
      }
      asns.push(asn);
      orgOf.push(index);
      return asns.length - 1;
    };

    const v4Rows = parseRows(csv.ipv4 ?? "");
    const v4: V4Ranges = {
      starts: new Uint32Array(v4Rows.length),
      ends: new Uint32Array(v4Rows.length),
      rows: new Uint32Array(v4Rows.length),
    };
    v4Rows.forEach((row, i) => {
      v4.starts[i] = Number(row.start);
      v4.ends[i] = Number(row.end);
      v4.rows[i] = addRow(row.asn, row.org);
      if (i > 0) v4.ends[i - 1] = clipOverlap(v4.starts[i - 1]!, v4.ends[i - 1]!, v4.starts[i]!, i, "IPv4");
    });

    const v6Rows = parseRows(csv.ipv6 ?? "");
    const v6: V6Ranges = { starts: [], ends: [], rows: new Uint32Array(v6Rows.length) };
    v6Rows.forEach((row, i) => {
      v6.starts.push(BigInt(row.start));
      v6.ends.push(BigInt(row.end));
      v6.rows[i] = addRow(row.asn, row.org);
      if (i > 0) v6.ends[i - 1] = clipOverlap(v6.starts[i - 1]!, v6.ends[i - 1]!, v6.starts[i]!, i, "IPv6");
    });

    return new AsnTable(v4, v6, Uint32Array.from(asns), orgs, Uint32Array.from(orgOf));
  }

  /** Number of IPv4 and IPv6 ranges loaded. */
  get size(): { ipv4: number; ipv6: number } {
    return { ipv4: this.v4.starts.length, ipv6: this.v6.starts.length };
  }

  /** The AS that announces `ip`, or undefined when no range covers it. */
  lookup(ip: string): AsnRecord | undefined {
    const parsed = parseIp(ip);
    if (!parsed) return undefined;
    const row =
      parsed.version === 4
        ? findRange(this.v4.starts, this.v4.ends, parsed.value, this.v4.rows)
        : findRange(this.v6.starts, this.v6.ends, parsed.value, this.v6.rows);
    if (row === undefined) return undefined;
    const org = this.orgs[this.orgOf[row]!];
    return { asn: this.asns[row]!, ...(org ? { org } : {}) };
  }
}

/**
 * Keeps ranges disjoint so the binary search stays correct. The published data
 * has the odd overlap (a later, more specific row inside a wider one); the
 * later row wins. Rows that go backwards mean a broken file.
 */
function clipOverlap<T extends number | bigint>(prevStart: T, prevEnd: T, start: T, row: number, family: string): T {
  if (start <= prevStart) throw new Error(`ASN table: ${family} row ${row + 1} is out of order`);
  if (start > prevEnd) return prevEnd;
  return (typeof start === "bigint" ? start - 1n : (start as number) - 1) as T;
}

/** Binary search for the last range starting at or before `value`, then checks its end. */
function findRange<T extends number | bigint>(
  starts: ArrayLike<T>,
  ends: ArrayLike<T>,
  value: T,
  rows: Uint32Array,
): number | undefined {
  let lo = 0;
  let hi = starts.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (starts[mid]! <= value) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  if (found < 0 || ends[found]! < value) return undefined;
  return rows[found];
}

interface Row {
  start: string;
  end: string;
  asn: number;
  org: string;
}

function parseRows(text: string): Row[] {
  const rows: Row[] = [];
  let lineNo = 0;
  for (const line of text.split("\n")) {
    lineNo++;
    if (line.trim() === "") continue;
    const a = line.indexOf(",");
    const b = line.indexOf(",", a + 1);
    const c = line.indexOf(",", b + 1);
    if (a < 0 || b < 0 || c < 0) throw new Error(`ASN table: line ${lineNo} has fewer than four fields`);
    const start = line.slice(0, a);
    const end = line.slice(a + 1, b);
    const asn = Number(line.slice(b + 1, c));
    if (!/^\d+$/.test(start) || !/^\d+$/.test(end) || !Number.isInteger(asn)) {
      throw new Error(`ASN table: line ${lineNo} is not "start,end,asn,organisation" with numeric addresses`);
    }
    rows.push({ start, end, asn, org: unquote(line.slice(c + 1).trimEnd()) });
  }
  return rows;
}

function unquote(field: string): string {
  if (field.length >= 2 && field.startsWith('"') && field.endsWith('"')) return field.slice(1, -1).replaceAll('""', '"');
  return field;
}
