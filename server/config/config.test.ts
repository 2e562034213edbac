import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.js";

describe("loadConfig", () => {
  it("uses embedded defaults on an empty environment", () => {
    const config = loadConfig({});
    expect(config.port).toBe(8787);
    expect(config.publicUrl).toBe("http://127.0.0.1:8787");
    expect(config.databaseUrl).toBe("data/kit.db");
    expect(config.livekit).toBeUndefined();
    expect(config.apiKeys).toEqual([]);
    expect(config.allowFakeCamera).toBe(false);
    expect(config.linkTtlHours).toBe(72);
    expect(config.interviewerLinkTtlHours).toBe(24);
  });

  it("refuses the retired discrete-move challenge by name instead of running another one silently", () => {
    expect(() => loadConfig({ LIVENESS_CHALLENGE: "moves" })).toThrowError(/^LIVENESS_CHALLENGE:.*retired/);
    expect(() => loadConfig({ LIVENESS_CHALLENGE: "follow" })).not.toThrow();
  });

  it("reads INTERVIEWER_LINK_TTL_HOURS and refuses a non-positive one", () => {
    expect(loadConfig({ INTERVIEWER_LINK_TTL_HOURS: "8" }).interviewerLinkTtlHours).toBe(8);
    expect(() => loadConfig({ INTERVIEWER_LINK_TTL_HOURS: "0" })).toThrowError(/^INTERVIEWER_LINK_TTL_HOURS:/);
  });

  it("accepts a SQLite path or a postgres:// URL as DATABASE_URL, and refuses anything else with a reason", () => {
    expect(loadConfig({ DATABASE_URL: "sqlite:./data/x.db" }).databaseUrl).toBe("sqlite:./data/x.db");
    // The database goes with the rest of the kit's data unless DATABASE_URL says otherwise.
    expect(loadConfig({ DATA_DIR: "/srv/kit" }).databaseUrl).toBe("/srv/kit/kit.db");
    expect(loadConfig({ DATA_DIR: "/srv/kit", DATABASE_URL: "/elsewhere/k.db" }).databaseUrl).toBe("/elsewhere/k.db");
    expect(loadConfig({ DATABASE_URL: "postgres://kit:pw@db:5432/kit" }).databaseUrl).toBe("postgres://kit:pw@db:5432/kit");
    expect(loadConfig({ DATABASE_URL: "postgresql://db/kit" }).databaseUrl).toBe("postgresql://db/kit");
    expect(() => loadConfig({ DATABASE_URL: "mysql://db/kit" })).toThrowError(/^DATABASE_URL: unsupported scheme "mysql:\/\/"/);
    expect(() => loadConfig({ DATABASE_URL: "postgres://db:5432" })).toThrowError(/^DATABASE_URL: a postgres:\/\/ URL needs a host and a database name/);
    expect(() => loadConfig({ DATABASE_URL: "postgres://db:port/kit" })).toThrowError(/^DATABASE_URL: is not a valid postgres:\/\/ URL/);
    expect(() => loadConfig({ DATABASE_URL: "sqlite:" })).toThrowError(/^DATABASE_URL: names no SQLite file/);
  });

  it("opens SQLite with synchronous=normal unless SQLITE_SYNCHRONOUS=full, and refuses other values", () => {
    expect(loadConfig({}).sqliteSynchronous).toBe("normal");
    expect(loadConfig({ SQLITE_SYNCHRONOUS: "full" }).sqliteSynchronous).toBe("full");
    expect(() => loadConfig({ SQLITE_SYNCHRONOUS: "off" })).toThrowError(/^SQLITE_SYNCHRONOUS:/);
  });

  it("refuses private webhook targets unless WEBHOOK_ALLOW_PRIVATE_URLS=true", () => {
    expect(loadConfig({}).webhooks.allowPrivateUrls).toBe(false);
    expect(loadConfig({ WEBHOOK_ALLOW_PRIVATE_URLS: "true" }).webhooks.allowPrivateUrls).toBe(true);
    expect(loadConfig({ WEBHOOK_ALLOW_PRIVATE_URLS: "false" }).webhooks.allowPrivateUrls).toBe(false);
    expect(() => loadConfig({ WEBHOOK_ALLOW_PRIVATE_URLS: "yes" })).toThrowError(/^WEBHOOK_ALLOW_PRIVATE_URLS:/);
  });

  it("keeps the webhook delivery log WEBHOOK_LOG_RETENTION_DAYS (30 by default) and refuses a non-positive one", () => {
    expect(loadConfig({}).webhooks.logRetentionDays).toBe(30);
    expect(loadConfig({ WEBHOOK_LOG_RETENTION_DAYS: "7" }).webhooks.logRetentionDays).toBe(7);
    expect(() => loadConfig({ WEBHOOK_LOG_RETENTION_DAYS: "0" })).toThrowError(/^WEBHOOK_LOG_RETENTION_DAYS:/);
    expect(() => loadConfig({ WEBHOOK_LOG_RETENTION_DAYS: "soon" })).toThrowError(/^WEBHOOK_LOG_RETENTION_DAYS:/);
  });

  it("reads WEBHOOK_TIMEOUT_SECONDS (15 by default) within 1 to 60", () => {
    expect(loadConfig({}).webhooks.timeoutMs).toBe(15_000);
    expect(loadConfig({ WEBHOOK_TIMEOUT_SECONDS: "2.5" }).webhooks.timeoutMs).toBe(2_500);
    expect(() => loadConfig({ WEBHOOK_TIMEOUT_SECONDS: "0.5" })).toThrowError(/^WEBHOOK_TIMEOUT_SECONDS:/);
    expect(() => loadConfig({ WEBHOOK_TIMEOUT_SECONDS: "61" })).toThrowError(/^WEBHOOK_TIMEOUT_SECONDS:/);
  });

  it("names the variable that is wrong", () => {
    expect(() => loadConfig({ PORT: "eighty" })).toThrowError(ConfigError);
    expect(() => loadConfig({ PORT: "eighty" })).toThrowError(/^PORT:/);
    expect(() => loadConfig({ PUBLIC_URL: "not a url" })).toThrowError(/^PUBLIC_URL:/);
  });

  it("requires LiveKit credentials with a LiveKit URL", () => {
    expect(() => loadConfig({ LIVEKIT_URL: "wss://lk.example.com" })).toThrowError(/^LIVEKIT_API_KEY:/);
    expect(() =>
      loadConfig({ LIVEKIT_URL: "wss://lk.example.com", LIVEKIT_API_KEY: "k" }),
    ).toThrowError(/^LIVEKIT_API_SECRET:/);
    const config = loadConfig({
      LIVEKIT_URL: "wss://lk.example.com",
      LIVEKIT_API_KEY: "key",
      LIVEKIT_API_SECRET: "secret",
    });
    expect(config.livekit).toEqual({
      url: "wss://lk.example.com",
      publicUrl: "wss://lk.example.com",
      apiKey: "key",
      apiSecret: "secret",
    });
  });

  it("splits API keys and rejects short ones", () => {
    expect(loadConfig({ API_KEYS: "aaaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbb" }).apiKeys).toEqual([
      "aaaaaaaaaaaaaaaa",
      "bbbbbbbbbbbbbbbb",
    ]);
    expect(() => loadConfig({ API_KEYS: "short" })).toThrowError(/^API_KEYS:/);
  });

  it("refuses test-only settings in production", () => {
    expect(loadConfig({ LIVENESS_TEST_SEEDS: "true" }).livenessTestSeeds).toBe(true);
    expect(() => loadConfig({ NODE_ENV: "production", LIVENESS_TEST_SEEDS: "true" })).toThrowError(/^LIVENESS_TEST_SEEDS:/);
    expect(() => loadConfig({ NODE_ENV: "production", ALLOW_FAKE_CAMERA: "true" })).toThrowError(/^ALLOW_FAKE_CAMERA:/);
  });

  it("parses the server location for the round-trip rule", () => {
    expect(loadConfig({ SERVER_LOCATION: "37.57, 126.98" }).signals.serverLocation).toEqual({ lat: 37.57, lon: 126.98 });
    expect(() => loadConfig({ SERVER_LOCATION: "Seoul" })).toThrowError(/^SERVER_LOCATION:/);
    expect(() => loadConfig({ SERVER_LOCATION: "137,10" })).toThrowError(/^SERVER_LOCATION:/);
  });

  it("reads EMBED_ALLOWED_ORIGINS as validated origins, none by default", () => {
    expect(loadConfig({}).embedAllowedOrigins).toEqual([]);
    expect(loadConfig({ EMBED_ALLOWED_ORIGINS: "https://hr.example.com/, http://localhost:3000,https://hr.example.com" }).embedAllowedOrigins).toEqual([
      "https://hr.example.com",
      "http://localhost:3000",
    ]);
    for (const bad of ["hr.example.com", "ftp://hr.example.com", "https://hr.example.com/path", "https://a.com;script-src *", "*", "https://u:p@a.com"]) {
      expect(() => loadConfig({ EMBED_ALLOWED_ORIGINS: bad }), bad).toThrowError(/^EMBED_ALLOWED_ORIGINS:/);
    }
  });

  it("reads COMPLETION_TOKEN_TTL_SECONDS, 10 minutes by default, and refuses a lifetime outside 30 s to 1 h", () => {
    expect(loadConfig({}).completionTokenTtlSeconds).toBe(600);
    expect(loadConfig({ COMPLETION_TOKEN_TTL_SECONDS: "120" }).completionTokenTtlSeconds).toBe(120);
    for (const bad of ["0", "10", "3601", "ten", "1.5"]) {
      expect(() => loadConfig({ COMPLETION_TOKEN_TTL_SECONDS: bad }), bad).toThrowError(/^COMPLETION_TOKEN_TTL_SECONDS:/);
    }
  });

  it("reads TRUSTED_PROXIES as addresses and CIDR ranges, refusing anything else as a ConfigError", () => {
    expect(loadConfig({}).trustedProxies).toEqual([]);
    expect(loadConfig({ TRUSTED_PROXIES: "127.0.0.1, 10.0.0.0/8,::1,fd00::/8" }).trustedProxies).toEqual([
      "127.0.0.1",
      "10.0.0.0/8",
      "::1",
      "fd00::/8",
    ]);
    for (const bad of ["example.com", "10.0.0.0/33", "fd00::/129", "10.0.0.0/", "10.0.0.0/8/8", "10.0.0.0/x"]) {
      expect(() => loadConfig({ TRUSTED_PROXIES: bad }), bad).toThrowError(ConfigError);
      expect(() => loadConfig({ TRUSTED_PROXIES: bad }), bad).toThrowError(/^TRUSTED_PROXIES:/);
    }
  });

  it("takes the signal settings' defaults and bounds from SignalSettings, naming the variable", () => {
    expect(loadConfig({}).signals).toMatchObject({ windowHours: 24, clockSkewSeconds: 120 });
    expect(loadConfig({ SIGNALS_WINDOW_HOURS: "6", CLOCK_SKEW_SECONDS: "30" }).signals).toMatchObject({ windowHours: 6, clockSkewSeconds: 30 });
    expect(() => loadConfig({ SIGNALS_WINDOW_HOURS: "0" })).toThrowError(/^SIGNALS_WINDOW_HOURS:/);
    expect(() => loadConfig({ SIGNALS_WINDOW_HOURS: String(24 * 31) })).toThrowError(/^SIGNALS_WINDOW_HOURS:/);
    expect(() => loadConfig({ CLOCK_SKEW_SECONDS: "-1" })).toThrowError(ConfigError);
    expect(() => loadConfig({ CLOCK_SKEW_SECONDS: "later" })).toThrowError(/^CLOCK_SKEW_SECONDS:/);
  });

  it("strips a trailing slash from PUBLIC_URL", () => {
    expect(loadConfig({ PUBLIC_URL: "https://verify.example.com/" }).publicUrl).toBe("https://verify.example.com");
  });

  it("reads the rate limits and the event cap, with defaults", () => {
    const defaults = loadConfig({});
    expect(defaults.rateLimits).toEqual({ perIpPerMinute: 120, perLinkPerMinute: 60 });
    expect(defaults.maxEventsPerInterview).toBe(2000);
    const set = loadConfig({ RATE_LIMIT_PER_IP_PER_MINUTE: "30", RATE_LIMIT_PER_LINK_PER_MINUTE: "20", MAX_EVENTS_PER_INTERVIEW: "500" });
    expect(set.rateLimits).toEqual({ perIpPerMinute: 30, perLinkPerMinute: 20 });
    expect(set.maxEventsPerInterview).toBe(500);
    expect(() => loadConfig({ RATE_LIMIT_PER_IP_PER_MINUTE: "0" })).toThrow(/RATE_LIMIT_PER_IP_PER_MINUTE/);
  });
});
