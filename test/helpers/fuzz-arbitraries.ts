/**
 * The fast-check arbitraries behind the API fuzz suite (test/fuzz.test.ts,
 * through ./fuzz.ts): garbage headers, mutated and hostile JSON bodies, odd
 * path segments, and whole requests for one endpoint.
 */
import fc from "fast-check";
import { TEST_API_KEY } from "./app.js";

/** One fuzzable endpoint: a method and a Hono path pattern such as `/v1/candidate/:token/camera`. */
export interface Endpoint {
  method: string;
  path: string;
}

/** Header values a real HTTP parser lets through: no CR/LF/NUL, Latin-1 only (fetch's ByteString). */
const headerSafe = (s: string) => s.replace(/[^\t\x20-\x7e\x80-\xff]/g, "");

const weird = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme" }),
  fc.string({ unit: "binary" }),
  fc.constantFrom("", " ", "\u0000", "\u202e", "\ud800", "💥".repeat(50), "null", "undefined", "NaN", "-1", "1e309", "0x10", "[]", "{}"),
);

const HUGE = {
  /** Just over the public API's 256 KB limit. */
  api: "x".repeat(256 * 1024 + 1),
  /** Just over the webhook's 64 KB limit. */
  webhook: "y".repeat(64 * 1024 + 1),
  /** Over the verifier report's 2 MB limit. */
  verifier: "z".repeat(2 * 1024 * 1024 + 1),
  /** Long but under the limits: a field far longer than any schema allows. */
  field: "w".repeat(100_000),
};

/** Header strings: garbage, and long ones. */
const garbageHeader = fc.oneof(
  { weight: 4, arbitrary: weird.map(headerSafe) },
  { weight: 1, arbitrary: fc.nat({ max: 20_000 }).map((n) => "a".repeat(n)) },
);

const prototypeKeys = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf"];

/** JSON text whose objects carry prototype-pollution keys as own properties. */
const pollutingJson = fc
  .tuple(fc.constantFrom(...prototypeKeys), fc.jsonValue(), fc.constantFrom(...prototypeKeys))
  .map(([k, v, k2]) => `{"${k}":{"polluted":true,"${k2}":{"polluted":true}},"candidate":{"${k}":${JSON.stringify(v)},"name":"A"},"type":"progress"}`);

/** Nested arrays or objects, deep enough to trouble a recursive parser or validator. */
const deepJson = fc.tuple(fc.integer({ min: 10, max: 20_000 }), fc.boolean()).map(([depth, objects]) =>
  objects ? `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}` : `${"[".repeat(depth)}${"]".repeat(depth)}`,
);

/** Replaces, deletes or adds one key somewhere in a valid body. */
function mutate(base: unknown, path: number[], value: unknown, del: boolean, extraKey: string | undefined): unknown {
  const copy = structuredClone(base) as Record<string, unknown>;
  if (copy === null || typeof copy !== "object") return value;
  let target: Record<string, unknown> = copy;
  for (const step of path) {
    const keys = Object.keys(target);
    if (!keys.length) break;
    const key = keys[step % keys.length]!;
    const child = target[key];
    if (child === null || typeof child !== "object") break;
    target = child as Record<string, unknown>;
  }
  const keys = Object.keys(target);
  if (extraKey !== undefined) {
    Object.defineProperty(target, extraKey, { value, enumerable: true, configurable: true, writable: true });
  } else if (keys.length) {
    const key = keys[(path[0] ?? 0) % keys.length]!;
    if (del) delete target[key];
    else target[key] = value;
  }
  return copy;
}

/** A value of any JSON type, including numbers JSON cannot carry exactly. */
const anyJsonValue = fc.oneof(
  fc.jsonValue(),
  weird,
  fc.constantFrom(HUGE.field, -0, Number.MAX_SAFE_INTEGER + 2, 1e308, -1e308, 5e-324, 0.1, -1, 2 ** 31, 2 ** 63),
);

/**
 * Request bodies: none, arbitrary JSON, mutations of a valid body, wrong
 * types, prototype-pollution keys, deep nesting, non-JSON, and oversized.
 */
export function bodyArbitrary(templates: unknown[], huge: keyof typeof HUGE) {
  const template = fc.constantFrom(...(templates.length ? templates : [{}]));
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant(undefined) },
    { weight: 4, arbitrary: template.map((t) => JSON.stringify(t)) },
    {
      weight: 8,
      arbitrary: fc
        .tuple(template, fc.array(fc.nat(), { maxLength: 3 }), anyJsonValue, fc.boolean(), fc.option(fc.oneof(fc.constantFrom(...prototypeKeys), fc.string())))
        .map(([t, path, v, del, extra]) => JSON.stringify(mutate(t, path, v, del, extra ?? undefined)) ?? "null"),
    },
    { weight: 4, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
    { weight: 2, arbitrary: pollutingJson },
    { weight: 1, arbitrary: deepJson },
    { weight: 2, arbitrary: weird },
    { weight: 1, arbitrary: fc.constantFrom(`{"pad":"${HUGE[huge]}"}`, HUGE[huge], `{"candidate":{"name":"${HUGE.field}"}}`) },
  );
}

const contentTypes = fc.oneof(
  { weight: 6, arbitrary: fc.constant("application/json") },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      undefined,
      "text/plain",
      "application/json; charset=utf-16",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=xyz",
      "application/webhook+json",
      "json",
      "",
    ),
  },
  { weight: 1, arbitrary: garbageHeader },
);

/** Path segments: the real value some of the time, else random, long, or URL-encoding oddities. */
export function segmentArbitrary(valid: string[]) {
  const oddities = fc.constantFrom(
    "%",
    "%zz",
    "%00",
    "%2F",
    "%2e%2e",
    "..",
    ".",
    "%E0%A4%A",
    "%C0%AF",
    "%ff%fe",
    "%25",
    "A".repeat(43),
    "A".repeat(42) + "%",
    "iv_x",
    "0",
    "-1",
    "1.5",
    "1e400",
    "99999999999999999999",
    "NaN",
    "constructor",
    "__proto__",
  );
  return fc.oneof(
    { weight: valid.length ? 5 : 0, arbitrary: valid.length ? fc.constantFrom(...valid) : fc.constant("x") },
    { weight: 3, arbitrary: weird.filter((s) => s.length > 0).map((s) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, "?"))) },
    { weight: 2, arbitrary: oddities },
    { weight: 1, arbitrary: fc.nat({ max: 10_000 }).map((n) => "b".repeat(n + 1)) },
  );
}

/** What the generator may use as valid values for one route. */
export interface RouteContext {
  params: Record<string, string[]>;
  authorizations: string[];
  sessionKeys: string[];
  templates: unknown[];
  huge: keyof typeof HUGE;
}

export interface FuzzRequest {
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/** One generated request for `endpoint`. */
export function requestArbitrary(endpoint: Endpoint, ctx: RouteContext): fc.Arbitrary<FuzzRequest> {
  const names = [...endpoint.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  const params = fc.tuple(...names.map((n) => segmentArbitrary(ctx.params[n] ?? [])));
  const option = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 3 });
  const authorization = option(
    fc.oneof(
      { weight: ctx.authorizations.length ? 4 : 0, arbitrary: ctx.authorizations.length ? fc.constantFrom(...ctx.authorizations) : fc.constant("") },
      { weight: 3, arbitrary: garbageHeader.map((g) => `Bearer ${g}`) },
      { weight: 1, arbitrary: fc.constantFrom("Bearer", "Basic dXNlcjpwYXNz", "eyJhbGciOiJIUzI1NiJ9.e30.bad", "eyJhbGciOiJub25lIn0.e30.", `bearer ${TEST_API_KEY}`, `Bearer  ${TEST_API_KEY} x`) },
      { weight: 2, arbitrary: garbageHeader },
    ),
  );
  const session = option(
    fc.oneof(
      { weight: ctx.sessionKeys.length ? 3 : 0, arbitrary: ctx.sessionKeys.length ? fc.constantFrom(...ctx.sessionKeys) : fc.constant("") },
      { weight: 2, arbitrary: garbageHeader },
    ),
  );
  const forwarded = option(
    fc.oneof(
      fc.ipV4().map((ip) => `${ip}, 10.0.0.1`),
      fc.ipV6(),
      garbageHeader,
      fc.array(fc.oneof(fc.ipV4(), garbageHeader), { maxLength: 50 }).map((a) => a.join(",")),
    ),
  );
  const query = option(fc.dictionary(fc.constantFrom("limit", "offset", "x", "__proto__"), weird, { maxKeys: 3 }));
  return fc
    .record({
      params,
      query,
      contentType: contentTypes,
      authorization,
      session,
      forwarded,
      userAgent: option(garbageHeader),
      body: bodyArbitrary(ctx.templates, ctx.huge),
    })
    .map(({ params: values, query: q, contentType, authorization: auth, session: key, forwarded: xff, userAgent, body }) => {
      let i = 0;
      let url = endpoint.path.replace(/:(\w+)/g, () => values[i++]!);
      if (q) url += `?${Object.entries(q).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v.replace(/[\ud800-\udfff]/g, "?"))}`).join("&")}`;
      const headers: Record<string, string> = {};
      if (contentType !== undefined) headers["content-type"] = headerSafe(contentType);
      if (auth !== undefined) headers.authorization = headerSafe(auth);
      if (key !== undefined) headers["x-candidate-session"] = headerSafe(key);
      if (xff !== undefined) headers["x-forwarded-for"] = headerSafe(xff);
      if (userAgent !== undefined) headers["user-agent"] = headerSafe(userAgent);
      return { url, headers, body: endpoint.method === "GET" || endpoint.method === "HEAD" ? undefined : body };
    });
}
