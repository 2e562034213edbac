import { expect } from "vitest";
import type { z } from "zod";
import type { testApp } from "./app.js";

type App = ReturnType<typeof testApp>["app"];

interface DescribedResponse {
  description: string;
  content?: Record<string, { schema?: unknown }>;
}
interface DescribedRoute {
  method: string;
  path: string;
  responses: Record<string, DescribedResponse>;
}

/** `/v1/interviews/:id` (Hono) to `/v1/interviews/{id}` (OpenAPI). */
export const openApiPath = (honoPath: string) => honoPath.replace(/:(\w+)/g, "{$1}");

/** The route definitions the app's OpenAPI registry holds: what the document is generated from. */
export function describedRoutes(app: App): DescribedRoute[] {
  return app.openAPIRegistry.definitions.flatMap((d) => (d.type === "route" ? [d.route as unknown as DescribedRoute] : []));
}

/**
 * Checks a response against what the route's definition declares for its
 * status (or `default`): the content type, and for JSON the body parsed with
 * the declared zod schema itself. Returns the parsed body.
 */
export async function expectDeclared(app: App, res: Response, method: string, path: string): Promise<unknown> {
  const route = describedRoutes(app).find((r) => r.method === method.toLowerCase() && r.path === path);
  expect(route, `${method} ${path} is not described`).toBeDefined();
  const declared = route!.responses[String(res.status)] ?? route!.responses.default;
  const text = await res.clone().text();
  expect(declared, `${method} ${path} answered ${res.status}, which it does not declare: ${text.slice(0, 300)}`).toBeDefined();
  if (res.status < 400) expect(route!.responses[String(res.status)], `${method} ${path}: a success must be declared by its status`).toBeDefined();
  const contentType = res.headers.get("content-type")?.split(";")[0]?.trim() ?? null;
  const media = Object.keys(declared!.content ?? {});
  if (media.length === 0) {
    expect(text, `${method} ${path} ${res.status} declares no body`).toBe("");
    return undefined;
  }
  expect(media, `${method} ${path} ${res.status}: content type ${contentType}`).toContain(contentType);
  if (contentType !== "application/json") return undefined;
  const schema = declared!.content![contentType]!.schema as z.ZodType;
  const parsed = schema.safeParse(JSON.parse(text));
  expect(parsed.success, `${method} ${path} ${res.status} does not match its schema: ${JSON.stringify(parsed.error?.issues.slice(0, 3))}`).toBe(true);
  return parsed.data;
}
