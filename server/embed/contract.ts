import { createRoute, z } from "@hono/zod-openapi";
import { CompletionGrant, CompletionRequest } from "../../shared/embed.js";
import { CANDIDATE_SESSION, component, errors, json, jsonBody, LinkToken } from "../openapi/parts.js";

/** The described routes of `/v1/embed`: what the widget's frame asks the kit for. */
export const embedContract = {
  completion: createRoute({
    method: "post",
    path: "/candidate/{token}/completion",
    tags: ["Widget"],
    security: CANDIDATE_SESSION,
    summary: "A signed completion token for a verified session",
    description:
      "A short-lived ES256 JWT for the embedding origin (`audience`, one of `EMBED_ALLOWED_ORIGINS`), minted only for a session whose pass the server recorded. Verify it against `/.well-known/jwks.json`.",
    request: { params: z.object({ token: LinkToken }), body: jsonBody(component("CompletionRequest", CompletionRequest)) },
    responses: {
      200: json(component("CompletionGrant", CompletionGrant), "The token and when it expires."),
      ...errors(400, 401, 403, 404, 410, 429),
    },
  }),
};
