/**
 * A drift-free frame clock for the test publishers: frame n goes out at start + n/fps s, with its
 * timestamp (µs, performance clock) on that ideal grid, so timer jitter never reads as a higher
 * rate. After a stall it skips ahead rather than bursting. `stop()` ends it.
 */
export function startFrameClock(fps: number, send: (timestampUs: bigint) => void): { stop(): void } {
  const frameMs = 1000 / fps;
  const start = performance.now();
  let n = 0;
  let stopped = false;
  let clock: ReturnType<typeof setTimeout> | undefined;
  const tick = () => {
    if (stopped) return;
    send(BigInt(Math.round((start + n * frameMs) * 1000)));
    n++;
    if (performance.now() - (start + n * frameMs) > 5 * frameMs) n = Math.floor((performance.now() - start) / frameMs);
    clock = setTimeout(tick, Math.max(0, start + n * frameMs - performance.now()));
  };
  tick();
  return {
    stop() {
      stopped = true;
      clearTimeout(clock);
    },
  };
}
