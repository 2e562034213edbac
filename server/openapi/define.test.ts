import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import { onError } from "../errors/index.js";
import { serve } from "./define.js";
import { errors, json, jsonBody } from "./parts.js";

const Body = z.strictObject({ name: z.string().min(1) });
const Out = z.object({ id: z.string(), name: z.string(), limit: z.number() });

function app() {
  const a = new OpenAPIHono();
  const create = createRoute({
    method: "post",
    path: "/things/{id}",
    request: { params: z.object({ id: z.string() }), query: z.object({ limit: z.coerce.number().int().min(1).default(5) }), body: jsonBody(Body) },
    responses: { 201: json(Out, "Made."), ...errors(400) },
  });
  const optional = createRoute({
    method: "post",
    path: "/optional",
    request: { body: { required: false, content: { "application/json": { schema: Body } } } },
    responses: { 200: json(z.object({ got: Body.nullable() }), "Echo.") },
  });
  serve(a, create, (c, { params, query, body }) => c.json({ id: params.id, name: body.name, limit: query.limit }, 201));
  serve(a, optional, (c, { body }) => c.json({ got: body ?? null }));
  a.onError(onError);
  return a;
}

const post = (a: OpenAPIHono, url: string, body?: string, type?: string) =>
  a.request(url, { method: "POST", body, headers: type ? { "content-type": type } : {} });

describe("serve", () => {
  it("serves the route at its Hono path with checked params, query and body, and records it for the document", async () => {
    const a = app();
    const res = await post(a, "/things/t1?limit=7", JSON.stringify({ name: "x" }), "application/json");
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ id: "t1", name: "x", limit: 7 });
    expect(a.routes.map((r) => `${r.method} ${r.path}`)).toContain("POST /things/:id");
    const doc = a.getOpenAPI31Document({ openapi: "3.1.0", info: { title: "t", version: "1" } });
    expect(Object.keys(doc.paths!)).toEqual(["/things/{id}", "/optional"]);
  });

  it("answers bad input with the kit's own codes: invalid_json, validation_failed naming the field", async () => {
    const a = app();
    const bad = await post(a, "/things/t1", "{nope", "application/json");
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe("invalid_json");
    const empty = await post(a, "/things/t1", undefined, "application/json");
    expect((await empty.json()).error.code).toBe("invalid_json");
    const field = await (await post(a, "/things/t1", JSON.stringify({ name: "" }), "application/json")).json();
    expect(field.error).toMatchObject({ code: "validation_failed", field: "name" });
    const query = await (await post(a, "/things/t1?limit=0", JSON.stringify({ name: "x" }), "application/json")).json();
    expect(query.error).toMatchObject({ code: "validation_failed", field: "limit" });
  });

  it("reads a required body whatever content type it is sent with, as the routes did before they were described", async () => {
    const a = app();
    for (const type of [undefined, "text/plain", "application/json; charset=utf-8"]) {
      const res = await post(a, "/things/t1", JSON.stringify({ name: "x" }), type);
      expect(res.status, String(type)).toBe(201);
    }
  });

  it("reads an optional body only when it is sent as JSON", async () => {
    const a = app();
    expect(await (await post(a, "/optional")).json()).toEqual({ got: null });
    expect(await (await post(a, "/optional", JSON.stringify({ name: "x" }), "text/plain")).json()).toEqual({ got: null });
    expect(await (await post(a, "/optional", JSON.stringify({ name: "x" }), "application/json")).json()).toEqual({ got: { name: "x" } });
    const bad = await post(a, "/optional", JSON.stringify({ name: 1 }), "application/json");
    expect((await bad.json()).error).toMatchObject({ code: "validation_failed", field: "name" });
  });
});
