import fs from "node:fs";
import path from "node:path";
import { type Context, Hono } from "hono";
import { serveStatic } from "@hono/node-server/serve-static";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../http/env.js";
import { EMBED_ORIGIN_META } from "../../shared/embed.js";
import { type AssetPaths, FACE_MODEL_URL_PATH } from "./assets.js";

const IMMUTABLE = "public, max-age=31536000, immutable";

/** The Content-Security-Policy of the kit's HTML; pages differ only in who may frame them. */
export function pageCsp(livekitOrigin: string, frameAncestors: string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    `connect-src 'self' ${livekitOrigin} ${livekitOrigin.replace(/^ws/, "http")}`,
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "style-src 'self' 'unsafe-inline'",
    "worker-src 'self' blob:",
    `frame-ancestors ${frameAncestors.join(" ")}`,
  ].join("; ");
}

/**
 * App-wide: any HTML response that did not set its own policy (the dashboard,
 * `/app/*.html`, anything added later) gets the page CSP with
 * `frame-ancestors 'self'` and `X-Frame-Options: SAMEORIGIN`.
 */
export function htmlSecurityHeaders(livekitOrigin: string) {
  const csp = pageCsp(livekitOrigin, ["'self'"]);
  return createMiddleware<AppEnv>(async (c, next) => {
    await next();
    if (!c.res.headers.get("content-type")?.startsWith("text/html")) return;
    if (!c.res.headers.has("content-security-policy")) c.res.headers.set("Content-Security-Policy", csp);
    // Older browsers read X-Frame-Options; it can only say SAMEORIGIN, so pages other origins may frame go without.
    const selfOnly = /frame-ancestors 'self'(;|$)/.test(c.res.headers.get("content-security-policy")!);
    if (selfOnly && !c.res.headers.has("x-frame-options")) c.res.headers.set("X-Frame-Options", "SAMEORIGIN");
  });
}

/**
 * Pages and static files: the candidate page at `/c/:token`, the interviewer
 * page at `/i/:token`, the Vite bundle under `/app/`, and the self-hosted
 * MediaPipe WASM and model. Nothing is loaded from a CDN.
 */
export function pageRoutes(
  paths: AssetPaths,
  livekitOrigin: string,
  embedAllowedOrigins: readonly string[] = [],
  /** The kit's own origin, which may always embed its pages; `'self'` covers it in the CSP, not in `embed_origin`. */
  kitOrigin?: string,
) {
  const html = (name: string) => {
    let cached: string | undefined;
    return () => (cached ??= fs.readFileSync(path.join(paths.clientDir, name, "index.html"), "utf8"));
  };
  const candidateHtml = html("candidate");
  const interviewerHtml = html("interviewer");
  const dashboardHtml = html("dashboard");
  // Read once, like the pages: every candidate and interviewer downloads the same 225 KB model.
  let faceModel: Uint8Array<ArrayBuffer> | undefined;

  // The candidate and interviewer pages may be framed by the configured HR tools (EMBED_ALLOWED_ORIGINS);
  // the dashboard and every other page only by the kit itself (`htmlSecurityHeaders`, app-wide).
  const embedCsp = pageCsp(livekitOrigin, ["'self'", ...embedAllowedOrigins]);
  const widgetOrigins = new Set([...(kitOrigin ? [kitOrigin] : []), ...embedAllowedOrigins]);

  const page =
    (render: () => string, embeddable = false) =>
    (c: Context<AppEnv>) => {
      c.header("Cache-Control", "no-store");
      c.header("Referrer-Policy", "no-referrer");
      if (!embeddable) return c.html(render());
      const embedOrigin = c.req.query("embed_origin");
      if (embedOrigin === undefined) {
        c.header("Content-Security-Policy", embedCsp);
        return c.html(render());
      }
      // The widget (`/embed.js`) names its page's origin. Allowed: only that origin may frame this response, so the
      // frame's parent is that origin and the page may post events to it. Anything else: no one may frame it.
      if (!widgetOrigins.has(embedOrigin)) {
        c.header("Content-Security-Policy", pageCsp(livekitOrigin, ["'none'"]));
        c.header("X-Frame-Options", "DENY");
        return c.html(render());
      }
      c.header("Content-Security-Policy", pageCsp(livekitOrigin, [embedOrigin]));
      return c.html(withEmbedOrigin(render(), embedOrigin));
    };

  return new Hono<AppEnv>()
    .get("/", page(dashboardHtml))
    .get("/c/:token", page(candidateHtml, true))
    .get("/i/:token", page(interviewerHtml, true))
    .use(
      "/app/*",
      serveStatic({
        root: paths.clientDir,
        precompressed: true,
        rewriteRequestPath: (p) => p.replace(/^\/app/, ""),
        onFound: (_p, c) => {
          c.header("Cache-Control", c.req.path.includes("/assets/") ? IMMUTABLE : "no-cache");
        },
      }),
    )
    .use(
      "/vendor/*",
      serveStatic({
        root: paths.publicDir,
        precompressed: true,
        onFound: (_p, c) => {
          c.header("Cache-Control", IMMUTABLE);
        },
      }),
    )
    .get(FACE_MODEL_URL_PATH, (c) => {
      faceModel ??= new Uint8Array(fs.readFileSync(paths.faceModelPath));
      const body = faceModel;
      c.header("Content-Type", "application/octet-stream");
      c.header("Cache-Control", "public, max-age=86400");
      return c.body(body);
    });
}

const attr = (v: string) => v.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

function withEmbedOrigin(html: string, origin: string): string {
  return html.replace("</head>", `<meta name="${EMBED_ORIGIN_META}" content="${attr(origin)}" />\n</head>`);
}
