import fs from "node:fs";

/** Whether `pid` still runs with `configFile` on its command line (a reaped or reused pid does not). */
function runsWithConfig(pid: number, configFile: string): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").includes(configFile);
  } catch {
    return false;
  }
}

/**
 * Stops a livekit-server that a kit killed outright (SIGKILL, a crash, a power-cycled container's
 * stale pid aside) left running from this work folder: its pid file names it, and it is killed only
 * while its command line still names this very config file, so a reused pid is never touched.
 * Without this the next start would find the port taken by a server nobody can stop.
 */
export async function stopLeftoverServer(pidFile: string, configFile: string, waitMs = 5_000): Promise<boolean> {
  const pid = readPid(pidFile);
  if (pid === undefined) return false;
  fs.rmSync(pidFile, { force: true });
  if (!Number.isInteger(pid) || pid <= 1 || !runsWithConfig(pid, configFile)) return false;
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    return false;
  }
  const deadline = Date.now() + waitMs;
  while (!exited(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return true;
}

/**
 * Whether `pid` has finished exiting: gone, or a zombie waiting to be reaped. Its command line
 * empties earlier, before its sockets close, so that alone would let a restart find the port taken.
 */
function exited(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state === "Z" || state === "X";
  } catch {
    return true;
  }
}

/** Records the server's pid beside its config, for `stopLeftoverServer` after a crash. */
export function writePidFile(pidFile: string, pid: number): void {
  fs.writeFileSync(pidFile, `${pid}\n`, { mode: 0o600 });
}

/** Removes the pid file if it still names `pid` (a newer server may have written its own). */
export function removePidFile(pidFile: string, pid: number): void {
  if (readPid(pidFile) === pid) fs.rmSync(pidFile, { force: true });
}

/** The number a pid file holds (NaN when garbled), or undefined when there is no file. */
function readPid(pidFile: string): number | undefined {
  try {
    return Number(fs.readFileSync(pidFile, "utf8").trim());
  } catch {
    return undefined;
  }
}
