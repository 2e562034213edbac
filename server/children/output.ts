import type { ChildProcess } from "node:child_process";
import readline from "node:readline";
import type { Readable, Writable } from "node:stream";

/**
 * Passes a child process's stdout and stderr through to ours, line by line, each line prefixed
 * with `[name] ` so the kit's own output says which child spoke. `onLine` sees every stdout line
 * whole (a chunk may end mid-line, so matching on raw chunks could miss a line split in two).
 */
export function passThroughLines(
  child: ChildProcess,
  name: string,
  options: { onLine?: (line: string) => void; stdout?: Writable; stderr?: Writable } = {},
): void {
  const { onLine, stdout = process.stdout, stderr = process.stderr } = options;
  const pipe = (from: Readable | null, to: Writable, seen?: (line: string) => void) => {
    if (!from) return;
    readline.createInterface({ input: from, crlfDelay: Infinity }).on("line", (line) => {
      seen?.(line);
      if (line) to.write(`[${name}] ${line}\n`);
    });
  };
  pipe(child.stdout, stdout, onLine);
  pipe(child.stderr, stderr);
}
