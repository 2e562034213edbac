import type pg from "pg";

/**
 * Text the kit compares and sorts (ids, ISO times, hashes) uses the "C" collation, so Postgres orders
 * and compares it byte by byte as SQLite does, whatever the database's locale.
 */
const T = 'TEXT COLLATE "C"';

/**
 * Postgres schema migrations, applied in order at start; never edit one that has shipped, append a new one.
 * Times stay ISO-8601 text and JSON stays text, so every backend returns the same strings byte for byte.
 */
export const PG_MIGRATIONS: string[] = [
  `
  CREATE TABLE interviews (
    id ${T} PRIMARY KEY,
    status ${T} NOT NULL,
    candidate_name ${T} NOT NULL,
    candidate_email ${T},
    claimed_location ${T},
    room ${T} NOT NULL UNIQUE,
    candidate_token_hash ${T} NOT NULL UNIQUE,
    interviewer_token_hash ${T} NOT NULL UNIQUE,
    created_at ${T} NOT NULL,
    expires_at ${T} NOT NULL,
    interviewer_expires_at ${T}
  );
  CREATE INDEX interviews_by_age ON interviews(created_at, id);
  CREATE TABLE events (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    interview_id ${T} NOT NULL REFERENCES interviews(id),
    type ${T} NOT NULL,
    at ${T} NOT NULL,
    actor ${T} NOT NULL,
    ip ${T},
    user_agent ${T},
    data ${T} NOT NULL DEFAULT '{}'
  );
  CREATE INDEX events_by_interview ON events(interview_id, id);
  CREATE INDEX events_by_type ON events(type, interview_id);
  CREATE TABLE candidate_sessions (
    id ${T} PRIMARY KEY,
    interview_id ${T} NOT NULL REFERENCES interviews(id),
    key_hash ${T} NOT NULL UNIQUE,
    created_at ${T} NOT NULL,
    ip ${T},
    user_agent ${T},
    verified_at ${T},
    attempts INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX sessions_by_interview ON candidate_sessions(interview_id);
  CREATE TABLE challenges (
    id ${T} PRIMARY KEY,
    interview_id ${T} NOT NULL REFERENCES interviews(id),
    session_id ${T} NOT NULL REFERENCES candidate_sessions(id),
    steps ${T} NOT NULL,
    deadlines ${T} NOT NULL,
    issued_at ${T} NOT NULL,
    expires_at ${T} NOT NULL,
    used_at ${T},
    verdict ${T},
    room ${T},
    callback_hash ${T},
    state ${T} NOT NULL DEFAULT 'expired',
    phase ${T} NOT NULL DEFAULT 'waiting_verifier',
    progress_at ${T},
    failure ${T},
    refunded INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX challenges_by_interview ON challenges(interview_id, refunded);
  CREATE INDEX challenges_by_session ON challenges(session_id, state);
  CREATE TABLE snapshots (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    interview_id ${T} NOT NULL REFERENCES interviews(id),
    challenge_id ${T} NOT NULL REFERENCES challenges(id),
    step INTEGER NOT NULL,
    t DOUBLE PRECISION NOT NULL,
    jpeg BYTEA NOT NULL,
    created_at ${T} NOT NULL
  );
  CREATE INDEX snapshots_by_interview ON snapshots(interview_id, id);
  CREATE INDEX snapshots_by_age ON snapshots(created_at);
  CREATE TABLE face_templates (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    interview_id ${T} NOT NULL REFERENCES interviews(id),
    challenge_id ${T} NOT NULL,
    candidate_name ${T} NOT NULL,
    candidate_email ${T},
    vector BYTEA NOT NULL,
    frames INTEGER NOT NULL,
    consistency DOUBLE PRECISION NOT NULL,
    created_at ${T} NOT NULL
  );
  CREATE INDEX face_templates_by_interview ON face_templates(interview_id, id);
  CREATE INDEX face_templates_by_age ON face_templates(created_at);
  CREATE TABLE monitors (
    id ${T} PRIMARY KEY,
    interview_id ${T} NOT NULL REFERENCES interviews(id),
    callback_hash ${T} NOT NULL,
    started_at ${T} NOT NULL,
    heartbeat_at ${T},
    ended_at ${T}
  );
  CREATE INDEX monitors_by_interview ON monitors(interview_id, ended_at);
  CREATE TABLE rechallenges (
    id ${T} PRIMARY KEY,
    interview_id ${T} NOT NULL REFERENCES interviews(id),
    step ${T} NOT NULL,
    delay_ms INTEGER NOT NULL,
    state ${T} NOT NULL,
    issued_at ${T} NOT NULL,
    expires_at ${T} NOT NULL,
    sent_at ${T}
  );
  CREATE INDEX rechallenges_by_interview ON rechallenges(interview_id, state);
  CREATE TABLE api_keys (
    id ${T} PRIMARY KEY,
    name ${T} NOT NULL,
    prefix ${T} NOT NULL,
    secret_hash ${T} NOT NULL UNIQUE,
    created_at ${T} NOT NULL,
    last_used_at ${T},
    revoked_at ${T}
  );
  CREATE TABLE idempotency_keys (
    api_key_id ${T} NOT NULL,
    key ${T} NOT NULL,
    request_hash ${T} NOT NULL,
    created_at ${T} NOT NULL,
    status INTEGER,
    content_type ${T},
    body ${T},
    PRIMARY KEY (api_key_id, key)
  );
  CREATE INDEX idempotency_keys_by_age ON idempotency_keys(created_at);
  CREATE TABLE webhook_endpoints (
    id ${T} PRIMARY KEY,
    url ${T} NOT NULL,
    description ${T},
    events ${T},
    secret ${T} NOT NULL,
    previous_secret ${T},
    previous_secret_expires_at ${T},
    created_at ${T} NOT NULL,
    disabled_at ${T}
  );
  CREATE TABLE webhook_deliveries (
    -- Insertion order, as SQLite's rowid gives it: ties in created_at are broken by it.
    seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    id ${T} PRIMARY KEY,
    endpoint_id ${T} NOT NULL REFERENCES webhook_endpoints(id),
    event_id BIGINT,
    type ${T} NOT NULL,
    payload ${T} NOT NULL,
    once_key ${T},
    status ${T} NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at ${T},
    created_at ${T} NOT NULL,
    UNIQUE (endpoint_id, once_key)
  );
  CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, next_attempt_at);
  CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries(endpoint_id, created_at);
  CREATE TABLE webhook_attempts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_id ${T} NOT NULL REFERENCES webhook_deliveries(id),
    at ${T} NOT NULL,
    status_code INTEGER,
    error ${T},
    duration_ms INTEGER NOT NULL
  );
  CREATE INDEX webhook_attempts_by_delivery ON webhook_attempts(delivery_id, id);
  -- rate-limiter-flexible's Postgres table, created here so no process races to create it.
  CREATE TABLE rate_limits (
    key VARCHAR(255) COLLATE "C" PRIMARY KEY,
    points INTEGER NOT NULL DEFAULT 0,
    expire BIGINT
  );
  CREATE TABLE job_runs (
    name ${T} PRIMARY KEY,
    last_run_at ${T} NOT NULL
  );
  `,
  // Each interview's risk level, stored with the event that set it, so lists never recompute it.
  `
  ALTER TABLE interviews ADD COLUMN risk_level ${T};
  `,
  // Verdicts no longer keep the reference face's embedding or antispoof scores (biometric data lives only in face_templates).
  `
  UPDATE challenges SET verdict = ((verdict::jsonb #- '{reference,embedding}') #- '{reference,antispoof}')::text
   WHERE verdict IS NOT NULL AND (verdict::jsonb -> 'reference') ?| array['embedding', 'antispoof'];
  `,
  // API-key scopes, and which key made which. Keys made before scopes keep what they did, except managing keys.
  `
  ALTER TABLE api_keys ADD COLUMN scopes ${T} NOT NULL DEFAULT '["interviews:read","interviews:write","personal_data","webhooks"]';
  ALTER TABLE api_keys ADD COLUMN created_by ${T};
  `,
  // An interviewer may accept a later pass's face as the interview's reference in place of the first.
  `
  ALTER TABLE face_templates ADD COLUMN accepted_at ${T};
  `,
  // Where each candidate was seen from, by address and network prefix: laptop farms across interviews.
  `
  CREATE TABLE ip_sightings (
    interview_id ${T} NOT NULL REFERENCES interviews(id),
    ip ${T} NOT NULL,
    prefix ${T} NOT NULL,
    at ${T} NOT NULL,
    PRIMARY KEY (interview_id, ip)
  );
  CREATE INDEX ip_sightings_by_ip ON ip_sightings(ip, at);
  CREATE INDEX ip_sightings_by_prefix ON ip_sightings(prefix, at);
  `,
  // Identity documents: the per-interview setting, and each read document's number (a keyed hash) for reuse across interviews.
  `
  ALTER TABLE interviews ADD COLUMN document_mode ${T};
  CREATE TABLE document_sightings (
    interview_id ${T} NOT NULL REFERENCES interviews(id),
    number_hash ${T} NOT NULL,
    at ${T} NOT NULL,
    PRIMARY KEY (interview_id, number_hash)
  );
  CREATE INDEX document_sightings_by_hash ON document_sightings(number_hash, at);
  `,
  // Laptop farms, the device half: a keyed hash of each session's reported machine, for reuse across interviews.
  `
  CREATE TABLE device_sightings (
    interview_id ${T} NOT NULL REFERENCES interviews(id),
    fingerprint ${T} NOT NULL,
    at ${T} NOT NULL,
    PRIMARY KEY (interview_id, fingerprint)
  );
  CREATE INDEX device_sightings_by_fingerprint ON device_sightings(fingerprint, at);
  `,
];

/** Any fixed number: the advisory lock that makes starting processes migrate one at a time. */
const MIGRATION_LOCK = 7_301_001;

/**
 * Applies the missing migrations in one transaction. Processes starting together queue on an
 * advisory lock, so each migration runs once; a failed one leaves the schema as it was.
 */
export async function migrate(client: pg.ClientBase): Promise<void> {
  await client.query("BEGIN");
  try {
    await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
    await client.query("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
    const { rows } = await client.query<{ v: number | null }>("SELECT MAX(version) AS v FROM schema_version");
    for (let v = rows[0]?.v ?? 0; v < PG_MIGRATIONS.length; v++) {
      await client.query(PG_MIGRATIONS[v]!);
      await client.query("INSERT INTO schema_version (version) VALUES ($1)", [v + 1]);
    }
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  }
}
