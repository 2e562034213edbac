/**
 * The OpenAPI contract (`/openapi.json`, `/docs`): the document is valid
 * OpenAPI 3.1, describes exactly the /v1 routes the app registers (and no
 * internal ones), lists every outgoing webhook event, and the reference page
 * loads nothing from outside the kit. Responses against their declared
 * schemas: `openapi-responses.test.ts`.
 */
import { gunzipSync } from "node:zlib";
import { Validator } from "@seriousme/openapi-schema-validator";
import { beforeAll, describe, expect, it } from "vitest";
import { WebhookEvent, WebhookEventType } from "../shared/webhooks.js";
import type { LiveKitSettings } from "../server/livekit/index.js";
import { testApp } from "./helpers/app.js";
import { openApiPath } from "./helpers/contract.js";
import { sharedLiveKit } from "./helpers/livekit.js";

let livekit: LiveKitSettings;
beforeAll(async () => {
  livekit = await sharedLiveKit();
});

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, { security?: Array<Record<string, string[]>>; responses: Record<string, unknown> }>>;
  webhooks: Record<string, { post: { requestBody: { content: { "application/json": { schema: { $ref: string } } } } } }>;
  components: { schemas: Record<string, { properties?: { type?: { const?: string; enum?: string[] }; interviewId?: unknown } }>; securitySchemes: Record<string, unknown> };
};

async function documentOf(app: ReturnType<typeof testApp>["app"]): Promise<Doc> {
  const res = await app.request("/openapi.json");
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  return (await res.json()) as Doc;
}

const METHODS = ["get", "post", "put", "patch", "delete"];

describe("/openapi.json", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const doc = await documentOf(testApp({ livekit }).app);
    expect(doc.openapi).toBe("3.1.0");
    const validator = new Validator();
    const result = await validator.validate(doc as never);
    if (!result.valid) console.error("OpenAPI validation errors:", JSON.stringify(result.errors, null, 2));
    expect(validator.version).toBe("3.1");
    expect(result.valid).toBe(true);
  });

  it("describes every /v1 route the app registers, and nothing else", async () => {
    const { app } = testApp({ livekit });
    const doc = await documentOf(app);
    // Handlers and per-method middleware both register a method; `use` registers ALL.
    const registered = new Set(
      app.routes.filter((r) => r.method !== "ALL" && r.path.startsWith("/v1/")).map((r) => `${r.method.toLowerCase()} ${openApiPath(r.path)}`),
    );
    expect(registered.size).toBeGreaterThanOrEqual(30);
    const described = new Set(
      Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).filter((m) => METHODS.includes(m)).map((m) => `${m} ${path}`)),
    );
    expect([...registered].filter((r) => !described.has(r)), "registered but not described").toEqual([]);
    expect([...described].filter((d) => !registered.has(d)), "described but not registered").toEqual([]);
    // The verifier's and monitor's callbacks, LiveKit's webhook and the pages are not the public API.
    expect(Object.keys(doc.paths).filter((p) => !p.startsWith("/v1/"))).toEqual([]);
  });

  it("declares the API key on the API-key routes and only the link (and session) on the candidate and interviewer routes", async () => {
    const doc = await documentOf(testApp({ livekit }).app);
    expect(doc.components.securitySchemes).toMatchObject({
      apiKey: { type: "http", scheme: "bearer" },
      candidateSession: { type: "apiKey", in: "header", name: "X-Candidate-Session" },
    });
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const schemes = (op.security ?? []).flatMap((s) => Object.keys(s));
        if (/^\/v1\/(candidate|interviewer|embed\/candidate)\//.test(path)) expect(schemes, `${method} ${path}`).not.toContain("apiKey");
        else expect(schemes, `${method} ${path}`).toEqual(["apiKey"]);
        // Every operation says what its errors look like.
        expect(Object.keys(op.responses), `${method} ${path}`).toContain("default");
      }
    }
    expect(doc.paths["/v1/candidate/{token}/camera"]!.post!.security).toEqual([{ candidateSession: [] }]);
    expect(doc.paths["/v1/candidate/{token}"]!.get!.security).toEqual([]);
  });

  it("lists every outgoing webhook event under webhooks, with its own payload schema", async () => {
    const doc = await documentOf(testApp({ livekit }).app);
    const inUnion = WebhookEvent.options.map((o) => o.shape.type.value);
    // The enum endpoints subscribe with, the union the dispatcher sends, and the document all agree.
    expect([...inUnion].sort()).toEqual([...WebhookEventType.options].sort());
    expect(Object.keys(doc.webhooks).sort()).toEqual([...inUnion].sort());
    for (const type of inUnion) {
      const ref = doc.webhooks[type]!.post.requestBody.content["application/json"].schema.$ref;
      const schema = doc.components.schemas[ref.replace("#/components/schemas/", "")];
      const declaredType = schema?.properties?.type;
      expect(declaredType?.const ?? declaredType?.enum?.[0], `${type} payload`).toBe(type);
    }
    // The SSE streams' message data is a named schema too.
    expect(doc.components.schemas.StreamEvent?.properties).toHaveProperty("interviewId");
  });

  it("names the error codes of each error status from the one status table", async () => {
    const doc = await documentOf(testApp({ livekit }).app);
    const create = doc.paths["/v1/interviews"]!.post!.responses as Record<string, { description: string }>;
    expect(create["400"]!.description).toContain("`validation_failed`");
    expect(create["400"]!.description).toContain("`invalid_json`");
    expect(create["422"]!.description).toContain("`idempotency_mismatch`");
    expect(create["400"]!.description).not.toContain("`not_found`");
  });
});

describe("/docs", () => {
  it("loads only the kit's own assets: no CDN, no web fonts, a CSP that allows nothing else", async () => {
    const { app } = testApp({ livekit });
    const res = await app.request("/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    const scripts = [...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBe(1);
    for (const src of scripts) expect(src, "script from another origin").toMatch(/^\/(?!\/)/);
    expect(html).not.toMatch(/<link\b[^>]*href="(https?:)?\/\//);
    expect(html).not.toMatch(/@import|url\((["']?)(https?:)?\/\//);
    expect(html).not.toContain("cdn.jsdelivr.net");
    expect(html).toMatch(/"withDefaultFonts":\s*false/);
    expect(html).toMatch(/"url":\s*"\/openapi\.json"/);

    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("font-src 'self' data:");
    expect(csp).not.toMatch(/https?:/);
    // The inline start-up script runs on this response's nonce, and only it.
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    const inline = [...html.matchAll(/<script\b(?![^>]*\bsrc=)[^>]*>/g)].map((m) => m[0]);
    expect(inline.length).toBeGreaterThan(0);
    for (const tag of inline) expect(tag).toContain(`nonce="${nonce}"`);
    const again = await app.request("/docs");
    expect(again.headers.get("content-security-policy")).not.toContain(nonce);

    const asset = await app.request(scripts[0]!);
    expect(asset.status).toBe(200);
    expect(asset.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(asset.headers.get("x-content-type-options")).toBe("nosniff");
    const js = await asset.text();
    expect(js.length).toBeGreaterThan(1_000_000);
    expect(js).toContain("createApiReference");
  });

  it("serves the bundle gzipped to clients that accept it", async () => {
    const { app } = testApp({ livekit });
    const html = await (await app.request("/docs")).text();
    const src = /<script\b[^>]*\bsrc="([^"]+)"/.exec(html)![1]!;
    const plain = Buffer.from(await (await app.request(src)).arrayBuffer());
    const gz = await app.request(src, { headers: { "accept-encoding": "gzip, br" } });
    expect(gz.headers.get("content-encoding")).toBe("gzip");
    expect(gz.headers.get("vary")).toMatch(/accept-encoding/i);
    const zipped = Buffer.from(await gz.arrayBuffer());
    expect(zipped.length).toBeLessThan(plain.length / 2);
    expect(gunzipSync(zipped).equals(plain)).toBe(true);
  });
});
