import { spawn } from "node:child_process";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { passThroughLines } from "./output.js";

const collect = (stream: PassThrough) => {
  let text = "";
  stream.on("data", (c: Buffer) => (text += c));
  return () => text;
};

describe("passThroughLines", () => {
  it("prefixes whole lines of a real child's stdout and stderr, even a line written in two pieces", async () => {
    const script = [
      'process.stdout.write("first line\\nsecond ");',
      'setTimeout(() => { process.stdout.write("half\\n\\nready: yes\\n"); process.stderr.write("a warning\\n"); }, 50);',
    ].join("");
    const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "pipe"] });
    const out = new PassThrough();
    const err = new PassThrough();
    const stdoutText = collect(out);
    const stderrText = collect(err);
    const lines: string[] = [];
    passThroughLines(child, "child", { stdout: out, stderr: err, onLine: (l) => lines.push(l) });
    await new Promise((resolve) => child.once("close", resolve));
    expect(stdoutText()).toBe("[child] first line\n[child] second half\n[child] ready: yes\n");
    expect(stderrText()).toBe("[child] a warning\n");
    expect(lines).toEqual(["first line", "second half", "", "ready: yes"]);
  });
});
