import { createRoute, z } from "@hono/zod-openapi";
import { JoinGrant } from "../../shared/candidate.js";
import { InterviewWithEvents } from "../../shared/interview.js";
import { AcceptReference, InterviewEnded, Rechallenge, ReferenceAccepted } from "../../shared/monitoring.js";
import { ObservationInput, ObservationRecorded } from "../../shared/observations.js";
import { RiskReport } from "../../shared/signals.js";
import { component, errors, json, jsonBody, LINK_ONLY, LinkToken, openapi } from "../openapi/parts.js";

const tags = ["Interviewer"];
const security = LINK_ONLY;
const request = { params: z.object({ token: LinkToken }) };
/** Every interviewer route resolves the link first: unknown or rotated (404), expired or ended (410). */
const LINK_ERRORS = [404, 410];

/** The described routes of `/v1/interviewer/{token}`: the interviewer page's API. The link token is the credential. */
export const interviewerContract = {
  view: createRoute({
    method: "get",
    path: "/{token}",
    tags,
    security,
    summary: "The interview with its events",
    request,
    responses: { 200: json(component("InterviewWithEvents", InterviewWithEvents), "The interview and its timeline."), ...errors(...LINK_ERRORS) },
  }),
  report: createRoute({
    method: "get",
    path: "/{token}/report",
    tags,
    security,
    summary: "The interview's risk report",
    request,
    responses: { 200: json(component("RiskReport", RiskReport), "The risk report."), ...errors(...LINK_ERRORS) },
  }),
  stream: createRoute({
    method: "get",
    path: "/{token}/stream",
    tags,
    security,
    summary: "Live events of this interview (server-sent events)",
    description: "A `ready` event, then one `interview` event per recorded event (data: a JSON `StreamEvent`).",
    request,
    responses: {
      200: {
        description: "An endless `text/event-stream`.",
        content: { "text/event-stream": { schema: openapi(z.string(), { description: "`event: interview`, `data:` a JSON `StreamEvent`." }) } },
      },
      ...errors(...LINK_ERRORS),
    },
  }),
  join: createRoute({
    method: "post",
    path: "/{token}/join",
    tags,
    security,
    summary: "Join the interview room as the interviewer",
    request,
    responses: { 200: json(component("JoinGrant", JoinGrant), "A room-admin LiveKit token."), ...errors(...LINK_ERRORS) },
  }),
  rechallenge: createRoute({
    method: "post",
    path: "/{token}/rechallenge",
    tags,
    security,
    summary: "Ask for a re-challenge during the interview",
    description: "The kit's monitor prompts the candidate and judges the move on the video; the result arrives as a `rechallenge_result` event.",
    request,
    responses: { 201: json(component("Rechallenge", Rechallenge), "The re-challenge, issued."), ...errors(409, 503, ...LINK_ERRORS) },
  }),
  reference: createRoute({
    method: "post",
    path: "/{token}/reference",
    tags,
    security,
    summary: "Accept a later pass's face as the reference",
    description:
      "The monitor compares the interview's video with the first verified face. When a later pass in the same interview " +
      "shows someone else (`identity_changed`), the interviewer may accept that pass's face instead, naming its check; " +
      "a `reference_accepted` event records it. Accepting the current reference changes nothing.",
    request: { ...request, body: jsonBody(component("AcceptReference", AcceptReference)) },
    responses: {
      200: json(component("ReferenceAccepted", ReferenceAccepted), "The reference the monitor compares with from now on."),
      ...errors(400, 404, 409, 413, ...LINK_ERRORS),
    },
  }),
  observe: createRoute({
    method: "post",
    path: "/{token}/observations",
    tags,
    security,
    summary: "Record the interviewer's checklist observations",
    request: { ...request, body: jsonBody(component("ObservationInput", ObservationInput)) },
    responses: { 201: json(component("ObservationRecorded", ObservationRecorded), "Recorded; each item becomes a risk flag."), ...errors(400, 413, ...LINK_ERRORS) },
  }),
  end: createRoute({
    method: "post",
    path: "/{token}/end",
    tags,
    security,
    summary: "End the interview for everyone",
    request,
    responses: { 200: json(component("InterviewEnded", InterviewEnded), "Ended."), ...errors(...LINK_ERRORS) },
  }),
};
