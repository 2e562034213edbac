import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { readEvent } from "../../shared/events.js";
import type { InterviewEvent, InterviewStatus } from "../../shared/interview.js";
import {
  type ChallengeRow,
  type EventRow,
  type InterviewRow,
  type SessionRow,
  type SnapshotRow,
  toChallenge,
  toEvent,
  toInterview,
  toSession,
  toSnapshot,
} from "./sqlite-rows.js";
import type {
  CandidateSessionRecord,
  ChallengeOutcome,
  ChallengeRecord,
  IssueResult,
  InterviewRecord,
  LinkKind,
  NewEvent,
  RedactionCounts,
  RedactionPlan,
  OutboxMapper,
  SnapshotRecord,
  Store,
} from "./store.js";
import { MIGRATIONS } from "./migrations.js";
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

/** The embedded default store: one SQLite file in WAL mode, readable by the kit's user only (0600). */
export class SqliteStore implements Store {
  private readonly db: Database.Database;
  readonly monitoring: SqliteMonitoringStore;
  readonly apiKeys: SqliteApiKeyStore;
  readonly idempotency: SqliteApiKeyStore;
  readonly webhooks: SqliteWebhookStore;

  constructor(file: string) {
    const onDisk = file !== ":memory:";
    if (onDisk) {
      fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true, mode: 0o700 });
      // Created 0600 before SQLite opens it: SQLite gives its -wal and -shm files the database file's mode.
      fs.closeSync(fs.openSync(file, "a", 0o600));
      fs.chmodSync(file, 0o600);
    }
    this.db = new Database(file);
    this.db.pragma("journal_mode = WAL");
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
    this.db
      .prepare(
        `INSERT INTO interviews (id, status, candidate_name, candidate_email, claimed_location, room,
           candidate_token_hash, interviewer_token_hash, created_at, expires_at, interviewer_expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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

  async listInterviews(limit: number, offset: number): Promise<InterviewRecord[]> {
    const rows = this.db
      .prepare("SELECT * FROM interviews ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?")
      .all(limit, offset) as InterviewRow[];
    return rows.map(toInterview);
  }

  async setInterviewStatus(id: string, status: InterviewStatus): Promise<void> {
    this.db.prepare("UPDATE interviews SET status = ? WHERE id = ?").run(status, id);
  }

  async rotateInterviewerLink(id: string, tokenHash: string, expiresAt: string): Promise<void> {
    this.db.prepare("UPDATE interviews SET interviewer_token_hash = ?, interviewer_expires_at = ? WHERE id = ?").run(tokenHash, expiresAt, id);
  }

  async addEvent(e: NewEvent, outbox?: OutboxMapper): Promise<InterviewEvent> {
    const insert = this.db.prepare(
      "INSERT INTO events (interview_id, type, at, actor, ip, user_agent, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
    );
    // One transaction: the event and the deliveries it causes (the outbox) commit together or not at all.
    return this.db.transaction((): InterviewEvent => {
      const info = insert.run(e.interviewId, e.type, e.at, e.actor, e.ip ?? null, e.userAgent ?? null, JSON.stringify(e.data ?? {}));
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
      if (outbox) this.webhooks.enqueue(stored, outbox({ ...stored, interviewId: e.interviewId }));
      return stored;
    }).immediate();
  }

  async listEvents(interviewId: string): Promise<InterviewEvent[]> {
    const rows = this.db
      .prepare("SELECT * FROM events WHERE interview_id = ? ORDER BY id")
      .all(interviewId) as EventRow[];
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

  async issueChallenge(ch: ChallengeRecord, maxAttempts: number, now: string): Promise<IssueResult> {
    const attempts = this.db.prepare("SELECT COUNT(*) AS n FROM challenges WHERE interview_id = ? AND refunded = 0");
    const open = this.db.prepare("SELECT 1 FROM challenges WHERE session_id = ? AND state = 'pending' AND expires_at > ?");
    const insert = this.db.prepare(
      `INSERT INTO challenges (id, interview_id, session_id, nonce, steps, deadlines, issued_at, expires_at, used_at, verdict,
         room, callback_hash, state, phase, progress_at, failure, refunded)
       VALUES (?, ?, ?, '', ?, ?, ?, ?, NULL, NULL, ?, ?, 'pending', 'waiting_verifier', NULL, NULL, 0)`,
    );
    // IMMEDIATE takes the write lock first, so two processes cannot both pass the count.
    return this.db.transaction((): IssueResult => {
      const used = (attempts.get(ch.interviewId) as { n: number }).n;
      if (used >= maxAttempts) return { issued: false, reason: "attempts_exhausted" };
      if (open.get(ch.sessionId, now)) return { issued: false, reason: "challenge_open" };
      insert.run(
        ch.id,
        ch.interviewId,
        ch.sessionId,
        JSON.stringify(ch.steps),
        JSON.stringify(ch.delaysMs),
        ch.issuedAt,
        ch.expiresAt,
        ch.room,
        ch.callbackHash,
      );
      return { issued: true, attemptsUsed: used + 1 };
    }).immediate();
  }

  async getChallenge(id: string): Promise<ChallengeRecord | undefined> {
    const row = this.db.prepare("SELECT * FROM challenges WHERE id = ?").get(id) as ChallengeRow | undefined;
    return row && toChallenge(row);
  }

  async countAttempts(interviewId: string): Promise<number> {
    const row = this.db
      .prepare("SELECT COUNT(*) AS n FROM challenges WHERE interview_id = ? AND refunded = 0")
      .get(interviewId) as { n: number };
    return row.n;
  }

  async recordProgress(id: string, phase: ChallengeRecord["phase"], at: string): Promise<void> {
    this.db.prepare("UPDATE challenges SET phase = ?, progress_at = ? WHERE id = ? AND state = 'pending'").run(phase, at, id);
  }

  async finishChallenge(id: string, o: ChallengeOutcome): Promise<boolean> {
    const info = this.db
      .prepare(
        `UPDATE challenges SET state = ?, failure = ?, refunded = ?, used_at = ?, verdict = ?
         WHERE id = ? AND state = 'pending'`,
      )
      .run(o.state, o.failure, o.refunded ? 1 : 0, o.finishedAt, JSON.stringify(o.verdict), id);
    return info.changes === 1;
  }

  async saveSnapshots(snapshots: SnapshotRecord[]): Promise<number[]> {
    const insert = this.db.prepare(
      "INSERT INTO snapshots (interview_id, challenge_id, step, t, jpeg, created_at) VALUES (?, ?, ?, ?, ?, ?)",
    );
    return this.db.transaction(() =>
      snapshots.map((s) => Number(insert.run(s.interviewId, s.challengeId, s.step, s.t, s.jpeg, s.createdAt).lastInsertRowid)),
    )();
  }

  async listSnapshots(interviewId: string): Promise<SnapshotRecord[]> {
    const rows = this.db.prepare("SELECT * FROM snapshots WHERE interview_id = ? ORDER BY id").all(interviewId) as SnapshotRow[];
    return rows.map(toSnapshot);
  }

  async getSnapshot(interviewId: string, id: number): Promise<SnapshotRecord | undefined> {
    const row = this.db.prepare("SELECT * FROM snapshots WHERE interview_id = ? AND id = ?").get(interviewId, id) as
      | SnapshotRow
      | undefined;
    return row && toSnapshot(row);
  }

  async purgeSnapshots(before: string): Promise<number> {
    return this.db.prepare("DELETE FROM snapshots WHERE created_at < ?").run(before).changes;
  }

  async listSessions(interviewId: string): Promise<CandidateSessionRecord[]> {
    const rows = this.db
      .prepare("SELECT * FROM candidate_sessions WHERE interview_id = ? ORDER BY created_at, id")
      .all(interviewId) as SessionRow[];
    return rows.map(toSession);
  }

  async listChallenges(interviewId: string): Promise<ChallengeRecord[]> {
    const rows = this.db.prepare("SELECT * FROM challenges WHERE interview_id = ? ORDER BY issued_at, id").all(interviewId) as ChallengeRow[];
    return rows.map(toChallenge);
  }

  async redactPersonalData(interviewId: string, plan: RedactionPlan): Promise<{ removed: RedactionCounts; event: InterviewEvent } | undefined> {
    return redactPersonalData(this.db, this.webhooks, interviewId, plan);
  }

  async listUnredactedBefore(before: string, limit: number): Promise<string[]> {
    return listUnredactedBefore(this.db, before, limit);
  }

  createRateLimiter(rule: RateLimitRule): RateLimiter {
    return new SqliteRateLimiter(this.db, rule);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
