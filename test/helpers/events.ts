/**
 * Polls an interview's events, as `events` reads them, until one matches:
 * every 300 ms, for up to `ms`. Throws naming what was recorded instead.
 */
export async function pollForEvent<E extends { type: string }>(
  events: (id: string) => Promise<E[]>,
  id: string,
  match: (e: E) => boolean,
  ms = 30_000,
): Promise<E> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const hit = (await events(id)).find(match);
    if (hit) return hit;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`not recorded within ${ms} ms; saw ${(await events(id)).map((e) => e.type).join(", ")}`);
}
