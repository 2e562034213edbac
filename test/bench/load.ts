/**
 * The load generator for `bench:server`: wrk (C, multi-threaded) when it is installed, since a
 * generator in Node takes a core of this 2-core machine away from the server it measures;
 * otherwise autocannon. Either cycles through the given requests.
 */
import { execFile, execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import autocannon from "autocannon";

/** One run's throughput and latency (ms); `failed` counts non-2xx answers and socket errors. */
export interface LoadFigure {
  rps: number;
  p50: number;
  p99: number;
  failed: number;
}

export type LoadRequest = { method: "GET" | "POST"; path: string; headers?: Record<string, string>; body?: string };

export interface LoadOptions {
  connections: number;
  seconds: number;
  /** Where in `requests` to start; generators running side by side start apart so they do not move in step. */
  offset?: number;
}

/** `wrk` when it is on the PATH, else `autocannon`. */
export function loadTool(): "wrk" | "autocannon" {
  try {
    execFileSync("wrk", ["--version"], { stdio: "ignore" });
    return "wrk";
  } catch (err) {
    // wrk prints its version and exits 1; only a missing binary is ENOENT.
    return (err as NodeJS.ErrnoException).code === "ENOENT" ? "autocannon" : "wrk";
  }
}

/** A Lua long-bracket string that cannot be closed by its content. */
const luaString = (s: string) => {
  let level = "";
  while (s.includes(`]${level}]`)) level += "=";
  return `[${level}[${s}]${level}]`;
};

/** The wrk script: cycles through the requests (each thread from its own start) and prints figures as JSON. */
function wrkScript(requests: LoadRequest[]): string {
  const entries = requests.map((r) => {
    const headers = Object.entries(r.headers ?? {})
      .map(([k, v]) => `[ ${luaString(k)} ] = ${luaString(v)}`)
      .join(", ");
    return `wrk.format(${luaString(r.method)}, ${luaString(r.path)}, { ${headers} }, ${r.body === undefined ? "nil" : luaString(r.body)})`;
  });
  return `
local requests = {}
local i = 0
local counter = 0
setup = function(thread) counter = counter + 1; thread:set("offset", counter * 7919) end
init = function(args)
  ${entries.map((e) => `table.insert(requests, ${e})`).join("\n  ")}
  i = ((tonumber(offset) or 0) + (tonumber(args[1]) or 0)) % #requests
end
request = function()
  i = i % #requests + 1
  return requests[i]
end
done = function(summary, latency, _)
  local e = summary.errors
  io.write(string.format('WRK_JSON {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"failed":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status + e.connect + e.read + e.write + e.timeout))
end
`;
}

async function runWrk(url: string, requests: LoadRequest[], o: LoadOptions): Promise<LoadFigure> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-wrk-"));
  const script = path.join(dir, "requests.lua");
  fs.writeFileSync(script, wrkScript(requests));
  try {
    const { stdout, stderr } = await promisify(execFile)(
      "wrk",
      ["-t2", `-c${o.connections}`, `-d${o.seconds}s`, "--timeout", "10s", "-s", script, url, "--", String(o.offset ?? 0)],
      { maxBuffer: 1 << 20 },
    );
    const line = stdout.split("\n").find((l) => l.startsWith("WRK_JSON "));
    // A script wrk cannot load is reported on stderr while wrk goes on with plain GETs of `url`.
    if (!line || stderr.trim()) throw new Error(`wrk did not run the request script:\n${stderr}\n${stdout}`);
    const f = JSON.parse(line.slice("WRK_JSON ".length)) as { requests: number; duration_us: number; p50_us: number; p99_us: number; failed: number };
    return { rps: f.requests / (f.duration_us / 1e6), p50: f.p50_us / 1000, p99: f.p99_us / 1000, failed: f.failed };
  } finally {
      fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function runAutocannon(url: string, requests: LoadRequest[], o: LoadOptions): Promise<LoadFigure> {
  let i = o.offset ?? 0;
  const result = await autocannon({
    url,
    connections: o.connections,
    duration: o.seconds,
    requests: [{ setupRequest: (req) => ({ ...req, ...requests[i++ % requests.length]! }) }],
  });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, failed: result.non2xx + result.errors };
}

/** One run of `tool` against `url`, cycling through `requests`. */
export function load(tool: "wrk" | "autocannon", url: string, requests: LoadRequest[], o: LoadOptions): Promise<LoadFigure> {
  return tool === "wrk" ? runWrk(url, requests, o) : runAutocannon(url, requests, o);
}
