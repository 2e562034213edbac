import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Env } from "hono";
import { z } from "zod";
import { StreamEvent } from "../../shared/interview.js";
import { SCHEMES } from "./parts.js";
import { registerWebhooks } from "./webhooks.js";

/** The OpenAPI 3.1 document the kit serves. */
export type OpenApiDocument = ReturnType<OpenAPIHono["getOpenAPI31Document"]>;

export interface DocumentInfo {
  /** The kit's version (package.json). */
  version: string;
  /** Where the kit is reached (PUBLIC_URL). */
  publicUrl: string;
}

const DESCRIPTION = [
  "The kit's public API: `/v1/interviews`, API keys and webhook endpoints (API key, `Authorization: Bearer <key>`),",
  "and the candidate and interviewer pages' APIs under `/v1/candidate/{token}` and `/v1/interviewer/{token}`, where the link's secret token is the credential.",
  "Every error answers `{ error: { code, message, field? }, requestId }`; clients switch on `code`.",
  "The events the kit POSTs to registered endpoints are under `webhooks`.",
].join(" ");

/**
 * Adds what is not a route to the app's registry — the security schemes and
 * the outgoing webhooks — and returns the function that builds the document
 * (once, on first use, when every route group has been mounted).
 */
export function openApiDocument<E extends Env>(app: OpenAPIHono<E>, info: DocumentInfo): () => OpenApiDocument {
  const registry = app.openAPIRegistry;
  registry.registerComponent("securitySchemes", SCHEMES.apiKey, {
    type: "http",
    scheme: "bearer",
    description: "An API key: configured (`API_KEYS`) or made with `POST /v1/api-keys`.",
  });
  registry.registerComponent("securitySchemes", SCHEMES.candidateSession, {
    type: "apiKey",
    in: "header",
    name: "X-Candidate-Session",
    description: "The session key from `POST /v1/candidate/{token}/session`, with the link token in the path.",
  });
  // The data of each `interview` message on the SSE streams, which the operations can only name in prose.
  // Converted by zod itself: `registry.register` would call `.openapi()` on a schema made before zod was extended.
  const { $schema: _, ...streamEvent } = z.toJSONSchema(StreamEvent, { target: "draft-2020-12" });
  registry.registerComponent("schemas", "StreamEvent", streamEvent as never);
  registerWebhooks(registry);
  let document: OpenApiDocument | undefined;
  return () =>
    (document ??= app.getOpenAPI31Document({
      openapi: "3.1.0",
      info: { title: "Interview verification kit API", version: info.version, description: DESCRIPTION },
      servers: [{ url: info.publicUrl }],
      tags: [
        { name: "Interviews", description: "Create interviews and read their timelines, reports and snapshots." },
        { name: "API keys", description: "Make, list and revoke API keys." },
        { name: "Webhooks", description: "Register endpoints for the outgoing events, and read their delivery logs." },
        { name: "Candidate", description: "The candidate page's API; the link token is the credential." },
        { name: "Interviewer", description: "The interviewer page's API; the link token is the credential." },
      ],
    }));
}
