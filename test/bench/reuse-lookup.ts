/**
 * The laptop-farm lookups on every open and join, at scale: `sharedNetworks` (ip_sightings by address
 * and /24), `sameDevice` (device_sightings by fingerprint) and `sameDocument` (document_sightings by
 * number hash), timed over 1,000 interviews (the baseline, same run) and again over 100,000. The goal:
 * a few milliseconds at 100,000, i.e. the indexes are used (the ratio stays near 1).
 *
 *   npm run bench:reuse                 (a temporary SQLite file)
 *   DATABASE_URL=postgres://… npm run bench:reuse   (an empty Postgres database)
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openStore, type Store } from "../../server/store/index.js";
import { fmt, median, quantile, table } from "./stats.js";

const SIZES = (process.env.SIZES ?? "1000,100000").split(",").map(Number);
const QUERIES = Number(process.env.QUERIES ?? 200);
const hex = (n: number, width = 32) => n.toString(16).padStart(width, "0");
const ipOf = (n: number) => `${(n >>> 16) & 255 || 1}.${(n >>> 8) & 255}.${n & 255}.${(n * 7) % 250 + 1}`;

async function seed(store: Store, from: number, to: number): Promise<void> {
  const at = new Date().toISOString();
  for (let i = from; i < to; i++) {
    const id = `iv_bench_${i}`;
    await store.createInterview({
      id,
      status: "created",
      candidateName: `Candidate ${i}`,
      candidateEmail: `c${i}@example.com`,
      room: `interview-${id}`,
      candidateTokenHash: hex(i * 2 + 1, 64),
      interviewerTokenHash: hex(i * 2 + 2, 64),
      createdAt: at,
      expiresAt: at,
      interviewerExpiresAt: at,
    });
    const ip = ipOf(i);
    await store.recordIpSighting({ interviewId: id, ip, prefix: `${ip.split(".").slice(0, 3).join(".")}.0/24`, at });
    await store.recordDeviceSighting({ interviewId: id, fingerprint: hex(i * 31 + 7), at });
    await store.recordDocumentSighting({ interviewId: id, numberHash: hex(i * 17 + 3), at });
  }
}

async function time(run: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let q = 0; q < QUERIES; q++) {
    const t = performance.now();
    await run();
    out.push(performance.now() - t);
  }
  return out;
}

const url = process.env.DATABASE_URL ?? path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-reuse-")), "kit.db");
const store = await openStore(url);
console.log(`reuse lookups on ${url.startsWith("postgres") ? "Postgres" : "SQLite"}, ${QUERIES} queries per size; ${os.cpus().length} CPU(s), Node ${process.version}`);
const since = new Date(Date.now() - 30 * 86_400_000).toISOString();
const rows: string[][] = [];
const baseline: Record<string, number> = {};
let seeded = 0;
for (const size of SIZES) {
  const t0 = performance.now();
  await seed(store, seeded, size);
  seeded = size;
  console.log(`seeded ${size} interviews (${fmt((performance.now() - t0) / 1000, 1)} s)`);
  let q = 0;
  const pick = () => (q = (q * 7919 + 13) % size);
  const lookups: Record<string, () => Promise<unknown>> = {
    sharedNetworks: () => {
      const ip = ipOf(pick());
      return store.sharedNetworks("iv_none", [ip], [`${ip.split(".").slice(0, 3).join(".")}.0/24`], since, 50);
    },
    sameDevice: () => store.sameDevice("iv_none", hex(pick() * 31 + 7), since, 50),
    sameDocument: () => store.sameDocument("iv_none", hex(pick() * 17 + 3), 50),
  };
  for (const [name, run] of Object.entries(lookups)) {
    const ms = await time(run);
    const m = median(ms);
    baseline[name] ??= m;
    rows.push([name, String(size), fmt(m, 3, " ms"), fmt(quantile(ms, 0.9), 3, " ms"), fmt(m / baseline[name]!, 2, "×")]);
  }
}
console.log(table(["lookup", "interviews", "median", "p90", "÷ first size (same run)"], rows));
await store.close();
