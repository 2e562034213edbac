/** Schema migrations, applied in order; never edit one that has shipped, append a new one. */
export const MIGRATIONS: string[] = [
  `
  CREATE TABLE interviews (
    id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    candidate_name TEXT NOT NULL,
    candidate_email TEXT,
    claimed_location TEXT,
    room TEXT NOT NULL UNIQUE,
    candidate_token_hash TEXT NOT NULL UNIQUE,
    interviewer_token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
  );
  CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    interview_id TEXT NOT NULL REFERENCES interviews(id),
    type TEXT NOT NULL,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    ip TEXT,
    user_agent TEXT,
    data TEXT NOT NULL DEFAULT '{}'
  );
  CREATE INDEX events_by_interview ON events(interview_id, id);
  CREATE TABLE candidate_sessions (
    id TEXT PRIMARY KEY,
    interview_id TEXT NOT NULL REFERENCES interviews(id),
    key_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    ip TEXT,
    user_agent TEXT,
    verified_at TEXT,
    attempts INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE challenges (
    id TEXT PRIMARY KEY,
    interview_id TEXT NOT NULL REFERENCES interviews(id),
    session_id TEXT NOT NULL REFERENCES candidate_sessions(id),
    nonce TEXT NOT NULL,
    steps TEXT NOT NULL,
    deadlines TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    verdict TEXT
  );
  `,
  `
  CREATE TABLE snapshots (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    interview_id TEXT NOT NULL REFERENCES interviews(id),
    challenge_id TEXT NOT NULL REFERENCES challenges(id),
    step INTEGER NOT NULL,
    t REAL NOT NULL,
    jpeg BLOB NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX snapshots_by_interview ON snapshots(interview_id, id);
  CREATE INDEX snapshots_by_age ON snapshots(created_at);
  `,
  // Server-verified liveness: a challenge is now a verification run by the verifier in its own room.
  // Old rows (client-evidence challenges) become "expired" and still count as attempts.
  `
  ALTER TABLE challenges ADD COLUMN room TEXT;
  ALTER TABLE challenges ADD COLUMN callback_hash TEXT;
  ALTER TABLE challenges ADD COLUMN state TEXT NOT NULL DEFAULT 'expired';
  ALTER TABLE challenges ADD COLUMN phase TEXT NOT NULL DEFAULT 'waiting_verifier';
  ALTER TABLE challenges ADD COLUMN progress_at TEXT;
  ALTER TABLE challenges ADD COLUMN failure TEXT;
  ALTER TABLE challenges ADD COLUMN refunded INTEGER NOT NULL DEFAULT 0;
  CREATE INDEX challenges_by_interview ON challenges(interview_id, refunded);
  CREATE INDEX challenges_by_session ON challenges(session_id, state);
  CREATE INDEX sessions_by_interview ON candidate_sessions(interview_id);
  `,
  // The interviewer link gets its own (shorter) lifetime; existing links keep the interview's expiry.
  `
  ALTER TABLE interviews ADD COLUMN interviewer_expires_at TEXT;
  UPDATE interviews SET interviewer_expires_at = expires_at;
  `,
  // Identity continuity: reference face templates, interview monitors and monitor-judged re-challenges.
  `
  CREATE TABLE face_templates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    interview_id TEXT NOT NULL REFERENCES interviews(id),
    challenge_id TEXT NOT NULL,
    candidate_name TEXT NOT NULL,
    candidate_email TEXT,
    vector BLOB NOT NULL,
    frames INTEGER NOT NULL,
    consistency REAL NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX face_templates_by_interview ON face_templates(interview_id, id);
  CREATE INDEX face_templates_by_age ON face_templates(created_at);
  CREATE TABLE monitors (
    id TEXT PRIMARY KEY,
    interview_id TEXT NOT NULL REFERENCES interviews(id),
    callback_hash TEXT NOT NULL,
    started_at TEXT NOT NULL,
    heartbeat_at TEXT,
    ended_at TEXT
  );
  CREATE INDEX monitors_by_interview ON monitors(interview_id, ended_at);
  CREATE TABLE rechallenges (
    id TEXT PRIMARY KEY,
    interview_id TEXT NOT NULL REFERENCES interviews(id),
    step TEXT NOT NULL,
    delay_ms INTEGER NOT NULL,
    state TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    sent_at TEXT
  );
  CREATE INDEX rechallenges_by_interview ON rechallenges(interview_id, state);
  `,
  // API keys made through the API (stored as SHA-256 hashes) and idempotency keys of creating POSTs.
  `
  CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    prefix TEXT NOT NULL,
    secret_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
  );
  CREATE TABLE idempotency_keys (
    api_key_id TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    status INTEGER,
    content_type TEXT,
    body TEXT,
    PRIMARY KEY (api_key_id, key)
  );
  CREATE INDEX idempotency_keys_by_age ON idempotency_keys(created_at);
  `,
  // Outgoing webhooks (Standard Webhooks): endpoints, the outbox of deliveries written with their event, attempts.
  // event_id has no foreign key: redacting or purging events must not be blocked by the delivery log.
  `
  CREATE TABLE webhook_endpoints (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    description TEXT,
    events TEXT,
    secret TEXT NOT NULL,
    previous_secret TEXT,
    previous_secret_expires_at TEXT,
    created_at TEXT NOT NULL,
    disabled_at TEXT
  );
  CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY,
    endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints(id),
    event_id INTEGER,
    type TEXT NOT NULL,
    payload TEXT NOT NULL,
    once_key TEXT,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (endpoint_id, once_key)
  );
  CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, next_attempt_at);
  CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries(endpoint_id, created_at);
  CREATE TABLE webhook_attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    delivery_id TEXT NOT NULL REFERENCES webhook_deliveries(id),
    at TEXT NOT NULL,
    status_code INTEGER,
    error TEXT,
    duration_ms INTEGER NOT NULL
  );
  CREATE INDEX webhook_attempts_by_delivery ON webhook_attempts(delivery_id, id);
  `,
  // Background jobs (purges) run once per interval across every kit process on the database.
  `
  CREATE TABLE job_runs (
    name TEXT PRIMARY KEY,
    last_run_at TEXT NOT NULL
  );
  `,
  // Each interview's risk level, stored with the event that set it; the list's order and lookups indexed.
  `
  ALTER TABLE interviews ADD COLUMN risk_level TEXT;
  CREATE INDEX interviews_by_created ON interviews(created_at DESC, id DESC);
  `,
  // Verdicts no longer keep the reference face's embedding or antispoof scores (biometric data lives only in face_templates).
  `
  UPDATE challenges SET verdict = json_remove(verdict, '$.reference.embedding', '$.reference.antispoof')
   WHERE verdict IS NOT NULL
     AND (json_type(verdict, '$.reference.embedding') IS NOT NULL OR json_type(verdict, '$.reference.antispoof') IS NOT NULL);
  `,
  // API-key scopes, and which key made which. Keys made before scopes keep what they did, except managing keys.
  `
  ALTER TABLE api_keys ADD COLUMN scopes TEXT NOT NULL DEFAULT '["interviews:read","interviews:write","personal_data","webhooks"]';
  ALTER TABLE api_keys ADD COLUMN created_by TEXT;
  `,
  // An interviewer may accept a later pass's face as the interview's reference in place of the first.
  `
  ALTER TABLE face_templates ADD COLUMN accepted_at TEXT;
  `,
  // Where each candidate was seen from, by address and network prefix: laptop farms across interviews.
  `
  CREATE TABLE ip_sightings (
    interview_id TEXT NOT NULL REFERENCES interviews(id),
    ip TEXT NOT NULL,
    prefix TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (interview_id, ip)
  );
  CREATE INDEX ip_sightings_by_ip ON ip_sightings(ip, at);
  CREATE INDEX ip_sightings_by_prefix ON ip_sightings(prefix, at);
  `,
  // Identity documents: the per-interview setting, and each read document's number (a keyed hash) for reuse across interviews.
  `
  ALTER TABLE interviews ADD COLUMN document_mode TEXT;
  CREATE TABLE document_sightings (
    interview_id TEXT NOT NULL REFERENCES interviews(id),
    number_hash TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (interview_id, number_hash)
  );
  CREATE INDEX document_sightings_by_hash ON document_sightings(number_hash, at);
  `,
  // Laptop farms, the device half: a keyed hash of each session's reported machine, for reuse across interviews.
  `
  CREATE TABLE device_sightings (
    interview_id TEXT NOT NULL REFERENCES interviews(id),
    fingerprint TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (interview_id, fingerprint)
  );
  CREATE INDEX device_sightings_by_fingerprint ON device_sightings(fingerprint, at);
  `,
];
