import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import { Scalar } from "@scalar/hono-api-reference";
import { Hono } from "hono";
import type { AppEnv } from "../http/env.js";
import type { OpenApiDocument } from "./document.js";

const require = createRequire(import.meta.url);
/** The Scalar package's folder; its exports map hides package.json, so go from its entry point. */
const scalarDir = path.resolve(path.dirname(require.resolve("@scalar/api-reference")), "..");
const SCALAR_VERSION: string = JSON.parse(fs.readFileSync(path.join(scalarDir, "package.json"), "utf8")).version;

/** URL of the self-hosted Scalar bundle; versioned, so it can be cached for a year. */
export const DOCS_ASSET_PATH = `/docs/assets/scalar-api-reference-${SCALAR_VERSION}.js`;

/**
 * The reference page's policy: scripts only from the kit and the page's own
 * nonce'd inline start-up script, and nothing fetched from anywhere else —
 * fonts, images, API calls ("try it") included.
 */
export function docsCsp(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'self'",
  ].join("; ");
}

/** Scalar's standalone bundle, read and gzipped once, on first request. */
function scalarBundle() {
  let plain: Promise<Buffer> | undefined;
  let gzipped: Promise<Buffer> | undefined;
  const read = () => (plain ??= fs.promises.readFile(path.join(scalarDir, "dist/browser/standalone.js")));
  return { plain: read, gzipped: () => (gzipped ??= read().then((b) => promisify(gzip)(b))) };
}

/**
 * `GET /openapi.json` (the OpenAPI 3.1 document) and `GET /docs` (a reference
 * page rendered by Scalar from it). Everything the page loads is served here:
 * no CDN, no web fonts, no telemetry, and a CSP that would block them anyway.
 */
export function openApiRoutes(document: () => OpenApiDocument) {
  const bundle = scalarBundle();
  return new Hono<AppEnv>()
    .get("/openapi.json", (c) => {
      c.header("Cache-Control", "no-cache");
      return c.json(document());
    })
    .get(DOCS_ASSET_PATH, async (c) => {
      c.header("Content-Type", "text/javascript; charset=utf-8");
      c.header("Cache-Control", "public, max-age=31536000, immutable");
      c.header("Vary", "Accept-Encoding");
      if (/\bgzip\b/.test(c.req.header("accept-encoding") ?? "")) {
        c.header("Content-Encoding", "gzip");
        return c.body(new Uint8Array(await bundle.gzipped()));
      }
      return c.body(new Uint8Array(await bundle.plain()));
    })
    .get("/docs", (c, next) => {
      const nonce = randomBytes(16).toString("base64");
      c.header("Content-Security-Policy", docsCsp(nonce));
      c.header("Cache-Control", "no-store");
      const page = Scalar<AppEnv>({
        pageTitle: "Interview verification kit API",
        url: "/openapi.json",
        cdn: DOCS_ASSET_PATH,
        nonce,
        // Scalar's defaults reach out to fonts.scalar.com and its own services; the kit loads nothing from outside.
        withDefaultFonts: false,
        telemetry: false,
        showDeveloperTools: "never",
        agent: { disabled: true },
        mcp: { disabled: true },
      });
      return page(c, next);
    });
}
