import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import type { StreamEvent } from "../../shared/interview.js";

/** How long a quiet stream waits before a keep-alive comment. */
const KEEP_ALIVE_MS = 15_000;
const IDLE = Symbol("idle");

/** `promise`'s value, or IDLE if it has not settled within `ms`; the promise itself is left running. */
async function orIdle<T>(promise: Promise<T>, ms: number): Promise<T | typeof IDLE> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const idle = new Promise<typeof IDLE>((resolve) => (timer = setTimeout(() => resolve(IDLE), ms)));
  try {
    return await Promise.race([promise, idle]);
  } finally {
    clearTimeout(timer);
  }
}

/** How often a stream checks that its credential still holds (a revoked key, a rotated or expired link). */
export const RECHECK_MS = 5_000;

/**
 * Streams timeline events as server-sent events: `ready` once subscribed,
 * then one `interview` message per event, with keep-alive comments on a quiet
 * connection. `open` receives the stream's abort signal and returns the events.
 * `allowed` is asked again every `RECHECK_MS`: once it answers false the stream
 * sends `revoked` and closes, so a credential revoked mid-stream stops it.
 */
export function streamEvents(
  c: Context,
  open: (signal: AbortSignal) => AsyncGenerator<StreamEvent, void, undefined>,
  allowed: () => Promise<boolean> = async () => true,
) {
  return streamSSE(c, async (stream) => {
    const stop = new AbortController();
    stream.onAbort(() => stop.abort());
    const events = open(stop.signal);
    // Asked for before "ready" is sent, so the subscription already holds anything recorded after it.
    let next = events.next();
    await stream.writeSSE({ event: "ready", data: "{}" });
    let checkedAt = Date.now();
    let quietSince = Date.now();
    while (!stream.aborted) {
      const result = await orIdle(next, Math.min(KEEP_ALIVE_MS, RECHECK_MS));
      if (Date.now() - checkedAt >= RECHECK_MS) {
        checkedAt = Date.now();
        if (!(await allowed().catch(() => false))) {
          await stream.writeSSE({ event: "revoked", data: "{}" });
          break;
        }
      }
      if (result === IDLE) {
        // A comment, so proxies do not close a quiet connection.
        if (Date.now() - quietSince >= KEEP_ALIVE_MS) {
          await stream.write(": keep-alive\n\n");
          quietSince = Date.now();
        }
        continue;
      }
      quietSince = Date.now();
      if (result.done) break;
      await stream.writeSSE({ event: "interview", data: JSON.stringify(result.value) });
      next = events.next();
    }
    // A pending next() holds the generator until it settles: abort the subscription so return() can finish.
    stop.abort();
    await events.return();
  });
}
