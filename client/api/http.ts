import type { z } from "zod";
import { ErrorBody } from "../../shared/errors.js";

/** An error answer from the kit's API, with its fixed code. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    /** The request field the server named as wrong, e.g. `url` or `events.0`. */
    readonly field?: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/**
 * Calls the kit's API and checks the answer against the shared schema. An
 * empty answer (204) is checked as `undefined`, so pass `z.undefined()` for it.
 */
export async function request<T extends z.ZodType>(
  method: "GET" | "POST" | "DELETE",
  url: string,
  schema: T,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<z.output<T>> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: { ...(options.body !== undefined ? { "content-type": "application/json" } : {}), ...options.headers },
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
    });
  } catch (err) {
    throw new ApiError("network", `Could not reach the server: ${(err as Error).message}`, 0);
  }
  const json: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    const parsed = ErrorBody.safeParse(json);
    if (parsed.success) throw new ApiError(parsed.data.error.code, parsed.data.error.message, res.status, parsed.data.error.field);
    throw new ApiError("http", `The server answered ${res.status}`, res.status);
  }
  return schema.parse(json);
}
