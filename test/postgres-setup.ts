/**
 * A throwaway Postgres cluster for one test run: Debian's `postgresql` binaries, a cluster copied
 * from a cached `initdb` template (`.cache/pg-template/`) into `.cache/pg/run-<pid>/`, listening on
 * a free loopback port only, with fsync off. Started by test/global-setup.ts, stopped (and its folder
 * removed) after the run. As root, the server runs as the `postgres` user, which Postgres requires;
 * when that user cannot reach the clone's `.cache/` (a parent folder made by `mktemp -d` is 0700),
 * the clusters live under the system's temporary folder instead.
 */
import { createHash } from "node:crypto";
import { execFile, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { freePort } from "./helpers/ports.js";
import { alive } from "./helpers/processes.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const run = promisify(execFile);

export interface TestPostgres {
  /** Superuser URL of the cluster's `postgres` database; tests create their own databases from it. */
  url: string;
  stop(): Promise<void>;
}

/** The newest Postgres under /usr/lib/postgresql, or a clear error naming the package to install. */
function binDir(): string {
  const base = "/usr/lib/postgresql";
  const versions = fs.existsSync(base) ? fs.readdirSync(base).filter((v) => fs.existsSync(path.join(base, v, "bin", "initdb"))) : [];
  if (!versions.length) throw new Error("Postgres is not installed: run scripts/prepare-test.sh (it apt-installs postgresql)");
  versions.sort((a, b) => Number(b) - Number(a));
  return path.join(base, versions[0]!, "bin");
}

/** uid/gid of the `postgres` user when running as root (Postgres refuses to run as root), else none. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = fs.readFileSync("/etc/passwd", "utf8").split("\n").find((l) => l.startsWith("postgres:"));
  if (!line) throw new Error("running as root, but there is no postgres user to run the test cluster as (apt-get install postgresql creates it)");
  const [, , uid, gid] = line.split(":");
  return { uid: Number(uid), gid: Number(gid) };
}

/** Where templates and runs live: the clone's `.cache/` when the server user can reach it. */
function clustersRoot(user: ReturnType<typeof serverUser>): string {
  const inClone = path.join(ROOT, ".cache");
  fs.mkdirSync(inClone, { recursive: true });
  if (!user) return inClone;
  // `test -x` run as that user fails unless every folder on the way is searchable by it.
  const reachable = spawnSync("test", ["-x", inClone], { uid: user.uid, gid: user.gid }).status === 0;
  if (reachable) return inClone;
  const perClone = createHash("sha256").update(ROOT).digest("hex").slice(0, 12);
  const outside = path.join(os.tmpdir(), `kit-test-pg-${perClone}`);
  fs.mkdirSync(outside, { recursive: true, mode: 0o755 });
  return outside;
}

/** Runs a Postgres binary as the server user; rejects with its output when it fails. */
function pgBin(bin: string, args: string[], user: ReturnType<typeof serverUser>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(binDir(), bin), args, { ...(user ?? {}), cwd: "/", stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d));
    child.stderr.on("data", (d: Buffer) => (out += d));
    child.on("error", reject);
    child.on("exit", (code) => {
      // The server pg_ctl starts may inherit these pipes: once the last output is read, let go of them.
      setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        if (code === 0) resolve();
        else reject(new Error(`${bin} ${args.join(" ")} exited with ${code}:\n${out}`));
      }, 50);
    });
  });
}

/** A directory owned by the server user, readable by it only (initdb insists on 0700). */
function ownedDir(dir: string, user: ReturnType<typeof serverUser>): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (user) fs.chownSync(dir, user.uid, user.gid);
}

/** The initdb'd template for this Postgres version, made once and reused by later runs. */
async function template(user: ReturnType<typeof serverUser>, root: string): Promise<string> {
  const templatesRoot = path.join(root, "pg-template");
  const version = path.basename(path.dirname(binDir()));
  const dir = path.join(templatesRoot, version);
  if (fs.existsSync(path.join(dir, ".ready"))) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(templatesRoot, { recursive: true });
  ownedDir(dir, user);
  await pgBin("initdb", ["-D", dir, "--auth=trust", "--username=postgres", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions"], user);
  fs.writeFileSync(path.join(dir, ".ready"), "");
  return dir;
}

/** Stops and removes clusters left by runs whose vitest process is gone (killed mid-run). */
async function removeStaleRuns(user: ReturnType<typeof serverUser>, runsRoot: string): Promise<void> {
  if (!fs.existsSync(runsRoot)) return;
  for (const name of fs.readdirSync(runsRoot)) {
    const pid = Number(/^run-(\d+)$/.exec(name)?.[1]);
    // A run whose vitest process is still alive keeps its cluster.
    if (!pid || alive(pid)) continue;
    const dir = path.join(runsRoot, name);
    if (fs.existsSync(path.join(dir, "postmaster.pid"))) await pgBin("pg_ctl", ["-D", dir, "-m", "immediate", "-w", "stop"], user).catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Starts the run's cluster; its URL is ready for connections when this resolves. */
export async function startTestPostgres(): Promise<TestPostgres> {
  const user = serverUser();
  const root = clustersRoot(user);
  const runsRoot = path.join(root, "pg");
  await removeStaleRuns(user, runsRoot);
  const source = await template(user, root);
  const dir = path.join(runsRoot, `run-${process.pid}`);
  fs.mkdirSync(runsRoot, { recursive: true });
  fs.rmSync(dir, { recursive: true, force: true });
  await run("cp", ["-a", source, dir]);
  fs.rmSync(path.join(dir, ".ready"), { force: true });
  let port = 0;
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    const options = [
      `-c port=${port}`,
      "-c listen_addresses=127.0.0.1",
      "-c unix_socket_directories=''",
      "-c fsync=off",
      "-c synchronous_commit=off",
      "-c full_page_writes=off",
      "-c max_connections=300",
      "-c shared_buffers=32MB",
    ].join(" ");
    try {
      await pgBin("pg_ctl", ["-D", dir, "-l", path.join(dir, "server.log"), "-o", options, "-w", "-t", "60", "start"], user);
      break;
    } catch (err) {
      // Another process took the port between the probe and the start: try another.
      if (attempt >= 3) throw err;
    }
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await pgBin("pg_ctl", ["-D", dir, "-m", "fast", "-w", "stop"], user).catch(() => {});
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
