/**
 * For a child process the kit starts with `--exit-with-parent` and a piped standard input: calls
 * `onGone` once that input closes, which happens as soon as the kit exits for any reason, SIGKILL
 * included. Does nothing for a process started without the flag (run apart, at scale).
 */
export function whenParentGone(onGone: () => void): void {
  if (!process.argv.includes("--exit-with-parent")) return;
  let called = false;
  const once = () => {
    if (called) return;
    called = true;
    onGone();
  };
  process.stdin.on("close", once);
  process.stdin.on("end", once);
  process.stdin.resume();
}
