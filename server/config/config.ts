import { DEFAULT_DOCUMENT_MODE, DocumentMode } from "../../shared/documents.js";
import { isIP } from "node:net";
import path from "node:path";
import { z } from "zod";
import { SignalSettings, type SignalSettingsInput } from "../signals/index.js";
import { FACE_MATCH_THRESHOLD, MISMATCH_HOLD_MS } from "../identity/thresholds.js";

const optionalString = z
  .string()
  .trim()
  .transform((s) => (s === "" ? undefined : s))
  .optional();

/**
 * `DATABASE_URL` is a SQLite file (`./data/kit.db`, `sqlite:./data/kit.db`) or a Postgres URL
 * (`postgres://user:password@host:5432/database`); any other scheme, or a Postgres URL without a
 * host or database name, is refused at start.
 */
function checkDatabaseUrl(value: string, ctx: z.RefinementCtx): void {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1]?.toLowerCase();
  if (scheme === undefined || scheme === "sqlite") {
    if (value.replace(/^sqlite:(\/\/)?/i, "") === "") ctx.addIssue({ code: "custom", message: "names no SQLite file" });
    return;
  }
  if (scheme !== "postgres" && scheme !== "postgresql") {
    ctx.addIssue({ code: "custom", message: `unsupported scheme "${scheme}://": use a SQLite file path or a postgres:// URL` });
    return;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({ code: "custom", message: "is not a valid postgres:// URL" });
    return;
  }
  if (!url.hostname || url.pathname.replace(/^\//, "") === "") {
    ctx.addIssue({ code: "custom", message: "a postgres:// URL needs a host and a database name, like postgres://kit:secret@db:5432/kit" });
  }
}

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().default("127.0.0.1"),
  PUBLIC_URL: optionalString.pipe(z.url().optional()),
  /** Unset: `kit.db` in `DATA_DIR`, beside the kit's other data. */
  DATABASE_URL: z.string().trim().superRefine(checkDatabaseUrl).optional(),
  /** SQLite only: `normal` survives a crash of the kit, `full` also a power cut or OS crash, at a cost per write. */
  SQLITE_SYNCHRONOUS: z.enum(["normal", "full"]).default("normal"),
  API_KEYS: optionalString,
  LIVEKIT_URL: optionalString.pipe(z.url().optional()),
  LIVEKIT_API_KEY: optionalString,
  LIVEKIT_API_SECRET: optionalString,
  /** The URL browsers use for LiveKit, when it differs from the URL the server uses. */
  LIVEKIT_PUBLIC_URL: optionalString.pipe(z.url().optional()),
  FACE_MODEL_PATH: z.string().default("./build/models/face_detection_short_range_tasks.tflite"),
  LINK_TTL_HOURS: z.coerce.number().positive().max(24 * 30).default(72),
  /** Lifetime of an interviewer link (room-admin rights); shorter than the candidate link's, and rotatable. */
  INTERVIEWER_LINK_TTL_HOURS: z.coerce.number().positive().max(24 * 30).default(24),
  DATA_DIR: z.string().default("./data"),
  TRUSTED_PROXIES: optionalString,
  LIVENESS_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(3),
  /** Candidate sessions one link may start; stops a script from resetting state by starting afresh. */
  MAX_SESSIONS_PER_LINK: z.coerce.number().int().min(1).max(100).default(10),
  /** URL the verifier workers use to report to this kit; defaults to the loopback listener. */
  KIT_INTERNAL_URL: optionalString.pipe(z.url().optional()),
  /** Start a verifier worker beside the kit ("false" when workers run on other machines). */
  VERIFIER_WORKER: z.enum(["true", "false"]).default("true"),
  /** Chromium's fake camera is labelled with its file path; only tests may accept it. */
  ALLOW_FAKE_CAMERA: z.enum(["true", "false"]).default("false"),
  /**
   * Retired: the liveness challenge is always "follow". The three discrete moves ("moves"), which a
   * library of recorded answers could pass, are gone; a deployment still asking for them fails to
   * start rather than silently getting something else.
   */
  LIVENESS_CHALLENGE: z.literal("follow", { error: 'the discrete-move challenge is retired; "follow" is the only liveness challenge' }).optional(),
  /** Lets a challenge request fix the step order with a seed; for test configurations only. */
  LIVENESS_TEST_SEEDS: z.enum(["true", "false"]).default("false"),
  /** Candidate API requests one client IP may make per minute (link opens, sessions, challenges, reports). */
  RATE_LIMIT_PER_IP_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(120),
  /** Candidate API requests one candidate link may receive per minute, from all IPs together. */
  RATE_LIMIT_PER_LINK_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(60),
  /** Events one interview may hold; past it, candidate requests that would add events are refused. */
  MAX_EVENTS_PER_INTERVIEW: z.coerce.number().int().min(10).max(1_000_000).default(2000),
  SNAPSHOT_RETENTION_DAYS: z.coerce.number().positive().max(3650).default(30),
  /**
   * Days any personal data of an interview is kept (counted from its creation): past it the interview is
   * redacted as by DELETE /v1/interviews/:id/personal-data. Unset: only the snapshot and template limits apply.
   */
  PERSONAL_DATA_RETENTION_DAYS: z.coerce.number().positive().max(3650).optional(),
  /** Days a reference face template is kept; defaults to SNAPSHOT_RETENTION_DAYS. */
  TEMPLATE_RETENTION_DAYS: z.coerce.number().positive().max(3650).optional(),
  NETWORK_REUSE_DAYS: z.coerce.number().positive().max(365).default(30),
  /** Whether a new interview asks for an identity document after the pass, when POST /v1/interviews does not say. */
  DOCUMENT_STEP_DEFAULT: DocumentMode.default(DEFAULT_DOCUMENT_MODE),
  /** Key of the document-number hash; every kit process on one database must share it. Unset: generated once in DATA_DIR. */
  DOCUMENT_HASH_KEY: z.string().min(32).optional(),
  /** Days a read document's number hash is kept for `document_reused` (the document's fields live as long as the interview's personal data). */
  DOCUMENT_REUSE_DAYS: z.coerce.number().positive().max(3650).default(365),
  /** Cosine similarity at or above which two faces are the same person (measured: docs/identity-measurements.md). */
  FACE_MATCH_THRESHOLD: z.coerce.number().min(0).max(1).optional(),
  /** Seconds a candidate in the interview room may go without publishing a camera before `no_video`. */
  MONITOR_NO_VIDEO_SECONDS: z.coerce.number().positive().max(3600).default(20),
  /** Seconds without a face before `face_absent`. */
  MONITOR_ABSENT_SECONDS: z.coerce.number().positive().max(3600).default(3),
  /** Seconds a different face must persist before `face_mismatch`. */
  MONITOR_MISMATCH_SECONDS: z.coerce.number().positive().max(3600).default(MISMATCH_HOLD_MS / 1000),
  /** Deliver webhooks to loopback, private, link-local and CGNAT addresses (an ATS on the same network); refused by default (SSRF). */
  WEBHOOK_ALLOW_PRIVATE_URLS: z.enum(["true", "false"]).default("false"),
  /** Days delivered and failed webhook deliveries (and their attempts) stay in the delivery log. */
  WEBHOOK_LOG_RETENTION_DAYS: z.coerce.number().positive().max(3650).default(30),
  /** Seconds a webhook receiver has to answer before the attempt fails (Svix: 15). A killed kit's claims are retaken after 4 times this. */
  WEBHOOK_TIMEOUT_SECONDS: z.coerce.number().min(1).max(60).default(15),
  /** Where outgoing webhooks are sent from: a process of the kit's own, the API's event loop, or elsewhere. */
  WEBHOOK_DISPATCHER: z.enum(["process", "inline", "off"]).default("process"),
  /** Comma-separated origins allowed to frame the candidate and interviewer pages; the kit's own origin always may. */
  EMBED_ALLOWED_ORIGINS: optionalString,
  /** Lifetime of the widget's signed completion token; the host's backend verifies it soon after the pass. */
  COMPLETION_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(3600).default(600),
  NODE_ENV: z.string().optional(),
  GEO_COUNTRY_DB: optionalString,
  GEO_ASN_DB: optionalString,
  // Bounds and defaults for these two live in SignalSettings, checked below.
  SIGNALS_WINDOW_HOURS: z.coerce.number().optional(),
  CLOCK_SKEW_SECONDS: z.coerce.number().optional(),
  /** "lat,lon" of the LiveKit server candidates connect to; unset with a distributed SFU. */
  SERVER_LOCATION: optionalString.pipe(
    z
      .string()
      .regex(/^-?\d+(\.\d+)?,\s*-?\d+(\.\d+)?$/, { message: 'must be "lat,lon", like 37.57,126.98' })
      .optional(),
  ),
});

/** The kit's validated settings, read once at start-up and passed in. */
export interface Config {
  port: number;
  host: string;
  publicUrl: string;
  databaseUrl: string;
  /** SQLite's `synchronous` setting (WAL mode): `normal` or `full`. */
  sqliteSynchronous: "normal" | "full";
  dataDir: string;
  apiKeys: string[];
  livekit: { url: string; publicUrl: string; apiKey: string; apiSecret: string } | undefined;
  faceModelPath: string;
  linkTtlHours: number;
  /** Reference faces: the match threshold and how long templates are kept. */
  identity: { matchThreshold: number; templateRetentionDays: number; networkReuseDays: number };
  /** The identity document step: the default setting, the number hash's key (undefined: generated in DATA_DIR) and how long hashes are kept. */
  documents: { defaultMode: DocumentMode; hashKey?: string; reuseDays: number };
  /** The interview monitor's limits, in ms. */
  monitor: { noVideoMs: number; absentMs: number; mismatchMs: number };
  /** Lifetime of an interviewer link, from creation or rotation; never past the interview's own expiry at creation. */
  interviewerLinkTtlHours: number;
  trustedProxies: string[];
  livenessMaxAttempts: number;
  maxSessionsPerLink: number;
  /** Per-minute request limits on the candidate API, counted in the store so every kit process shares them. */
  rateLimits: { perIpPerMinute: number; perLinkPerMinute: number };
  /** Events one interview may hold before candidate requests are refused. */
  maxEventsPerInterview: number;
  /** Base URL verifier workers report to. */
  internalUrl: string;
  startVerifierWorker: boolean;
  allowFakeCamera: boolean;
  livenessTestSeeds: boolean;
  /** The liveness challenge the kit runs. */
  snapshotRetentionDays: number;
  /** Days before an interview's personal data is redacted; undefined keeps it (snapshot and template limits still apply). */
  personalDataRetentionDays?: number;
  /** Origins, besides the kit's own, whose pages may frame the candidate and interviewer pages. */
  embedAllowedOrigins: string[];
  /** Lifetime of a completion token (the widget's signed pass), in seconds. */
  completionTokenTtlSeconds: number;
  geo: { countryDb?: string; asnDb?: string };
  signals: SignalSettingsInput;
  /** Outgoing webhooks: whether private targets are allowed, and how long the delivery log is kept. */
  webhooks: { allowPrivateUrls: boolean; logRetentionDays: number; timeoutMs: number };
  /** Where webhooks are sent from: `process`, a dispatcher process the kit starts; `inline`, the API's event loop; `off`, dispatchers run apart. */
  webhookDispatcher: "process" | "inline" | "off";
}

/** Raised at start-up when an environment variable is wrong; names the variable. */
export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = "ConfigError";
  }
}

/**
 * Parses the environment into a Config, failing fast with the variable's name.
 * LiveKit settings are all-or-nothing: a URL without credentials is an error,
 * and no URL at all means the kit runs its own local livekit-server.
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(String(issue.path[0] ?? "environment"), issue.message);
  }
  const e = parsed.data;
  let livekit: Config["livekit"];
  if (e.LIVEKIT_URL) {
    if (!e.LIVEKIT_API_KEY) throw new ConfigError("LIVEKIT_API_KEY", "required when LIVEKIT_URL is set");
    if (!e.LIVEKIT_API_SECRET) throw new ConfigError("LIVEKIT_API_SECRET", "required when LIVEKIT_URL is set");
    livekit = {
      url: e.LIVEKIT_URL,
      publicUrl: e.LIVEKIT_PUBLIC_URL ?? e.LIVEKIT_URL,
      apiKey: e.LIVEKIT_API_KEY,
      apiSecret: e.LIVEKIT_API_SECRET,
    };
  }
  const apiKeys = (e.API_KEYS ?? "").split(",").map((k) => k.trim()).filter(Boolean);
  for (const key of apiKeys) {
    if (key.length < 16) throw new ConfigError("API_KEYS", "each key must be at least 16 characters");
  }
  if (e.NODE_ENV === "production" && (e.LIVENESS_TEST_SEEDS === "true" || e.ALLOW_FAKE_CAMERA === "true")) {
    const variable = e.LIVENESS_TEST_SEEDS === "true" ? "LIVENESS_TEST_SEEDS" : "ALLOW_FAKE_CAMERA";
    throw new ConfigError(variable, "is a test setting and is refused when NODE_ENV=production");
  }
  const publicUrl = (e.PUBLIC_URL ?? `http://127.0.0.1:${e.PORT}`).replace(/\/+$/, "");
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    databaseUrl: e.DATABASE_URL ?? path.join(e.DATA_DIR, "kit.db"),
    sqliteSynchronous: e.SQLITE_SYNCHRONOUS,
    dataDir: e.DATA_DIR,
    apiKeys,
    livekit,
    faceModelPath: e.FACE_MODEL_PATH,
    linkTtlHours: e.LINK_TTL_HOURS,
    interviewerLinkTtlHours: e.INTERVIEWER_LINK_TTL_HOURS,
    trustedProxies: parseProxies(e.TRUSTED_PROXIES ?? ""),
    livenessMaxAttempts: e.LIVENESS_MAX_ATTEMPTS,
    maxSessionsPerLink: e.MAX_SESSIONS_PER_LINK,
    rateLimits: { perIpPerMinute: e.RATE_LIMIT_PER_IP_PER_MINUTE, perLinkPerMinute: e.RATE_LIMIT_PER_LINK_PER_MINUTE },
    maxEventsPerInterview: e.MAX_EVENTS_PER_INTERVIEW,
    internalUrl: (e.KIT_INTERNAL_URL ?? `http://127.0.0.1:${e.PORT}`).replace(/\/+$/, ""),
    startVerifierWorker: e.VERIFIER_WORKER === "true",
    allowFakeCamera: e.ALLOW_FAKE_CAMERA === "true",
    livenessTestSeeds: e.LIVENESS_TEST_SEEDS === "true",
    snapshotRetentionDays: e.SNAPSHOT_RETENTION_DAYS,
    ...(e.PERSONAL_DATA_RETENTION_DAYS !== undefined ? { personalDataRetentionDays: e.PERSONAL_DATA_RETENTION_DAYS } : {}),
    identity: {
      matchThreshold: e.FACE_MATCH_THRESHOLD ?? FACE_MATCH_THRESHOLD,
      templateRetentionDays: e.TEMPLATE_RETENTION_DAYS ?? e.SNAPSHOT_RETENTION_DAYS,
      networkReuseDays: e.NETWORK_REUSE_DAYS,
    },
    documents: { defaultMode: e.DOCUMENT_STEP_DEFAULT, ...(e.DOCUMENT_HASH_KEY ? { hashKey: e.DOCUMENT_HASH_KEY } : {}), reuseDays: e.DOCUMENT_REUSE_DAYS },
    monitor: {
      noVideoMs: Math.round(e.MONITOR_NO_VIDEO_SECONDS * 1000),
      absentMs: Math.round(e.MONITOR_ABSENT_SECONDS * 1000),
      mismatchMs: Math.round(e.MONITOR_MISMATCH_SECONDS * 1000),
    },
    embedAllowedOrigins: parseOrigins(e.EMBED_ALLOWED_ORIGINS ?? ""),
    webhooks: {
      allowPrivateUrls: e.WEBHOOK_ALLOW_PRIVATE_URLS === "true",
      logRetentionDays: e.WEBHOOK_LOG_RETENTION_DAYS,
      timeoutMs: Math.round(e.WEBHOOK_TIMEOUT_SECONDS * 1000),
    },
    webhookDispatcher: e.WEBHOOK_DISPATCHER,
    completionTokenTtlSeconds: e.COMPLETION_TOKEN_TTL_SECONDS,
    geo: { ...(e.GEO_COUNTRY_DB ? { countryDb: e.GEO_COUNTRY_DB } : {}), ...(e.GEO_ASN_DB ? { asnDb: e.GEO_ASN_DB } : {}) },
    signals: parseSignals({
      ...(e.SIGNALS_WINDOW_HOURS !== undefined ? { windowHours: e.SIGNALS_WINDOW_HOURS } : {}),
      ...(e.CLOCK_SKEW_SECONDS !== undefined ? { clockSkewSeconds: e.CLOCK_SKEW_SECONDS } : {}),
      ...(e.SERVER_LOCATION ? { serverLocation: parseLatLon(e.SERVER_LOCATION) } : {}),
    }),
  };
}

/** The variable each signal setting is read from, to name it in a ConfigError. */
const SIGNAL_VARIABLES: Record<string, string> = {
  windowHours: "SIGNALS_WINDOW_HOURS",
  clockSkewSeconds: "CLOCK_SKEW_SECONDS",
  serverLocation: "SERVER_LOCATION",
};

function parseSignals(input: SignalSettingsInput): SignalSettings {
  const parsed = SignalSettings.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new ConfigError(SIGNAL_VARIABLES[String(issue.path[0])] ?? "environment", issue.message);
}

/**
 * Parses `TRUSTED_PROXIES`: IP addresses and CIDR ranges, comma-separated.
 * Checked here so a typo stops the kit at start-up with exit code 2.
 */
function parseProxies(value: string): string[] {
  const entries = value.split(",").map((s) => s.trim()).filter(Boolean);
  for (const entry of entries) {
    const [address = "", prefix, ...rest] = entry.split("/");
    const family = isIP(address);
    const bits = family === 6 ? 128 : 32;
    const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits);
    if (!family || !prefixOk || rest.length > 0) {
      throw new ConfigError("TRUSTED_PROXIES", `"${entry}" is not an IP address or CIDR range`);
    }
  }
  return entries;
}

/**
 * Parses `EMBED_ALLOWED_ORIGINS` into bare origins (`https://hr.example.com`).
 * Each must be an http(s) URL with no path, query or credentials, since it is
 * written into a Content-Security-Policy header as it is.
 */
function parseOrigins(value: string): string[] {
  const origins: string[] = [];
  for (const raw of value.split(",").map((s) => s.trim()).filter(Boolean)) {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new ConfigError("EMBED_ALLOWED_ORIGINS", `"${raw}" is not a URL; list origins like https://hr.example.com`);
    }
    const bare = url.pathname === "/" && !url.search && !url.hash && !url.username && !url.password;
    if (!/^https?:$/.test(url.protocol) || !bare || !/^https?:\/\/(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d+)?$/.test(url.origin)) {
      throw new ConfigError("EMBED_ALLOWED_ORIGINS", `"${raw}" is not an http(s) origin; list origins like https://hr.example.com`);
    }
    if (!origins.includes(url.origin)) origins.push(url.origin);
  }
  return origins;
}

function parseLatLon(value: string): { lat: number; lon: number } {
  const [lat, lon] = value.split(",").map((v) => Number(v.trim()));
  if (!(Math.abs(lat!) <= 90 && Math.abs(lon!) <= 180)) {
    throw new ConfigError("SERVER_LOCATION", "latitude must be within ±90 and longitude within ±180");
  }
  return { lat: lat!, lon: lon! };
}

/** For a process entry point: the config, or a `Configuration error: …` line and exit code 2. */
export function loadConfigOrExit(env: Record<string, string | undefined>): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Configuration error: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
}
