import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import { CandidateService, candidateLimits, candidateRoutes } from "./candidate/index.js";
import type { Config } from "./config/index.js";
import { AppError, notFound, onError } from "./errors/index.js";
import { type AppEnv, clientIp } from "./http/env.js";
import { InterviewerService, interviewerRoutes } from "./interviewer/index.js";
import { InterviewService, RoomSeats, interviewRoutes } from "./interviews/index.js";
import type { VideoRooms } from "./livekit/index.js";
import { type AssetPaths, htmlSecurityHeaders, pageRoutes } from "./pages/index.js";
import { ApiKeyVerifier, ClientIpResolver } from "./security/index.js";
import type { GeoLookup } from "./geo/index.js";
import { ReportService } from "./reports/index.js";
import type { Store } from "./store/index.js";
import { Timeline } from "./timeline/index.js";
import { VerificationService, verifierRoutes } from "./verification/index.js";
import { IdentityService } from "./identity/index.js";
import { MonitorService, monitorRoutes } from "./monitor/index.js";
import { RoomEventService, webhookRoutes } from "./webhooks/index.js";
import {
  WebhookDispatcher,
  WebhookEndpointService,
  webhookDeliveryRoutes,
  webhookEndpointRoutes,
  webhookOutbox,
} from "./webhooks-out/index.js";

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
  >;
  geo: GeoLookup;
  store: Store;
  rooms: VideoRooms;
  assets: AssetPaths;
  now?: () => Date;
  /** What the webhook dispatcher sends with; the global `fetch` unless a test injects one. */
  fetch?: typeof fetch;
}

/** Builds the Hono app from its dependencies. Nothing here reads the environment. */
export function createApp(deps: AppDeps) {
  const now = deps.now ?? (() => new Date());
  const { store, rooms, config } = deps;
  const timeline = new Timeline(store, now, webhookOutbox);
  const seats = new RoomSeats({ store, timeline, rooms });
  const interviews = new InterviewService({
    store,
    timeline,
    seats,
    publicUrl: config.publicUrl,
    linkTtlHours: config.linkTtlHours,
    interviewerLinkTtlHours: config.interviewerLinkTtlHours,
    now,
  });
  const monitor = new MonitorService({
    store,
    timeline,
    rooms,
    settings: { matchThreshold: config.identity.matchThreshold, ...config.monitor },
    internalUrl: config.internalUrl,
    now,
  });
  const identity = new IdentityService({ store, timeline, matchThreshold: config.identity.matchThreshold, now });
  const candidates = new CandidateService({
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
    now,
  });
  const interviewers = new InterviewerService({ store, timeline, rooms, interviews, seats, monitor, now });
  const roomEvents = new RoomEventService({ store, timeline, seats });
  const limits = candidateLimits(store, { ...config.rateLimits, maxEventsPerInterview: config.maxEventsPerInterview });
  const webhookEndpoints = new WebhookEndpointService({ store: store.webhooks, now });
  const dispatcher = new WebhookDispatcher({ store: store.webhooks, now, ...(deps.fetch ? { fetch: deps.fetch } : {}) });
  const apiKeys = new ApiKeyVerifier(config.apiKeys);
  const reports = new ReportService({ store, geo: deps.geo, settings: config.signals, now });

  const app = new Hono<AppEnv>()
    // Every response, JSON and errors included: nosniff, no referrer, COOP/CORP, HSTS (over HTTPS)...
    .use(
      secureHeaders({
        // Framing is decided per page, by CSP frame-ancestors (htmlSecurityHeaders, pageRoutes).
        xFrameOptions: false,
        permissionsPolicy: { camera: ["self"], microphone: ["self"] },
      }),
    )
    .use(htmlSecurityHeaders(rooms.publicUrl))
    .use(requestId())
    .use(clientIp(new ClientIpResolver(config.trustedProxies)))
    .use(
      "/v1/*",
      bodyLimit({
        maxSize: MAX_BODY_BYTES,
        onError: () => {
          throw new AppError("payload_too_large", `The request body is larger than ${MAX_BODY_BYTES} bytes`);
        },
      }),
    )
    .route("/v1/interviews", interviewRoutes(interviews, reports, timeline, apiKeys))
    .route("/v1/webhook-endpoints", webhookEndpointRoutes(webhookEndpoints, apiKeys))
    .route("/v1/webhook-deliveries", webhookDeliveryRoutes(webhookEndpoints, apiKeys))
    .route("/v1/candidate", candidateRoutes(candidates, verification, store, now, limits))
    .route("/internal/verifier", verifierRoutes(verification))
    .route("/internal/monitor", monitorRoutes(monitor))
    .route("/v1/interviewer", interviewerRoutes(interviewers, reports))
    .route("/webhooks", webhookRoutes(rooms, roomEvents))
    .get("/healthz", (c) => c.json({ ok: true }))
    .route("/", pageRoutes(deps.assets, rooms.publicUrl, config.embedAllowedOrigins));

  app.notFound(() => {
    throw notFound("Route");
  });
  app.onError(onError);
  /** Starts sending outgoing webhooks from the outbox; returns the function that stops it. */
  const startDispatcher = (intervalMs?: number) => dispatcher.start(intervalMs);
  return { app, timeline, identity, dispatcher, startDispatcher };
}
