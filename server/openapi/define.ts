import type { OpenAPIHono, RouteConfig } from "@hono/zod-openapi";
import type { Context, Env, MiddlewareHandler } from "hono";
import type { z } from "zod";
import { parseJson, parseValue } from "../errors/index.js";

type RequestOf<R> = R extends { request: infer Q } ? Q : object;
type SchemaAt<T, K extends string> = T extends { [P in K]: infer S extends z.ZodType } ? S : undefined;
type JsonSchemaOf<R> =
  RequestOf<R> extends { body: { content: { "application/json": { schema: infer S extends z.ZodType } } } } ? S : undefined;
type BodyRequired<R> = RequestOf<R> extends { body: { required: true } } ? true : false;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

/** What a route's handler receives, already checked against the route's request schemas. */
export interface RouteInput<R> {
  params: Out<SchemaAt<RequestOf<R>, "params">>;
  query: Out<SchemaAt<RequestOf<R>, "query">>;
  /** The JSON body; `undefined` when the body is optional and was not sent as JSON. */
  body: BodyRequired<R> extends true ? Out<JsonSchemaOf<R>> : Out<JsonSchemaOf<R>> | undefined;
}

/** A route's handler: the context of its group, and its checked input. */
export type RouteHandler<E extends Env, R> = (c: Context<E>, input: RouteInput<R>) => Response | Promise<Response>;

/** `/{param}` (OpenAPI) to `/:param` (Hono). */
export const honoPath = (path: string) => path.replaceAll(/\{(\w+)\}/g, ":$1");

/**
 * Serves one route described with `createRoute` and records it in the
 * group's OpenAPI registry, so the document and the router are built from the
 * same definition. Validation is the kit's own (`parseJson`/`parseValue`), run
 * in the handler's place after the group's middleware (auth, limits, link
 * context) and the route's (idempotency): the same order, the same error
 * codes (`invalid_json`, `validation_failed` naming the field) as before the
 * routes were described, whatever content type a client sends. A body the
 * route does not require is read only when the request says it is JSON.
 */
export function serve<E extends Env, R extends RouteConfig>(app: OpenAPIHono<E>, route: R, handler: RouteHandler<E, R>): void {
  const { middleware, hide, ...described } = route;
  if (!hide) app.openAPIRegistry.registerPath(described);
  const before = (middleware === undefined ? [] : Array.isArray(middleware) ? middleware : [middleware]) as MiddlewareHandler<E>[];
  const { params, query, body } = route.request ?? {};
  const bodySchema = (body?.content["application/json"] as { schema?: z.ZodType } | undefined)?.schema;
  const run: MiddlewareHandler<E> = async (c) => {
    const input = {
      params: params ? parseValue(params, c.req.param()) : undefined,
      query: query ? parseValue(query, c.req.query()) : undefined,
      body: bodySchema && (body?.required || c.req.header("content-type")?.includes("json")) ? await parseJson(c, bodySchema) : undefined,
    } as RouteInput<R>;
    return handler(c, input);
  };
  app.on([route.method.toUpperCase()], [honoPath(route.path)], ...before, run);
}
