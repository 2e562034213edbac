import { randomBytes } from "node:crypto";
import { DeviceReuseService } from "./devices/index.js";
import { DocumentService } from "./documents/index.js";
import fs from "node:fs";
import path from "node:path";
import { OpenAPIHono } from "@hono/zod-openapi";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import { CandidateService, candidateLimits, candidateRoutes } from "./candidate/index.js";
import type { Config } from "./config/index.js";
import { AppError, notFound, onError } from "./errors/index.js";
import { type AppEnv, clientIp } from "./http/env.js";
import { InterviewerService, interviewerRoutes } from "./interviewer/index.js";
import { InterviewService, ObservationService, OneCameraPolicy, RoomSeats, interviewRoutes } from "./interviews/index.js";
import { PersonalDataService } from "./personal/index.js";
import type { VideoRooms } from "./livekit/index.js";
import { type AssetPaths, htmlSecurityHeaders, pageRoutes } from "./pages/index.js";
import { CompletionTokens, EmbedScript, EmbedService, SigningKeys, embedApiRoutes, embedOrigins, embedRoutes } from "./embed/index.js";
import { ClientIpResolver } from "./security/index.js";
import { type ApiAccess, ApiKeyService, ApiKeyVerifier, apiKeyRoutes, requireApiKey } from "./api-keys/index.js";
import { idempotency } from "./http/idempotency.js";
import { limitBody } from "./http/body-limit.js";
import type { GeoLookup } from "./geo/index.js";
import { ReportService } from "./reports/index.js";
import type { Store } from "./store/index.js";
import { Timeline } from "./timeline/index.js";
import { VerificationService, verifierRoutes } from "./verification/index.js";
import { IdentityService } from "./identity/index.js";
import { GreenhouseService, greenhouseRoutes, REVIEW_LINK_TTL_SECONDS, ReviewLinks, reviewPageRoutes } from "./ats/index.js";
import { pinnedSender } from "./webhooks-out/send.js";
import { NetworkReuseService } from "./networks/index.js";
import { MonitorService, monitorRoutes } from "./monitor/index.js";
import { openApiDocument, openApiRoutes } from "./openapi/index.js";
import { RoomEventService, webhookRoutes } from "./webhooks/index.js";
import {
  WebhookDispatcher,
  WebhookEndpointService,
  webhookDeliveryRoutes,
  webhookEndpointRoutes,
  webhookOutbox,
} from "./webhooks-out/index.js";

/** The kit's version, as the OpenAPI document gives it. */
const KIT_VERSION: string = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, "../package.json"), "utf8")).version;

/** Largest JSON body the public API accepts; the biggest legitimate one is an environment report. */
export const MAX_BODY_BYTES = 256 * 1024;

export interface AppDeps {
  config: Pick<
    Config,
    | "publicUrl"
    | "apiKeys"
    | "linkTtlHours"
    | "interviewerLinkTtlHours"
    | "trustedProxies"
    | "livenessMaxAttempts"
    | "maxSessionsPerLink"
    | "rateLimits"
    | "maxEventsPerInterview"
    | "internalUrl"
    | "livenessTestSeeds"
    | "allowFakeCamera"
    | "signals"
    | "embedAllowedOrigins"
    | "identity"
    | "monitor"
    | "webhooks"
    | "documents"
  >;
  geo: GeoLookup;
  store: Store;
  rooms: VideoRooms;
  assets: AssetPaths;
  now?: () => Date;
  /** The widget's completion-token keys (the data folder's in production) and lifetime; in-memory keys and 600 s unless given. */
  embed?: { keys: SigningKeys; tokenTtlSeconds: number };
}

/** Builds the Hono app from its dependencies. Nothing here reads the environment. */
export function createApp(deps: AppDeps) {
  const now = deps.now ?? (() => new Date());
  const { store, rooms, config } = deps;
  const reports = new ReportService({ store, geo: deps.geo, settings: config.signals, now });
  const timeline = new Timeline(store, now, webhookOutbox, (interview, events) => reports.levelOf(interview, events));
  const seats = new RoomSeats({ store, timeline, rooms });
  const oneCamera = new OneCameraPolicy({ store, timeline, rooms, seats });
  const interviews = new InterviewService({
    store,
    timeline,
    seats,
    publicUrl: config.publicUrl,
    linkTtlHours: config.linkTtlHours,
    interviewerLinkTtlHours: config.interviewerLinkTtlHours,
    documentDefault: config.documents.defaultMode,
    now,
  });
  const monitor = new MonitorService({
    store,
    timeline,
    rooms,
    settings: { matchThreshold: config.identity.matchThreshold, ...config.monitor },
    oneCamera,
    currentCandidate: (id) => seats.currentCandidate(id),
    internalUrl: config.internalUrl,
    now,
  });
  const identity = new IdentityService({ store, timeline, matchThreshold: config.identity.matchThreshold, now });
  // A redaction in any kit process on this database (Postgres's feed reaches them all) drops this process's in-memory templates.
  store.subscribeEvents((notice) => {
    if (notice.type === "personal_data_redacted") identity.forget();
  });
  const networks = new NetworkReuseService({ store, timeline, geo: deps.geo, windowDays: config.identity.networkReuseDays, now });
  // Keys the document-number hash and the device fingerprint (each with its own label). Without a configured
  // key (tests), an ephemeral one: reuse is then found within this process only.
  const hashKey = config.documents.hashKey ?? randomBytes(32).toString("hex");
  const devices = new DeviceReuseService({ store, timeline, hashKey, windowDays: config.identity.networkReuseDays, now });
  const candidates = new CandidateService({
    networks,
    devices,
    store,
    timeline,
    rooms,
    seats,
    monitor,
    maxAttempts: config.livenessMaxAttempts,
    maxSessionsPerLink: config.maxSessionsPerLink,
    allowFakeCamera: config.allowFakeCamera,
    faceTemplateDays: config.identity.templateRetentionDays,
    now,
  });
  const verification = new VerificationService({
    store,
    timeline,
    rooms,
    maxAttempts: config.livenessMaxAttempts,
    allowSeeds: config.livenessTestSeeds,
    internalUrl: config.internalUrl,
    identity,
    documents: new DocumentService({ store, timeline, hashKey, now }),
    now,
  });
  const observations = new ObservationService({ store, timeline });
  const interviewers = new InterviewerService({ store, timeline, rooms, interviews, seats, monitor, observations, now });
  const roomEvents = new RoomEventService({ store, timeline, seats, oneCamera, now });
  const limits = candidateLimits(store, { ...config.rateLimits, maxEventsPerInterview: config.maxEventsPerInterview });
  const { allowPrivateUrls, timeoutMs } = config.webhooks;
  const webhookEndpoints = new WebhookEndpointService({ store: store.webhooks, now, allowPrivateUrls });
  const dispatcher = new WebhookDispatcher({ store: store.webhooks, now, allowPrivateUrls, timeoutMs });
  const personal = new PersonalDataService({ store, timeline, interviews, reports, identity, now });
  // Every /v1 API-key route group checks keys (configured and stored) and makes its creating POSTs idempotent.
  const apiKeyVerifier = new ApiKeyVerifier(config.apiKeys, store.apiKeys, now);
  const access: ApiAccess = {
    auth: requireApiKey(apiKeyVerifier),
    idempotent: idempotency(store.idempotency, now),
    stillValid: (c) => async () => (await apiKeyVerifier.verify(c.req.header("authorization"))) !== undefined,
  };
  const apiKeys = new ApiKeyService({ store: store.apiKeys, verifier: apiKeyVerifier, now });
  const signingKeys = deps.embed?.keys ?? SigningKeys.ephemeral(now);
  const embed = new EmbedService({
    tokens: new CompletionTokens({ keys: signingKeys, issuer: config.publicUrl, ttlSeconds: deps.embed?.tokenTtlSeconds ?? 600, now }),
    keys: signingKeys,
    reports,
    events: (id) => store.listEvents(id),
    allowedOrigins: embedOrigins(config.publicUrl, config.embedAllowedOrigins),
  });
  // Applicant-tracking systems: Greenhouse's assessment-partner endpoints, and the review page they link to.
  const reviewLinks = new ReviewLinks({ keys: signingKeys, publicUrl: config.publicUrl, ttlSeconds: REVIEW_LINK_TTL_SECONDS, now });
  const atsSender = pinnedSender();
  const greenhouse = new GreenhouseService({ store, timeline, interviews, reports, links: reviewLinks, send: atsSender.send, allowPrivateUrls, timeoutMs });
  store.subscribeEvents((notice) => void greenhouse.onEvent(notice).catch((err) => console.error("Greenhouse completion notice failed:", err)));
  const embedDeps = { service: embed, script: EmbedScript.besideClient(deps.assets.clientDir), store, limits, now };

  const app = new OpenAPIHono<AppEnv>();
  // The public API's description, built from the route groups below as they are mounted (only /v1 groups are described).
  const document = openApiDocument(app, { version: KIT_VERSION, publicUrl: config.publicUrl });
  app
    // Every response, JSON and errors included: nosniff, no referrer, COOP/CORP, HSTS (over HTTPS)...
    .use(
      secureHeaders({
        // Framing is decided per page, by CSP frame-ancestors (htmlSecurityHeaders, pageRoutes).
        xFrameOptions: false,
        permissionsPolicy: { camera: ["self"], microphone: ["self"] },
        // A route may set its own (the widget script is loaded cross-origin: `Cross-Origin-Resource-Policy: cross-origin`).
        overwrite: false,
      }),
    )
    .use(htmlSecurityHeaders(rooms.publicUrl))
    .use(requestId())
    .use(clientIp(new ClientIpResolver(config.trustedProxies)))
    .use(
      "/v1/*",
      limitBody(MAX_BODY_BYTES, () => {
        throw new AppError("payload_too_large", `The request body is larger than ${MAX_BODY_BYTES} bytes`);
      }),
    )
    .route("/v1/interviews", interviewRoutes(interviews, reports, timeline, access, { personal, observations }))
    .route("/v1/api-keys", apiKeyRoutes(apiKeys, access))
    .route("/v1/webhook-endpoints", webhookEndpointRoutes(webhookEndpoints, access))
    .route("/v1/webhook-deliveries", webhookDeliveryRoutes(webhookEndpoints, access))
    .route("/v1/candidate", candidateRoutes(candidates, verification, store, now, limits))
    .route("/v1/embed", embedApiRoutes(embedDeps))
    .route("/internal/verifier", verifierRoutes(verification))
    .route("/internal/monitor", monitorRoutes(monitor))
    .route("/v1/interviewer", interviewerRoutes(interviewers, reports))
    .route("/webhooks", webhookRoutes(rooms, roomEvents))
    .use(
      "/ats/*",
      limitBody(MAX_BODY_BYTES, () => {
        throw new AppError("payload_too_large", `The request body is larger than ${MAX_BODY_BYTES} bytes`);
      }),
    )
    .route("/ats/greenhouse", greenhouseRoutes(greenhouse, apiKeyVerifier))
    .route("/ats/review", reviewPageRoutes({ links: reviewLinks, store, reports, interviews }))
    .get("/healthz", (c) => c.json({ ok: true }))
    .route("/", openApiRoutes(document))
    .route("/", embedRoutes(embedDeps))
    .route("/", pageRoutes(deps.assets, rooms.publicUrl, config.embedAllowedOrigins, new URL(config.publicUrl).origin));

  app.notFound(() => {
    throw notFound("Route");
  });
  app.onError(onError);
  /** Starts sending outgoing webhooks from the outbox; returns the function that stops it. */
  const startDispatcher = (intervalMs?: number) => dispatcher.start(intervalMs);
  return { app, timeline, identity, personal, webhooks: webhookEndpoints, dispatcher, startDispatcher, monitor };
}
