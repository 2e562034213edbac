import { createRoute, z } from "@hono/zod-openapi";
import {
  CreateWebhookEndpointInput,
  DeliveriesQuery,
  WebhookDelivery,
  WebhookDeliveryList,
  WebhookEndpointList,
  WebhookEndpointWithSecret,
} from "../../shared/webhooks.js";
import { apiKeyScope, component, errors, IdempotencyHeaders, idParam, json, jsonBody } from "../openapi/parts.js";

const tags = ["Webhooks"];
const security = apiKeyScope("webhooks");
const Id = z.object({ id: idParam("The endpoint's id.") });
const Secret = component("WebhookEndpointWithSecret", WebhookEndpointWithSecret);

/** The described routes of `/v1/webhook-endpoints`; `routes.ts` serves them. */
export const webhookEndpointContract = {
  create: createRoute({
    method: "post",
    path: "/",
    tags,
    security,
    summary: "Register a webhook endpoint",
    description: "The `whsec_` signing secret is shown this once. The events sent are listed under `webhooks`.",
    request: { headers: IdempotencyHeaders, body: jsonBody(component("CreateWebhookEndpointInput", CreateWebhookEndpointInput)) },
    responses: { 201: json(Secret, "The endpoint, with its signing secret."), ...errors(400, 401, 409, 413, 422) },
  }),
  list: createRoute({
    method: "get",
    path: "/",
    tags,
    security,
    summary: "List webhook endpoints",
    responses: { 200: json(component("WebhookEndpointList", WebhookEndpointList), "Every endpoint, without secrets."), ...errors(401) },
  }),
  remove: createRoute({
    method: "delete",
    path: "/{id}",
    tags,
    security,
    summary: "Delete a webhook endpoint",
    request: { params: Id },
    responses: { 204: { description: "Deleted; nothing more is sent to it." }, ...errors(401, 404) },
  }),
  rotateSecret: createRoute({
    method: "post",
    path: "/{id}/rotate-secret",
    tags,
    security,
    summary: "Rotate an endpoint's signing secret",
    description: "Deliveries are signed with both the old and the new secret for a while, so the receiver can switch over.",
    request: { params: Id },
    responses: { 201: json(Secret, "The endpoint, with its new signing secret."), ...errors(401, 404) },
  }),
  deliveries: createRoute({
    method: "get",
    path: "/{id}/deliveries",
    tags,
    security,
    summary: "Read an endpoint's delivery log",
    request: { params: Id, query: DeliveriesQuery },
    responses: { 200: json(component("WebhookDeliveryList", WebhookDeliveryList), "Deliveries with every attempt."), ...errors(400, 401, 404) },
  }),
};

/** The described routes of `/v1/webhook-deliveries`. */
export const webhookDeliveryContract = {
  replay: createRoute({
    method: "post",
    path: "/{id}/replay",
    tags,
    security,
    summary: "Send a delivery again",
    description: "Queued again now with the same `webhook-id`, so the receiver can de-duplicate.",
    request: { params: z.object({ id: idParam("The delivery's id (also its `webhook-id`).") }) },
    responses: { 202: json(component("WebhookDelivery", WebhookDelivery), "The delivery, queued."), ...errors(401, 404) },
  }),
};
