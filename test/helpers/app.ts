import type { DocumentMode } from "../../shared/documents.js";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createApp } from "../../server/app.js";
import { FACE_MATCH_THRESHOLD, MISMATCH_HOLD_MS } from "../../server/identity/thresholds.js";
import { LiveKitRooms, type LiveKitSettings, VERIFIER_AGENT_NAME } from "../../server/livekit/index.js";
import { type GeoLookup, openGeoLookup } from "../../server/geo/index.js";
import { SqliteStore } from "../../server/store/index.js";

let geo: GeoLookup | undefined;
/** The shipped IP databases, opened once per test process (about a second). */
export const testGeo = () => (geo ??= openGeoLookup({}));

const ROOT = path.resolve(import.meta.dirname, "../..");
export const TEST_API_KEY = "test-key-0123456789abcdef";

/** Paths of the real build outputs (`npm run build`), used by every suite. */
export const assets = {
  clientDir: path.join(ROOT, "dist/client"),
  publicDir: path.join(ROOT, "build/public"),
  faceModelPath: path.join(ROOT, "build/models/face_detection_short_range_tasks.tflite"),
};

/** A fresh SQLite file in a temp folder. */
export function tempDbFile(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), "kit-test-")), "kit.db");
}

export interface TestAppOptions {
  livekit: LiveKitSettings;
  dbFile?: string;
  now?: () => Date;
  publicUrl?: string;
  trustedProxies?: string[];
  maxAttempts?: number;
  maxSessions?: number;
  testSeeds?: boolean;
  /** Accept test cameras (file-backed fake camera, the reactive player); false is the production setting. */
  allowFakeCamera?: boolean;
  /** Where verifier workers report; the kit's own HTTP origin in suites that run one. */
  internalUrl?: string;
  /** Origins allowed to frame the candidate and interviewer pages (EMBED_ALLOWED_ORIGINS). */
  embedAllowedOrigins?: string[];
  /** INTERVIEWER_LINK_TTL_HOURS; 24 unless a test needs another. */
  interviewerLinkTtlHours?: number;
  /** RATE_LIMIT_PER_IP_PER_MINUTE; high by default so suites are not limited. */
  ratePerIp?: number;
  /** RATE_LIMIT_PER_LINK_PER_MINUTE; high by default so suites are not limited. */
  ratePerLink?: number;
  /** MAX_EVENTS_PER_INTERVIEW; high by default. */
  maxEvents?: number;
  /** The monitor's limits (ms); the production defaults unless a test needs shorter ones. */
  monitor?: Partial<{ noVideoMs: number; absentMs: number; mismatchMs: number }>;
  /** The configured API keys (API_KEYS); TEST_API_KEY unless a test needs others. */
  apiKeys?: string[];
  /**
   * WEBHOOK_ALLOW_PRIVATE_URLS. True here, explicitly, because the suites' webhook receivers
   * listen on loopback; production's default is false (test/webhooks-ssrf.test.ts runs with it).
   */
  webhookAllowPrivateUrls?: boolean;
  /** DOCUMENT_STEP_DEFAULT; "off" unless a test needs the production default ("optional"). */
  documentDefault?: DocumentMode;
}

/** The agent name an app without an HTTP origin dispatches verifier jobs to: no worker registers it. */
export const UNSERVED_AGENT_NAME = "verify-kit-verifier-unserved";

/** The real app on a real SQLite file and a real LiveKit server; only the clock may be pinned. */
export function testApp(options: TestAppOptions) {
  const dbFile = options.dbFile ?? tempDbFile();
  const store = new SqliteStore(dbFile);
  const { app, timeline, identity, personal, webhooks, monitor } = createApp({
    config: {
      publicUrl: options.publicUrl ?? "http://127.0.0.1:9",
      apiKeys: options.apiKeys ?? [TEST_API_KEY],
      linkTtlHours: 72,
      interviewerLinkTtlHours: options.interviewerLinkTtlHours ?? 24,
      trustedProxies: options.trustedProxies ?? [],
      livenessMaxAttempts: options.maxAttempts ?? 3,
      maxSessionsPerLink: options.maxSessions ?? 10,
      rateLimits: { perIpPerMinute: options.ratePerIp ?? 10_000, perLinkPerMinute: options.ratePerLink ?? 10_000 },
      maxEventsPerInterview: options.maxEvents ?? 10_000,
      internalUrl: options.internalUrl ?? options.publicUrl ?? "http://127.0.0.1:9",
      livenessTestSeeds: options.testSeeds ?? true,
      // Chromium's file camera stands in for a webcam in these tests.
      allowFakeCamera: options.allowFakeCamera ?? true,
      signals: {},
      embedAllowedOrigins: options.embedAllowedOrigins ?? [],
      identity: { matchThreshold: FACE_MATCH_THRESHOLD, templateRetentionDays: 30, networkReuseDays: 30 },
      monitor: { noVideoMs: 20_000, absentMs: 3_000, mismatchMs: MISMATCH_HOLD_MS, ...options.monitor },
      webhooks: { allowPrivateUrls: options.webhookAllowPrivateUrls ?? true, logRetentionDays: 30, timeoutMs: 15_000 },
      // Off unless asked: the suites that predate the document step pass liveness and go straight to the interview;
      // the document suites ask for it per interview (`document` on POST /v1/interviews) or here.
      documents: { defaultMode: options.documentDefault ?? "off", reuseDays: 365 },
    },
    geo: testGeo(),
    store,
    // With no kit origin to report to, dispatch to a name no worker serves: the suite's shared verifier
    // would otherwise take the job and fail to post to the placeholder origin. The test plays the verifier.
    rooms: new LiveKitRooms(options.livekit, (options.internalUrl ?? options.publicUrl) ? VERIFIER_AGENT_NAME : UNSERVED_AGENT_NAME),
    assets,
    now: options.now,
  });
  return { app, store, dbFile, timeline, identity, personal, webhooks, monitor };
}

/** Request helpers for `app.request`, with the socket peer the Node server would supply. */
export function client(app: ReturnType<typeof testApp>["app"], peer = "127.0.0.1") {
  const env = { incoming: { socket: { remoteAddress: peer } } };
  const call = (method: string, url: string, init: { body?: unknown; headers?: Record<string, string>; raw?: string } = {}) =>
    app.request(
      url,
      {
        method,
        headers: {
          ...(init.body !== undefined || init.raw !== undefined ? { "content-type": "application/json" } : {}),
          ...init.headers,
        },
        body: init.raw ?? (init.body !== undefined ? JSON.stringify(init.body) : undefined),
      },
      env,
    );
  const auth = { authorization: `Bearer ${TEST_API_KEY}` };
  const createInterview = async (body: unknown = { candidate: { name: "Ada Lovelace" } }) => {
    const res = await call("POST", "/v1/interviews", { body, headers: auth });
    return { res, json: (await res.json()) as Record<string, string> };
  };
  return {
    call,
    auth,
    createInterview,
    /** Creates an interview and starts a candidate session on its link. */
    candidateSession: async (body?: unknown) => {
      const { json } = await createInterview(body);
      const token = tokenOf(json.candidateUrl!);
      const session = await (await call("POST", `/v1/candidate/${token}/session`)).json();
      return { json, token, headers: { "x-candidate-session": session.sessionKey as string } };
    },
  };
}

/**
 * The real clock plus a skew tests can advance, so evidence that spans a few
 * seconds of camera time can be submitted without the test sleeping.
 */
export function advancingClock() {
  let skew = 0;
  return { now: () => new Date(Date.now() + skew), advance: (ms: number) => void (skew += ms) };
}

/** The token at the end of a candidate or interviewer URL. */
export const tokenOf = (url: string) => new URL(url).pathname.split("/").at(-1)!;
