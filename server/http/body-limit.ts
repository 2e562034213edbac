import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "./env.js";

/**
 * Refuses a request body over `maxSize` bytes by calling `tooLarge`, without touching the body.
 * Hono's `bodyLimit` reads `c.req.raw.body`, which makes @hono/node-server build a full fetch
 * `Request` (stream, abort signal) for every request, GETs included; that was a fifth of the cost
 * of a small request. On Node's server a request without a body, or with a declared
 * `Content-Length` (which Node's parser holds the body to), is judged from its headers; only a
 * chunked body is counted as it is read, by Hono's middleware.
 */
export function limitBody(maxSize: number, tooLarge: () => never): MiddlewareHandler<AppEnv> {
  const counted = bodyLimit({ maxSize, onError: tooLarge });
  return async (c, next) => {
    // The headers Node's parser framed the body by; off Node's server (e.g. `app.request` in tests,
    // even with a socket address given) a body may come without either header, so it is counted.
    const headers = c.env?.incoming?.headers;
    if (!headers) return counted(c, next);
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    if (headers["transfer-encoding"] !== undefined) return counted(c, next);
    // Without Transfer-Encoding, HTTP/1.1 has a body only of the declared length (none when undeclared).
    const declared = Number(headers["content-length"] ?? 0);
    if (!(declared <= maxSize)) tooLarge();
    return next();
  };
}
