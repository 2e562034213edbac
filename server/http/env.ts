import type { IncomingHttpHeaders } from "node:http";
import type { Context, MiddlewareHandler } from "hono";
import type { RequestMeta } from "../timeline/index.js";
import type { ClientIpResolver } from "../security/index.js";

/** Hono bindings: Node's request (from @hono/node-server: its socket and parsed headers) and per-request variables. */
export type AppEnv = {
  Bindings: { incoming?: { socket?: { remoteAddress?: string }; headers?: IncomingHttpHeaders } };
  Variables: { requestId: string; clientIp: string | null };
};

/** Resolves the client IP once per request, honouring only trusted proxies. */
export function clientIp(resolver: ClientIpResolver): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const peer = c.env?.incoming?.socket?.remoteAddress;
    c.set("clientIp", resolver.resolve(peer, c.req.header("x-forwarded-for")));
    await next();
  };
}

/** The IP and user agent recorded with every event. */
export function requestMeta<E extends AppEnv>(c: Context<E>): RequestMeta {
  return { ip: (c.var as AppEnv["Variables"]).clientIp ?? null, userAgent: c.req.header("user-agent")?.slice(0, 500) ?? null };
}
