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

/**
 * Streams timeline events as server-sent events: `ready` once subscribed,
 * then one `interview` message per event, with keep-alive comments on a quiet
 * connection. `open` receives the stream's abort signal and returns the events.
 */
export function streamEvents(c: Context, open: (signal: AbortSignal) => AsyncGenerator<StreamEvent, void, undefined>) {
  return streamSSE(c, async (stream) => {
    const stop = new AbortController();
    stream.onAbort(() => stop.abort());
    const events = open(stop.signal);
    // Asked for before "ready" is sent, so the subscription already holds anything recorded after it.
    let next = events.next();
    await stream.writeSSE({ event: "ready", data: "{}" });
    while (!stream.aborted) {
      const result = await orIdle(next, KEEP_ALIVE_MS);
      if (result === IDLE) {
        // A comment, so proxies do not close a quiet connection.
        await stream.write(": keep-alive\n\n");
        continue;
      }
      if (result.done) break;
      await stream.writeSSE({ event: "interview", data: JSON.stringify(result.value) });
      next = events.next();
    }
    await events.return();
  });
}
