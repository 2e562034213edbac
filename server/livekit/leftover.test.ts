import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { removePidFile, stopLeftoverServer, writePidFile } from "./leftover.js";
import { alive } from "../../test/helpers/processes.js";

// Real processes stand in for livekit-server: a Node process whose command line names the config file, or not.
const children: Array<ReturnType<typeof spawn>> = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill("SIGKILL");
});

/** A long-running process with `args` on its command line, once it has exec'd (before that /proc shows the parent's). */
async function standIn(...args: string[]) {
  const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)", ...args], { stdio: "ignore" });
  children.push(child);
  // Generous: beside a busy core, exec took longer than the 5 s this once allowed, and the test then saw the parent's command line.
  const deadline = Date.now() + 30_000;
  const execd = () => fs.readFileSync(`/proc/${child.pid}/cmdline`, "utf8").includes(args.at(-1)!);
  while (!execd() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  if (!execd()) throw new Error(`the stand-in process did not exec within 30 s`);
  return child;
}

async function exitOf(child: ReturnType<typeof spawn>): Promise<string | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.signalCode;
  return new Promise((resolve) => child.once("exit", (_code, signal) => resolve(signal)));
}

describe("stopLeftoverServer", () => {
  const dir = () => fs.mkdtempSync(path.join(os.tmpdir(), "kit-leftover-"));

  it("kills the process its pid file names while that process still runs with this config file", async () => {
    const d = dir();
    const config = path.join(d, "livekit-7880.yaml");
    const pidFile = path.join(d, "livekit-7880.pid");
    const leftover = await standIn("--config", config);
    writePidFile(pidFile, leftover.pid!);
    expect(await stopLeftoverServer(pidFile, config)).toBe(true);
    expect(await exitOf(leftover)).toBe("SIGKILL");
    expect(fs.existsSync(pidFile)).toBe(false);
  });

  it("leaves alone a process that reused the pid (another command line), and a missing or garbled pid file", async () => {
    const d = dir();
    const config = path.join(d, "livekit-7880.yaml");
    const pidFile = path.join(d, "livekit-7880.pid");
    const other = await standIn("--config", path.join(d, "livekit-7990.yaml"));
    writePidFile(pidFile, other.pid!);
    expect(await stopLeftoverServer(pidFile, config)).toBe(false);
    expect(alive(other.pid!)).toBe(true);
    expect(await stopLeftoverServer(pidFile, config)).toBe(false);
    fs.writeFileSync(pidFile, "1\n");
    expect(await stopLeftoverServer(pidFile, config)).toBe(false);
    fs.writeFileSync(pidFile, "not a pid");
    expect(await stopLeftoverServer(pidFile, config)).toBe(false);
  });

  it("removes a pid file only while it names the exiting process", () => {
    const d = dir();
    const pidFile = path.join(d, "livekit-7880.pid");
    writePidFile(pidFile, 4242);
    removePidFile(pidFile, 4343);
    expect(fs.readFileSync(pidFile, "utf8").trim()).toBe("4242");
    removePidFile(pidFile, 4242);
    expect(fs.existsSync(pidFile)).toBe(false);
  });
});
