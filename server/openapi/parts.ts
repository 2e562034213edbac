import { z } from "@hono/zod-openapi";
import { type ApiScope, IDEMPOTENCY_KEY_HEADER, IdempotencyKey } from "../../shared/api-keys.js";
import { ErrorBody, ErrorCode } from "../../shared/errors.js";
import { ERROR_STATUS } from "../errors/index.js";

/** Security scheme names, declared in the document's components (`document.ts`). */
export const SCHEMES = { apiKey: "apiKey", candidateSession: "candidateSession" } as const;

/** `security` of the API-key routes: `Authorization: Bearer <key>`. */
export const API_KEY = [{ [SCHEMES.apiKey]: [] }];
/** `security` of an API-key route that needs `scope` (docs/api-keys.md); `scoped()` enforces it. */
export const apiKeyScope = (scope: ApiScope) => [{ [SCHEMES.apiKey]: [scope] }];
/**
 * `security` of the candidate and interviewer link routes: none beyond the
 * link itself, whose secret token is the `{token}` path parameter.
 */
export const LINK_ONLY: Array<Record<string, string[]>> = [];
/** `security` of candidate routes that need a session: the link, and the session key header. */
export const CANDIDATE_SESSION = [{ [SCHEMES.candidateSession]: [] }];

type Described = { description?: string; format?: string };
const extension = (z.ZodType.prototype as unknown as { openapi(this: z.ZodType, meta: string | Described): z.ZodType }).openapi;

/**
 * `schema.openapi(meta)`, called through zod's prototype: a schema made
 * before `@hono/zod-openapi` extended zod (the `shared/` ones, when a module
 * imports them first) does not carry the method itself.
 */
export const openapi = <S extends z.ZodType>(schema: S, meta: string | Described): S => extension.call(schema, meta) as S;

/** The error body every failure answers with, as a named component. */
export const ErrorSchema = openapi(ErrorBody, "Error");

/** A JSON response (or request body) with its schema. */
export const json = <S extends z.ZodType>(schema: S, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

/** A required JSON request body. */
export const jsonBody = <S extends z.ZodType>(schema: S, description?: string) => ({
  required: true as const,
  ...(description ? { description } : {}),
  content: { "application/json": { schema } },
});

/** `Retry-After` on `429 rate_limited`. */
export const RetryAfter = {
  "Retry-After": { description: "Seconds to wait before trying again, when waiting helps.", schema: { type: "integer" as const } },
};

const codesFor = (status: number) => ErrorCode.options.filter((code) => ERROR_STATUS[code] === status);

/**
 * Error responses for `statuses`, each naming the error codes answered with
 * that status (from the one table `AppError` uses), plus `default` for
 * anything else (`internal`, 500).
 */
export function errors(...statuses: number[]) {
  const out: Record<string, ReturnType<typeof json<typeof ErrorSchema>> & { headers?: typeof RetryAfter }> = {};
  for (const status of statuses) {
    const codes = codesFor(status);
    const response = json(ErrorSchema, `Error${codes.length ? `: ${codes.map((c) => `\`${c}\``).join(", ")}` : ""}.`);
    out[status] = status === 429 ? { ...response, headers: RetryAfter } : response;
  }
  out.default = json(ErrorSchema, "Any other error (`internal`, 500).");
  return out;
}

/** A path parameter that is an opaque id. */
export const idParam = (description: string) => openapi(z.string().min(1), { description });

/** The candidate or interviewer link's secret token, the last segment of the link's URL. */
export const LinkToken = openapi(z.string(), {
  description: "The link's secret token (the last path segment of the candidate or interviewer URL). It is the credential.",
});

/** The optional header that makes a creating POST safe to retry. */
export const IdempotencyHeaders = z.object({
  [IDEMPOTENCY_KEY_HEADER]: openapi(IdempotencyKey.optional(), {
    description:
      "Makes the request safe to retry: the first response (below 500) is stored for 24 hours and replayed, with `Idempotent-Replayed: true`, to a retry with the same key and body.",
  }),
});


const components = new Map<string, { source: z.ZodType; named: z.ZodType }>();

/**
 * `schema` as the named component `name` (`#/components/schemas/<name>`), so
 * generated clients get a type of that name. The same name always gives the
 * same instance; reusing a name for another schema is a programming error.
 */
export function component<S extends z.ZodType>(name: string, schema: S): S {
  const known = components.get(name);
  if (known) {
    if (known.source !== schema) throw new Error(`OpenAPI component ${name} is already another schema`);
    return known.named as S;
  }
  const named = openapi(schema, name);
  components.set(name, { source: schema, named });
  return named;
}
