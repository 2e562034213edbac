/**
 * CPU time of a process tree from /proc (Linux), for the verifier benchmark.
 * A sampler polls the tree every `everyMs` and keeps, per pid, the first and
 * last cumulative utime+stime it saw, so a job process that exits during a
 * window still counts (up to one sampling period short), and a process born
 * during the window counts from zero.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";

let clkTck: number | undefined;
function ticksPerSecond(): number {
  if (clkTck === undefined) {
    try {
      clkTck = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      clkTck = 100;
    }
  }
  return clkTck;
}

interface ProcStat {
  pid: number;
  ppid: number;
  comm: string;
  /** utime + stime of the process itself (all its threads), ms. */
  cpuMs: number;
}

function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  const close = text.lastIndexOf(")");
  const comm = text.slice(text.indexOf("(") + 1, close);
  const f = text.slice(close + 2).split(" ");
  // After "pid (comm) ": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime …
  const utime = Number(f[11]);
  const stime = Number(f[12]);
  return { pid, ppid: Number(f[1]), comm, cpuMs: ((utime + stime) * 1000) / ticksPerSecond() };
}

function allStats(): ProcStat[] {
  const out: ProcStat[] = [];
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const s = readStat(Number(name));
    if (s) out.push(s);
  }
  return out;
}

/** The pid and every descendant, with their own CPU time. */
export function treeStats(root: number): ProcStat[] {
  const stats = allStats();
  const children = new Map<number, ProcStat[]>();
  for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  const rootStat = stats.find((s) => s.pid === root);
  if (!rootStat) return [];
  const out: ProcStat[] = [];
  const queue = [rootStat];
  while (queue.length) {
    const s = queue.shift()!;
    out.push(s);
    queue.push(...(children.get(s.pid) ?? []));
  }
  return out;
}

/** Direct children of `parent` whose command name contains `comm`. */
export function childPids(parent: number, comm: string): number[] {
  return allStats()
    .filter((s) => s.ppid === parent && s.comm.includes(comm))
    .map((s) => s.pid);
}

export interface CpuWindow {
  /** Wall time of the window, ms. */
  wallMs: number;
  /** CPU of the whole tree over the window, ms. */
  totalMs: number;
  /** Of which: processes already alive when the window opened (worker, prewarmed job processes). */
  existingMs: number;
  /** Of which: processes born during the window (replacement job processes loading the model). */
  bornMs: number;
  /** Per-process CPU over the window, ms (pid → ms), for processes that used any. */
  perPid: Record<number, number>;
}

/** Samples a process tree's CPU from `start()` until `stop()`. */
export class TreeCpuSampler {
  private first = new Map<number, number>();
  private last = new Map<number, number>();
  private born = new Set<number>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private startedAt = 0;

  constructor(
    private readonly root: () => number[],
    private readonly everyMs = 200,
  ) {}

  private sample(initial: boolean): void {
    for (const r of this.root()) {
      for (const s of treeStats(r)) {
        if (!this.first.has(s.pid)) {
          this.first.set(s.pid, initial ? s.cpuMs : 0);
          if (!initial) this.born.add(s.pid);
        }
        this.last.set(s.pid, s.cpuMs);
      }
    }
  }

  start(): this {
    this.first.clear();
    this.last.clear();
    this.born.clear();
    this.startedAt = performance.now();
    this.sample(true);
    this.timer = setInterval(() => this.sample(false), this.everyMs);
    return this;
  }

  stop(): CpuWindow {
    clearInterval(this.timer);
    this.sample(false);
    const perPid: Record<number, number> = {};
    let existingMs = 0;
    let bornMs = 0;
    for (const [pid, last] of this.last) {
      const d = Math.max(0, last - this.first.get(pid)!);
      if (d > 0) perPid[pid] = d;
      if (this.born.has(pid)) bornMs += d;
      else existingMs += d;
    }
    return { wallMs: performance.now() - this.startedAt, totalMs: existingMs + bornMs, existingMs, bornMs, perPid };
  }
}

/** Waits until the tree uses less than `maxShare` of one core over `windowMs`, or `timeoutMs` passes; returns the wait. */
export async function waitForQuiet(root: () => number[], options: { maxShare?: number; windowMs?: number; timeoutMs?: number } = {}): Promise<number> {
  const { maxShare = 0.08, windowMs = 1000, timeoutMs = 30_000 } = options;
  const started = performance.now();
  for (;;) {
    const s = new TreeCpuSampler(root, windowMs / 4).start();
    await new Promise((r) => setTimeout(r, windowMs));
    const w = s.stop();
    if (w.totalMs / w.wallMs < maxShare || performance.now() - started > timeoutMs) return performance.now() - started;
  }
}
