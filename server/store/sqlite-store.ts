import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { readEvent } from "../../shared/events.js";
import type { InterviewEvent, InterviewStatus } from "../../shared/interview.js";
import type { RiskLevel } from "../../shared/signals.js";
import { type DocumentNeighbourRow, type EventRow, type InterviewRow, type NeighbourRow, type SessionRow, toDocumentNeighbour, toEvent, toInterview, toNeighbour, toSession } from "./sqlite-rows.js";
import type {
  CandidateSessionRecord,
  EventNoticeListener,
  InterviewRecord,
  DeviceSighting,
  DocumentNeighbour,
  DocumentSighting,
  IpSighting,
  LinkKind,
  NetworkNeighbour,
  ListPosition,
  NewEvent,
  OutboxMapper,
  RedactionCounts,
  RedactionPlan,
  RiskChange,
  Store,
} from "./store.js";
import { MIGRATIONS } from "./migrations.js";
import { cacheStatements } from "./sqlite-statements.js";
import { LocalEventFeed } from "./event-feed.js";
import { SqliteChallenges } from "./sqlite-challenges.js";
import { SqliteMonitoringStore } from "./sqlite-monitoring.js";
import { listUnredactedBefore, redactPersonalData } from "./sqlite-redaction.js";
import { SqliteApiKeyStore } from "./sqlite-api-keys.js";
import { SqliteWebhookStore } from "./sqlite-webhooks.js";
import { type RateLimitRule, type RateLimiter, SqliteRateLimiter } from "../security/rate-limit.js";

/** Resolves `DATABASE_URL` (`./file.db`, `sqlite:./file.db`, `sqlite::memory:`) to a file path. */
export function sqlitePath(databaseUrl: string): string {
  const p = databaseUrl.replace(/^sqlite:(\/\/)?/, "");
  return p === "" ? ":memory:" : p;
}

/** Makes each existing file readable by the kit's user only. */
function restrictMode(files: string[]): void {
  for (const f of files) {
    try {
      fs.chmodSync(f, 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
  }
}

/** How the SQLite file is opened. */
export interface SqliteOptions {
  /**
   * `normal` (default): a commit is durable once the kit process has written it, so it survives
   * the kit being killed; `full`: also fsynced at every commit, so it survives a power cut.
   */
  synchronous?: "normal" | "full";
}

/** The embedded default store: one SQLite file in WAL mode, readable by the kit's user only (0600). */
export class SqliteStore extends SqliteChallenges implements Store {
  readonly monitoring: SqliteMonitoringStore;
  readonly apiKeys: SqliteApiKeyStore;
  readonly idempotency: SqliteApiKeyStore;
  readonly webhooks: SqliteWebhookStore;
  private readonly feed = new LocalEventFeed();

  constructor(file: string, options: SqliteOptions = {}) {
    const onDisk = file !== ":memory:";
    if (onDisk) {
      fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true, mode: 0o700 });
      // Created 0600 before SQLite opens it: SQLite gives its -wal and -shm files the database file's mode.
      fs.closeSync(fs.openSync(file, "a", 0o600));
      fs.chmodSync(file, 0o600);
    }
    super(cacheStatements(new Database(file)));
    this.db.pragma("journal_mode = WAL");
    this.db.pragma(`synchronous = ${options.synchronous === "full" ? "FULL" : "NORMAL"}`);
    this.db.pragma("foreign_keys = ON");
    this.db.pragma("busy_timeout = 5000");
    this.migrate();
    this.monitoring = new SqliteMonitoringStore(this.db);
    this.apiKeys = this.idempotency = new SqliteApiKeyStore(this.db);
    this.webhooks = new SqliteWebhookStore(this.db);
    // Companions left by an older kit with a wider mode are narrowed too.
    if (onDisk) restrictMode([`${file}-wal`, `${file}-shm`]);
  }

  private migrate(): void {
    this.db.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
    const row = this.db.prepare("SELECT MAX(version) AS v FROM schema_version").get() as { v: number | null };
    const current = row.v ?? 0;
    const apply = this.db.transaction(() => {
      for (let v = current; v < MIGRATIONS.length; v++) {
        this.db.exec(MIGRATIONS[v]!);
        this.db.prepare("INSERT INTO schema_version (version) VALUES (?)").run(v + 1);
      }
    });
    apply();
  }

  async createInterview(r: InterviewRecord): Promise<void> {
    this.insertInterview(r);
  }

  async createInterviewWithEvent(r: InterviewRecord, e: NewEvent, outbox?: OutboxMapper): Promise<InterviewEvent> {
    const { stored, status } = this.db.transaction(() => {
      this.insertInterview(r);
      return this.insertEvent(e, outbox);
    }).immediate();
    this.announce(e.interviewId, stored, status);
    return stored;
  }

  private insertInterview(r: InterviewRecord): void {
    this.db
      .prepare(
        `INSERT INTO interviews (id, status, candidate_name, candidate_email, claimed_location, room,
           candidate_token_hash, interviewer_token_hash, created_at, expires_at, interviewer_expires_at, risk_level, document_mode)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        r.id,
        r.status,
        r.candidateName,
        r.candidateEmail ?? null,
        r.claimedLocation ? JSON.stringify(r.claimedLocation) : null,
        r.room,
        r.candidateTokenHash,
        r.interviewerTokenHash,
        r.createdAt,
        r.expiresAt,
        r.interviewerExpiresAt,
        r.riskLevel ?? null,
        r.documentMode ?? null,
      );
  }

  async getInterview(id: string): Promise<InterviewRecord | undefined> {
    const row = this.db.prepare("SELECT * FROM interviews WHERE id = ?").get(id) as InterviewRow | undefined;
    return row && toInterview(row);
  }

  async findInterviewByLink(kind: LinkKind, tokenHash: string): Promise<InterviewRecord | undefined> {
    const column = kind === "candidate" ? "candidate_token_hash" : "interviewer_token_hash";
    const row = this.db.prepare(`SELECT * FROM interviews WHERE ${column} = ?`).get(tokenHash) as
      | InterviewRow
      | undefined;
    return row && toInterview(row);
  }

  async findInterviewByRoom(room: string): Promise<InterviewRecord | undefined> {
    const row = this.db.prepare("SELECT * FROM interviews WHERE room = ?").get(room) as InterviewRow | undefined;
    return row && toInterview(row);
  }

  async listInterviews(limit: number, offset: number, after?: ListPosition): Promise<InterviewRecord[]> {
    const rows = (
      after
        ? this.db
            .prepare("SELECT * FROM interviews WHERE (created_at, id) < (?, ?) ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?")
            .all(after.createdAt, after.id, limit, offset)
        : this.db.prepare("SELECT * FROM interviews ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?").all(limit, offset)
    ) as InterviewRow[];
    return rows.map(toInterview);
  }

  async purgeIpSightings(before: string): Promise<number> {
    return this.db.prepare("DELETE FROM ip_sightings WHERE at < ?").run(before).changes;
  }

  async recordDeviceSighting(s: DeviceSighting): Promise<void> {
    this.db.prepare("INSERT INTO device_sightings (interview_id, fingerprint, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING").run(s.interviewId, s.fingerprint, s.at);
  }

  async sameDevice(interviewId: string, fingerprint: string, since: string, limit: number): Promise<DocumentNeighbour[]> {
    const rows = this.db
      .prepare(
        `SELECT s.interview_id, s.at, i.candidate_name, i.candidate_email FROM device_sightings s JOIN interviews i ON i.id = s.interview_id
         WHERE s.fingerprint = ? AND s.interview_id != ? AND s.at >= ? ORDER BY s.at DESC LIMIT ?`,
      )
      .all(fingerprint, interviewId, since, limit) as DocumentNeighbourRow[];
    return rows.map(toDocumentNeighbour);
  }

  async purgeDeviceSightings(before: string): Promise<number> {
    return this.db.prepare("DELETE FROM device_sightings WHERE at < ?").run(before).changes;
  }

  async purgeDocumentSightings(before: string): Promise<number> {
    return this.db.prepare("DELETE FROM document_sightings WHERE at < ?").run(before).changes;
  }

  async recordDocumentSighting(s: DocumentSighting): Promise<void> {
    this.db.prepare("INSERT INTO document_sightings (interview_id, number_hash, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING").run(s.interviewId, s.numberHash, s.at);
  }

  async sameDocument(interviewId: string, numberHash: string, limit: number): Promise<DocumentNeighbour[]> {
    const rows = this.db
      .prepare(
        `SELECT s.interview_id, s.at, i.candidate_name, i.candidate_email FROM document_sightings s JOIN interviews i ON i.id = s.interview_id
         WHERE s.number_hash = ? AND s.interview_id != ? ORDER BY s.at DESC LIMIT ?`,
      )
      .all(numberHash, interviewId, limit) as DocumentNeighbourRow[];
    return rows.map(toDocumentNeighbour);
  }

  async recordIpSighting(s: IpSighting): Promise<void> {
    this.db.prepare("INSERT INTO ip_sightings (interview_id, ip, prefix, at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING").run(s.interviewId, s.ip, s.prefix, s.at);
  }

  async sharedNetworks(interviewId: string, ips: string[], prefixes: string[], since: string, limit: number): Promise<NetworkNeighbour[]> {
    if (!ips.length && !prefixes.length) return [];
    const marks = (n: number) => Array.from({ length: n }, () => "?").join(", ");
    const rows = this.db
      .prepare(
        `SELECT s.interview_id, s.ip, s.prefix, s.at, i.candidate_name, i.candidate_email FROM ip_sightings s JOIN interviews i ON i.id = s.interview_id
         WHERE s.interview_id != ? AND s.at >= ? AND (s.ip IN (${marks(ips.length)}) OR s.prefix IN (${marks(prefixes.length)}))
         ORDER BY s.at DESC LIMIT ?`,
      )
      .all(interviewId, since, ...ips, ...prefixes, limit) as NeighbourRow[];
    return rows.map(toNeighbour);
  }

  async replaceUnopenedCandidateLink(id: string, tokenHash: string): Promise<boolean> {
    return this.db.prepare("UPDATE interviews SET candidate_token_hash = ? WHERE id = ? AND status = 'created'").run(tokenHash, id).changes > 0;
  }

  async rotateInterviewerLink(id: string, tokenHash: string, expiresAt: string): Promise<void> {
    this.db.prepare("UPDATE interviews SET interviewer_token_hash = ?, interviewer_expires_at = ? WHERE id = ?").run(tokenHash, expiresAt, id);
  }

  async addEvent(e: NewEvent, outbox?: OutboxMapper, nextStatus?: InterviewStatus): Promise<InterviewEvent> {
    // One transaction: the event, the deliveries it causes (the outbox) and the new status commit together or not at all.
    const { stored, status } = this.db.transaction(() => this.insertEvent(e, outbox, nextStatus)).immediate();
    this.announce(e.interviewId, stored, status);
    return stored;
  }

  /** Tells this process's listeners about an event that has committed (a rolled-back one never reaches here). */
  private announce(interviewId: string, event: InterviewEvent, status: InterviewStatus): void {
    this.feed.deliver({ interviewId, eventId: event.id, type: event.type, at: event.at, status });
  }

  /**
   * Inserts the event and its outbox deliveries, and moves the status and risk level; call inside a
   * transaction. Returns the event and the interview's status once it is stored, for its notice.
   */
  private insertEvent(e: NewEvent, outbox?: OutboxMapper, nextStatus?: InterviewStatus): { stored: InterviewEvent; status: InterviewStatus } {
    const before = this.db.prepare("SELECT risk_level, status FROM interviews WHERE id = ?").get(e.interviewId) as
      | { risk_level: RiskLevel | null; status: InterviewStatus }
      | undefined;
    // An unknown interview fails here, on the events table's foreign key.
    const info = this.db
      .prepare("INSERT INTO events (interview_id, type, at, actor, ip, user_agent, data) VALUES (?, ?, ?, ?, ?, ?, ?)")
      .run(e.interviewId, e.type, e.at, e.actor, e.ip ?? null, e.userAgent ?? null, JSON.stringify(e.data ?? {}));
    const { risk_level: storedLevel, status } = before!;
    // Read back as `listEvents` would read the row: typed, or `legacy` when the data does not match its type.
    const stored = readEvent({
      id: Number(info.lastInsertRowid),
      type: e.type,
      at: e.at,
      actor: e.actor,
      ip: e.ip ?? null,
      userAgent: e.userAgent ?? null,
      data: e.data ?? {},
    });
    const level = e.riskLevel !== undefined && e.riskLevel !== storedLevel ? e.riskLevel : undefined;
    if (level || (nextStatus && nextStatus !== status)) {
      this.db
        .prepare("UPDATE interviews SET risk_level = COALESCE(?, risk_level), status = COALESCE(?, status) WHERE id = ?")
        .run(level ?? null, nextStatus ?? null, e.interviewId);
    }
    const riskChange: RiskChange | undefined = level && storedLevel ? { from: storedLevel, to: level } : undefined;
    if (outbox) this.webhooks.enqueue(stored, outbox({ ...stored, interviewId: e.interviewId, ...(riskChange ? { riskChange } : {}) }));
    return { stored, status: nextStatus ?? status };
  }

  async listEvents(interviewId: string, afterId = 0): Promise<InterviewEvent[]> {
    const rows = this.db
      .prepare("SELECT * FROM events WHERE interview_id = ? AND id > ? ORDER BY id")
      .all(interviewId, afterId) as EventRow[];
    return rows.map(toEvent);
  }

  async countEvents(interviewId: string): Promise<number> {
    return (this.db.prepare("SELECT COUNT(*) AS n FROM events WHERE interview_id = ?").get(interviewId) as { n: number }).n;
  }

  async createSession(s: CandidateSessionRecord, maxSessions: number): Promise<boolean> {
    const count = this.db.prepare("SELECT COUNT(*) AS n FROM candidate_sessions WHERE interview_id = ?");
    const insert = this.db.prepare(
      `INSERT INTO candidate_sessions (id, interview_id, key_hash, created_at, ip, user_agent, verified_at, attempts)
       VALUES (?, ?, ?, ?, ?, ?, ?, 0)`,
    );
    return this.db.transaction(() => {
      if ((count.get(s.interviewId) as { n: number }).n >= maxSessions) return false;
      insert.run(s.id, s.interviewId, s.keyHash, s.createdAt, s.ip, s.userAgent, s.verifiedAt);
      return true;
    }).immediate();
  }

  async findSession(interviewId: string, keyHash: string): Promise<CandidateSessionRecord | undefined> {
    const row = this.db
      .prepare("SELECT * FROM candidate_sessions WHERE interview_id = ? AND key_hash = ?")
      .get(interviewId, keyHash) as SessionRow | undefined;
    return row && toSession(row);
  }

  async markSessionVerified(sessionId: string, at: string): Promise<void> {
    this.db.prepare("UPDATE candidate_sessions SET verified_at = ? WHERE id = ?").run(at, sessionId);
  }

  async listSessions(interviewId: string): Promise<CandidateSessionRecord[]> {
    const rows = this.db
      .prepare("SELECT * FROM candidate_sessions WHERE interview_id = ? ORDER BY created_at, id")
      .all(interviewId) as SessionRow[];
    return rows.map(toSession);
  }

  async redactPersonalData(interviewId: string, plan: RedactionPlan): Promise<{ removed: RedactionCounts; event: InterviewEvent } | undefined> {
    const result = redactPersonalData(this.db, this.webhooks, interviewId, plan);
    if (result) this.announce(interviewId, result.event, result.status);
    return result && { removed: result.removed, event: result.event };
  }

  async listUnredactedBefore(before: string, limit: number): Promise<string[]> {
    return listUnredactedBefore(this.db, before, limit);
  }

  createRateLimiter(rule: RateLimitRule): RateLimiter {
    return new SqliteRateLimiter(this.db, rule);
  }

  /** In-process only: the processes sharing a SQLite file do not hear each other (several processes need Postgres). */
  subscribeEvents(listener: EventNoticeListener): () => void {
    return this.feed.subscribe(listener);
  }

  async runExclusive(job: string, minIntervalMs: number, now: string, fn: () => Promise<void>): Promise<boolean> {
    const cutoff = new Date(Date.parse(now) - minIntervalMs).toISOString();
    const slot = this.db
      .prepare(
        `INSERT INTO job_runs (name, last_run_at) VALUES (?, ?)
         ON CONFLICT (name) DO UPDATE SET last_run_at = excluded.last_run_at WHERE job_runs.last_run_at <= ?
         RETURNING name`,
      )
      .get(job, now, cutoff);
    if (!slot) return false;
    await fn();
    return true;
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
