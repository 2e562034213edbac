import { createRoute, z } from "@hono/zod-openapi";
import {
  CreatedInterview,
  CreateInterviewInput,
  InterviewList,
  InterviewWithEvents,
  ListQuery,
  RotatedInterviewerLink,
  SnapshotList,
} from "../../shared/interview.js";
import { ObservationInput, ObservationRecorded } from "../../shared/observations.js";
import { PersonalDataExport, RedactionResult } from "../../shared/personal-data.js";
import { RiskReport } from "../../shared/signals.js";
import { apiKeyScope, component, errors, IdempotencyHeaders, idParam, json, jsonBody, openapi } from "../openapi/parts.js";

const tags = ["Interviews"];
const Id = z.object({ id: idParam("The interview's id (`iv_…`).") });

/** The described routes of `/v1/interviews`; `routes.ts` serves them. */
export const interviewContract = {
  create: createRoute({
    method: "post",
    path: "/",
    tags,
    security: apiKeyScope("interviews:write"),
    summary: "Create an interview",
    description: "Returns the candidate and interviewer links; they carry secrets and are shown this once.",
    request: { headers: IdempotencyHeaders, body: jsonBody(component("CreateInterviewInput", CreateInterviewInput)) },
    responses: {
      201: json(component("CreatedInterview", CreatedInterview), "The interview, with its two links."),
      ...errors(400, 401, 409, 413, 422),
    },
  }),
  list: createRoute({
    method: "get",
    path: "/",
    tags,
    security: apiKeyScope("interviews:read"),
    summary: "List interviews",
    description: "Newest first, each with its current risk level.",
    request: { query: ListQuery },
    responses: { 200: json(component("InterviewList", InterviewList), "A page of interviews."), ...errors(400, 401) },
  }),
  stream: createRoute({
    method: "get",
    path: "/stream",
    tags,
    security: apiKeyScope("interviews:read"),
    summary: "Live events of every interview (server-sent events)",
    description:
      "A `ready` event once subscribed, then one `interview` event per recorded event, whose data is a JSON `StreamEvent`; comment lines keep a quiet connection open.",
    responses: {
      200: {
        description: "An endless `text/event-stream`.",
        content: { "text/event-stream": { schema: openapi(z.string(), { description: "`event: interview`, `data:` a JSON `StreamEvent`." }) } },
      },
      ...errors(401),
    },
  }),
  get: createRoute({
    method: "get",
    path: "/{id}",
    tags,
    security: apiKeyScope("interviews:read"),
    summary: "Get an interview with its events",
    request: { params: Id },
    responses: { 200: json(component("InterviewWithEvents", InterviewWithEvents), "The interview and its timeline."), ...errors(401, 404) },
  }),
  snapshots: createRoute({
    method: "get",
    path: "/{id}/snapshots",
    tags,
    security: apiKeyScope("interviews:read"),
    summary: "List the liveness snapshots of an interview",
    request: { params: Id },
    responses: { 200: json(component("SnapshotList", SnapshotList), "Snapshot metadata; the JPEGs are separate."), ...errors(401, 404) },
  }),
  snapshot: createRoute({
    method: "get",
    path: "/{id}/snapshots/{snapshotId}",
    tags,
    security: apiKeyScope("interviews:read"),
    summary: "Get one liveness snapshot (JPEG)",
    request: { params: Id.extend({ snapshotId: openapi(z.string(), { description: "The snapshot's `id` from the snapshot list." }) }) },
    responses: {
      200: { description: "The JPEG.", content: { "image/jpeg": { schema: openapi(z.string(), { format: "binary" }) } } },
      ...errors(401, 404),
    },
  }),
  report: createRoute({
    method: "get",
    path: "/{id}/report",
    tags,
    security: apiKeyScope("interviews:read"),
    summary: "Get the risk report of an interview",
    request: { params: Id },
    responses: { 200: json(component("RiskReport", RiskReport), "Flags, IPs, environment and verification, with a risk level."), ...errors(401, 404) },
  }),
  export: createRoute({
    method: "get",
    path: "/{id}/export",
    tags,
    security: apiKeyScope("personal_data"),
    summary: "Export everything held about the candidate",
    description: "One JSON file (snapshots included, base64), sent as an attachment.",
    request: { params: Id },
    responses: {
      200: {
        ...json(component("PersonalDataExport", PersonalDataExport), "The candidate's personal data."),
        headers: { "Content-Disposition": { description: "`attachment; filename=\"interview-<id>-personal-data.json\"`", schema: { type: "string" } } },
      },
      ...errors(401, 404),
    },
  }),
  redact: createRoute({
    method: "delete",
    path: "/{id}/personal-data",
    tags,
    security: apiKeyScope("personal_data"),
    summary: "Erase the candidate's personal data",
    description: "Irreversible: snapshots, templates, IPs, user agents, reports, name and email go; verdicts and the risk level stay.",
    request: { params: Id },
    responses: { 200: json(component("RedactionResult", RedactionResult), "What was removed."), ...errors(401, 404, 409) },
  }),
  observe: createRoute({
    method: "post",
    path: "/{id}/observations",
    tags,
    security: apiKeyScope("interviews:write"),
    summary: "Record the interviewer's checklist observations",
    request: { params: Id, body: jsonBody(component("ObservationInput", ObservationInput)) },
    responses: { 201: json(component("ObservationRecorded", ObservationRecorded), "Recorded as an event; each item becomes a risk flag."), ...errors(400, 401, 404, 413) },
  }),
  rotateInterviewerLink: createRoute({
    method: "post",
    path: "/{id}/interviewer-link",
    tags,
    security: apiKeyScope("interviews:write"),
    summary: "Issue a new interviewer link",
    description: "The old interviewer link answers 404 from then on. The new one is shown this once.",
    request: { params: Id, headers: IdempotencyHeaders },
    responses: { 201: json(component("RotatedInterviewerLink", RotatedInterviewerLink), "The new interviewer link."), ...errors(400, 401, 404, 409, 422) },
  }),
};
