import { OpenAPIHono } from "@hono/zod-openapi";
import { type Context, Hono } from "hono";
import { serve } from "../openapi/index.js";
import { embedContract as route } from "./contract.js";
import { type CandidateEnv, type CandidateLimits, candidateContext, rateLimit, requireSession } from "../candidate/index.js";
import { notFound } from "../errors/index.js";
import type { Store } from "../store/index.js";
import type { EmbedScript } from "./script.js";
import type { EmbedService } from "./service.js";

const IMMUTABLE = "public, max-age=31536000, immutable";
/** `/embed.js` and the declarations: a deployment's new widget reaches host pages within five minutes. */
const SHORT = "public, max-age=300";

/**
 * Host pages on other origins load the widget's files, as classic or module scripts: the app-wide
 * `Cross-Origin-Resource-Policy: same-origin` would block them, and a module script needs CORS.
 */
function crossOrigin(c: Context): void {
  c.header("Cross-Origin-Resource-Policy", "cross-origin");
  c.header("Access-Control-Allow-Origin", "*");
}

export interface EmbedRouteDeps {
  service: EmbedService;
  script: EmbedScript;
  store: Store;
  limits: CandidateLimits;
  now: () => Date;
}

/**
 * The widget's routes: the script host pages load (`/embed.js` → the hashed,
 * immutable `/embed/embed.<hash>.js`), the JWKS a host's backend verifies
 * completion tokens with, and the completion token itself for a verified
 * candidate session (same link and session credentials as the candidate API).
 */
export function embedRoutes(deps: EmbedRouteDeps) {
  const { service, script } = deps;
  return (
    new Hono<CandidateEnv>()
      .get("/embed.js", (c) => {
        const manifest = script.current();
        if (!manifest) throw notFound("The widget script (run npm run build)");
        crossOrigin(c);
        c.header("Cache-Control", SHORT);
        return c.redirect(`/embed/${manifest.script}`, 302);
      })
      .get("/embed/:file", (c) => {
        const file = script.file(c.req.param("file"));
        if (!file) throw notFound("Widget file");
        crossOrigin(c);
        const accepts = c.req.header("accept-encoding") ?? "";
        const [body, encoding] =
          file.br && /\bbr\b/.test(accepts) ? [file.br, "br"] : file.gzip && /\bgzip\b/.test(accepts) ? [file.gzip, "gzip"] : [file.body, undefined];
        c.header("Content-Type", file.contentType);
        c.header("Cache-Control", file.immutable ? IMMUTABLE : SHORT);
        c.header("Vary", "Accept-Encoding");
        if (encoding) c.header("Content-Encoding", encoding);
        return c.body(body);
      })
      .get("/.well-known/jwks.json", async (c) => {
        c.header("Cache-Control", SHORT);
        // A host may verify in the browser too; the keys are public.
        c.header("Access-Control-Allow-Origin", "*");
        return c.json(await service.jwks());
      })
  );
}

/** `/v1/embed`: the completion token for a verified candidate session (same link and session credentials as the candidate API). */
export function embedApiRoutes(deps: EmbedRouteDeps) {
  const app = new OpenAPIHono<CandidateEnv>();
  app.use("/candidate/:token/*", rateLimit(deps.limits), candidateContext(deps.store, deps.now));
  serve(app, route.completion, async (c, { body }) => {
    const session = requireSession(c.get("session"));
    c.header("Cache-Control", "no-store");
    return c.json(await deps.service.completion(c.get("interview"), session, body.audience));
  });
  return app;
}
