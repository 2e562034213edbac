import { createRoute, z } from "@hono/zod-openapi";
import { CameraReport, CandidateSession, CandidateView, JoinGrant, Recorded, SessionStatus } from "../../shared/candidate.js";
import { EnvironmentReport, NetworkReport } from "../../shared/signals.js";
import { VerificationStart, VerificationStatus, VerificationTicket } from "../../shared/verification.js";
import { CANDIDATE_SESSION, component, errors, json, jsonBody, LINK_ONLY, LinkToken, openapi } from "../openapi/parts.js";

const tags = ["Candidate"];
const Token = z.object({ token: LinkToken });
const RecordedSchema = component("Recorded", Recorded);
/** Every candidate route resolves the link first: unknown (404), expired or ended (410), rate-limited (429). */
const LINK_ERRORS = [404, 410, 429];

/**
 * The described routes of `/v1/candidate/{token}`: the candidate page's API.
 * The link token in the path is the credential; routes after `POST …/session`
 * also need the session key in `X-Candidate-Session`.
 */
export const candidateContract = {
  open: createRoute({
    method: "get",
    path: "/{token}",
    tags,
    security: LINK_ONLY,
    summary: "Open the candidate link",
    description: "Records the link opening (IP, browser) and says what the page needs before joining.",
    request: { params: Token },
    responses: { 200: json(component("CandidateView", CandidateView), "The interview as the candidate sees it."), ...errors(...LINK_ERRORS) },
  }),
  startSession: createRoute({
    method: "post",
    path: "/{token}/session",
    tags,
    security: LINK_ONLY,
    summary: "Start a candidate session",
    description: "The session key goes in `X-Candidate-Session` on the routes that need one.",
    request: { params: Token },
    responses: { 201: json(component("CandidateSession", CandidateSession), "The session key, shown once."), ...errors(...LINK_ERRORS) },
  }),
  sessionStatus: createRoute({
    method: "get",
    path: "/{token}/session",
    tags,
    security: CANDIDATE_SESSION,
    summary: "Whether the session has a recorded pass",
    request: { params: Token },
    responses: { 200: json(component("SessionStatus", SessionStatus), "The session's state."), ...errors(401, 404, 410) },
  }),
  camera: createRoute({
    method: "post",
    path: "/{token}/camera",
    tags,
    security: CANDIDATE_SESSION,
    summary: "Report the outcome of asking for the camera",
    request: { params: Token, body: jsonBody(component("CameraReport", CameraReport)) },
    responses: { 200: json(RecordedSchema, "The event type it was recorded as."), ...errors(400, 401, 413, ...LINK_ERRORS) },
  }),
  startLiveness: createRoute({
    method: "post",
    path: "/{token}/liveness",
    tags,
    security: CANDIDATE_SESSION,
    summary: "Start a server-verified liveness check",
    description: "Counts an attempt. An empty body is the normal case; only a test configuration accepts a `seed`.",
    request: { params: Token, body: { required: false, content: { "application/json": { schema: component("VerificationStart", VerificationStart) } } } },
    responses: {
      201: json(component("VerificationTicket", VerificationTicket), "Where to publish the camera."),
      ...errors(400, 401, 409, 413, 503, ...LINK_ERRORS),
    },
  }),
  livenessStatus: createRoute({
    method: "get",
    path: "/{token}/liveness/{challengeId}",
    tags,
    security: CANDIDATE_SESSION,
    summary: "The verdict of a liveness check",
    description: "`pending` while the verifier works.",
    request: { params: Token.extend({ challengeId: openapi(z.string(), { description: "The `challengeId` of the ticket." }) }) },
    responses: { 200: json(component("VerificationStatus", VerificationStatus), "The verdict as the kit recorded it."), ...errors(401, 404, 410) },
  }),
  environment: createRoute({
    method: "post",
    path: "/{token}/environment",
    tags,
    security: CANDIDATE_SESSION,
    summary: "Report the browser's time zone, languages and connection",
    description: "Recorded as reported values: a browser can forge them, so they feed risk flags, never the gate.",
    request: { params: Token, body: jsonBody(component("EnvironmentReport", EnvironmentReport)) },
    responses: { 201: json(RecordedSchema, "Recorded."), ...errors(400, 401, 413, ...LINK_ERRORS) },
  }),
  network: createRoute({
    method: "post",
    path: "/{token}/network",
    tags,
    security: CANDIDATE_SESSION,
    summary: "Report the WebRTC network path",
    request: { params: Token, body: jsonBody(component("NetworkReport", NetworkReport)) },
    responses: { 201: json(RecordedSchema, "Recorded."), ...errors(400, 401, 413, ...LINK_ERRORS) },
  }),
  join: createRoute({
    method: "post",
    path: "/{token}/join",
    tags,
    security: CANDIDATE_SESSION,
    summary: "Join the interview room",
    description: "Only a session whose liveness pass the server recorded gets a token (`403 verification_required` otherwise).",
    request: { params: Token },
    responses: { 200: json(component("JoinGrant", JoinGrant), "What `livekit-client` needs to connect."), ...errors(403, ...LINK_ERRORS) },
  }),
};
