import fs from "node:fs";
import path from "node:path";
import { type Context, Hono } from "hono";
import { serveStatic } from "@hono/node-server/serve-static";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "../http/env.js";
import { type AssetPaths, FACE_MODEL_URL_PATH } from "./assets.js";

const IMMUTABLE = "public, max-age=31536000, immutable";

/**
 * Pages and static files: the candidate page at `/c/:token`, the interviewer
 * page at `/i/:token`, the Vite bundle under `/app/`, and the self-hosted
 * MediaPipe WASM and model. Nothing is loaded from a CDN.
 */
export function pageRoutes(paths: AssetPaths, livekitOrigin: string) {
  const html = (name: string) => {
    let cached: string | undefined;
    return () => (cached ??= fs.readFileSync(path.join(paths.clientDir, name, "index.html"), "utf8"));
  };
  const candidateHtml = html("candidate");
  const interviewerHtml = html("interviewer");
  const dashboardHtml = html("dashboard");
  // Read once, like the pages: every candidate and interviewer downloads the same 225 KB model.
  let faceModel: Uint8Array<ArrayBuffer> | undefined;

  const headers = secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
      connectSrc: ["'self'", livekitOrigin, livekitOrigin.replace(/^ws/, "http")],
      imgSrc: ["'self'", "data:", "blob:"],
      mediaSrc: ["'self'", "blob:"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      workerSrc: ["'self'", "blob:"],
      frameAncestors: ["*"],
    },
    // The widget is embeddable in HR tools' pages, so framing is governed by CSP, not X-Frame-Options.
    xFrameOptions: false,
    permissionsPolicy: { camera: ["self"], microphone: ["self"] },
  });

  const page = (render: () => string) => (c: Context<AppEnv>) => {
    c.header("Cache-Control", "no-store");
    c.header("Referrer-Policy", "no-referrer");
    return c.html(render());
  };

  return new Hono<AppEnv>()
    .use("/c/*", headers)
    .use("/i/*", headers)
    .get("/", headers, page(dashboardHtml))
    .get("/c/:token", page(candidateHtml))
    .get("/i/:token", page(interviewerHtml))
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
