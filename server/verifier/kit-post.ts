/**
 * POSTs a job's report to the kit with the job's bearer secret, up to `tries`
 * times with exponential backoff. `settle` turns an answer into the result, or
 * `undefined` when the answer is worth retrying; a network error is retried too.
 */
export async function postToKit<T>(
  url: string,
  token: string,
  body: unknown,
  tries: number,
  settle: (res: Response) => Promise<T | undefined>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
        // The kit never redirects a report; following one would carry the bearer secret elsewhere.
        redirect: "manual",
      });
      const result = await settle(res);
      if (result !== undefined) return result;
      throw new Error(`kit answered ${res.status}`);
    } catch (err) {
      if (attempt >= tries) throw err;
      await new Promise((r) => setTimeout(r, 250 * 2 ** attempt));
    }
  }
}
