/**
 * Reads a Chromium trace (categories `toplevel` + `blink.user_timing`) and
 * returns the renderer main thread's top-level tasks on the page's own
 * `performance.now()` clock, so busy time can be summed over any window.
 */

/** Trace categories the benchmark records: cheap enough to leave on. */
export const TRACE_CATEGORIES = ["toplevel", "blink.user_timing", "__metadata"];

interface TraceEvent {
  name: string;
  cat?: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string };
}

export interface MainThreadTasks {
  /** [start, end] of every top-level task on the page's main thread, in page milliseconds. */
  tasks: Array<[number, number]>;
  /** Trace milliseconds minus page milliseconds. */
  offsetMs: number;
  anchor: string;
}

/**
 * `marks` are the page's own user-timing marks (name → startTime); one of them,
 * found in the trace too, pins the trace clock to the page clock. Returns
 * undefined when the trace has no usable anchor or no renderer main thread.
 */
export function mainThreadTasks(buffer: Buffer, marks: Record<string, number>): MainThreadTasks | undefined {
  const parsed = JSON.parse(buffer.toString("utf8")) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);

  let anchorEvent: TraceEvent | undefined;
  let anchorName = "";
  for (const name of ["verify-kit:camera-granted", "bench:consent", "verify-kit:first-detection"]) {
    if (marks[name] === undefined) continue;
    anchorEvent = events.find((e) => e.name === name && (e.cat ?? "").includes("user_timing") && e.ph !== "e");
    if (anchorEvent) {
      anchorName = name;
      break;
    }
  }
  if (!anchorEvent) return undefined;
  const offsetMs = anchorEvent.ts / 1000 - marks[anchorName]!;

  const pid = anchorEvent.pid;
  const mainTid = events.find((e) => e.ph === "M" && e.name === "thread_name" && e.pid === pid && e.args?.name === "CrRendererMain")?.tid;
  if (mainTid === undefined) return undefined;

  const tasks: Array<[number, number]> = [];
  for (const e of events) {
    if (e.pid !== pid || e.tid !== mainTid || e.ph !== "X" || !(e.cat ?? "").includes("toplevel") || !e.dur) continue;
    const start = e.ts / 1000 - offsetMs;
    tasks.push([start, start + e.dur / 1000]);
  }
  return { tasks, offsetMs, anchor: anchorName };
}
