import type pg from "pg";
import { readEvent } from "../../../shared/events.js";
import type { InterviewEvent, InterviewStatus } from "../../../shared/interview.js";
import type { RiskLevel } from "../../../shared/signals.js";
import type { RateLimitRule, RateLimiter } from "../../security/rate-limit.js";
import { type DocumentNeighbourRow, type EventRow, type InterviewRow, type NeighbourRow, type SessionRow, toDocumentNeighbour, toEvent, toInterview, toNeighbour, toSession } from "../sqlite-rows.js";
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
} from "../store.js";
import { PgApiKeyStore } from "./pg-api-keys.js";
import { PgChallenges } from "./pg-challenges.js";
import { PgDb, type Queryable } from "./pg-db.js";
import { insertEventWithNotice, PgEventFeed } from "./pg-events.js";
import { lockInterview } from "./pg-lock.js";
import { migrate } from "./pg-migrations.js";
import { PgMonitoringStore } from "./pg-monitoring.js";
import { PgRateLimiter } from "./pg-rate-limit.js";
import { listUnredactedBefore, redactPersonalData } from "./pg-redaction.js";
import { PgWebhookStore } from "./pg-webhooks.js";

/**
 * The Postgres store (`DATABASE_URL=postgres://…`): any number of kit processes share one database.
 * Check-then-write operations lock the interview's row, the outbox is claimed with
 * `FOR UPDATE SKIP LOCKED`, event notices travel by `LISTEN/NOTIFY` and background jobs take
 * a slot in `job_runs`. Challenges and snapshots live in `PgChallenges` (same interface, one file each).
 */
export class PgStore extends PgChallenges implements Store {
  readonly monitoring: PgMonitoringStore;
  readonly apiKeys: PgApiKeyStore;
  readonly idempotency: PgApiKeyStore;
  readonly webhooks: PgWebhookStore;

  private constructor(db: PgDb, private readonly feed: PgEventFeed) {
    super(db);
    this.monitoring = new PgMonitoringStore(db);
    this.apiKeys = this.idempotency = new PgApiKeyStore(db);
    this.webhooks = new PgWebhookStore(db);
  }

  /** Connects, applies the missing migrations and starts listening for event notices. */
  static async open(url: string, options: { poolSize?: number } = {}): Promise<PgStore> {
    const db = new PgDb(url, options.poolSize);
    try {
      const client = await db.pool.connect();
      try {
        await migrate(client);
      } finally {
        client.release();
      }
      const feed = new PgEventFeed(url);
      await feed.start();
      return new PgStore(db, feed);
    } catch (err) {
      await db.close();
      throw err;
    }
  }

  async createInterview(r: InterviewRecord): Promise<void> {
    await this.insertInterview(r, this.db.pool);
  }

  async createInterviewWithEvent(r: InterviewRecord, e: NewEvent, outbox?: OutboxMapper): Promise<InterviewEvent> {
    return this.db.tx(async (c) => {
      await this.insertInterview(r, c);
      return this.insertEvent(c, e, outbox);
    });
  }

  private async insertInterview(r: InterviewRecord, on: Queryable): Promise<void> {
    await this.db.run(
      `INSERT INTO interviews (id, status, candidate_name, candidate_email, claimed_location, room,
         candidate_token_hash, interviewer_token_hash, created_at, expires_at, interviewer_expires_at, risk_level, document_mode)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
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
      ],
      on,
    );
  }

  async getInterview(id: string): Promise<InterviewRecord | undefined> {
    const row = await this.db.get<InterviewRow>("SELECT * FROM interviews WHERE id = $1", [id]);
    return row && toInterview(row);
  }

  async findInterviewByLink(kind: LinkKind, tokenHash: string): Promise<InterviewRecord | undefined> {
    const column = kind === "candidate" ? "candidate_token_hash" : "interviewer_token_hash";
    const row = await this.db.get<InterviewRow>(`SELECT * FROM interviews WHERE ${column} = $1`, [tokenHash]);
    return row && toInterview(row);
  }

  async findInterviewByRoom(room: string): Promise<InterviewRecord | undefined> {
    const row = await this.db.get<InterviewRow>("SELECT * FROM interviews WHERE room = $1", [room]);
    return row && toInterview(row);
  }

  async listInterviews(limit: number, offset: number, after?: ListPosition): Promise<InterviewRecord[]> {
    const rows = after
      ? await this.db.all<InterviewRow>(
          "SELECT * FROM interviews WHERE (created_at, id) < ($1, $2) ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4",
          [after.createdAt, after.id, limit, offset],
        )
      : await this.db.all<InterviewRow>("SELECT * FROM interviews ORDER BY created_at DESC, id DESC LIMIT $1 OFFSET $2", [limit, offset]);
    return rows.map(toInterview);
  }

  async purgeIpSightings(before: string): Promise<number> {
    return this.db.run("DELETE FROM ip_sightings WHERE at < $1", [before]);
  }

  async recordDeviceSighting(s: DeviceSighting): Promise<void> {
    await this.db.run("INSERT INTO device_sightings (interview_id, fingerprint, at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", [s.interviewId, s.fingerprint, s.at]);
  }

  async sameDevice(interviewId: string, fingerprint: string, since: string, limit: number): Promise<DocumentNeighbour[]> {
    const rows = await this.db.all<DocumentNeighbourRow>(
      `SELECT s.interview_id, s.at, i.candidate_name, i.candidate_email FROM device_sightings s JOIN interviews i ON i.id = s.interview_id
       WHERE s.fingerprint = $1 AND s.interview_id != $2 AND s.at >= $3 ORDER BY s.at DESC LIMIT $4`,
      [fingerprint, interviewId, since, limit],
    );
    return rows.map(toDocumentNeighbour);
  }

  async purgeDeviceSightings(before: string): Promise<number> {
    return this.db.run("DELETE FROM device_sightings WHERE at < $1", [before]);
  }

  async purgeDocumentSightings(before: string): Promise<number> {
    return this.db.run("DELETE FROM document_sightings WHERE at < $1", [before]);
  }

  async recordDocumentSighting(s: DocumentSighting): Promise<void> {
    await this.db.run("INSERT INTO document_sightings (interview_id, number_hash, at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", [s.interviewId, s.numberHash, s.at]);
  }

  async sameDocument(interviewId: string, numberHash: string, limit: number): Promise<DocumentNeighbour[]> {
    const rows = await this.db.all<DocumentNeighbourRow>(
      `SELECT s.interview_id, s.at, i.candidate_name, i.candidate_email FROM document_sightings s JOIN interviews i ON i.id = s.interview_id
       WHERE s.number_hash = $1 AND s.interview_id != $2 ORDER BY s.at DESC LIMIT $3`,
      [numberHash, interviewId, limit],
    );
    return rows.map(toDocumentNeighbour);
  }

  async recordIpSighting(s: IpSighting): Promise<void> {
    await this.db.run("INSERT INTO ip_sightings (interview_id, ip, prefix, at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING", [s.interviewId, s.ip, s.prefix, s.at]);
  }

  async sharedNetworks(interviewId: string, ips: string[], prefixes: string[], since: string, limit: number): Promise<NetworkNeighbour[]> {
    if (!ips.length && !prefixes.length) return [];
    const rows = await this.db.all<NeighbourRow>(
      `SELECT s.interview_id, s.ip, s.prefix, s.at, i.candidate_name, i.candidate_email FROM ip_sightings s JOIN interviews i ON i.id = s.interview_id
       WHERE s.interview_id != $1 AND s.at >= $2 AND (s.ip = ANY($3::text[]) OR s.prefix = ANY($4::text[]))
       ORDER BY s.at DESC LIMIT $5`,
      [interviewId, since, ips, prefixes, limit],
    );
    return rows.map(toNeighbour);
  }

  async replaceUnopenedCandidateLink(id: string, tokenHash: string): Promise<boolean> {
    return (await this.db.run("UPDATE interviews SET candidate_token_hash = $1 WHERE id = $2 AND status = 'created'", [tokenHash, id])) > 0;
  }

  async rotateInterviewerLink(id: string, tokenHash: string, expiresAt: string): Promise<void> {
    await this.db.run("UPDATE interviews SET interviewer_token_hash = $1, interviewer_expires_at = $2 WHERE id = $3", [tokenHash, expiresAt, id]);
  }

  async addEvent(e: NewEvent, outbox?: OutboxMapper, nextStatus?: InterviewStatus): Promise<InterviewEvent> {
    // One transaction: the event, its notice, the deliveries it causes (the outbox) and the new status commit together or not at all.
    return this.db.tx((c) => this.insertEvent(c, e, outbox, nextStatus));
  }

  /** Inserts the event, its notice and its outbox deliveries, and moves the status, inside the caller's transaction. */
  private async insertEvent(c: pg.PoolClient, e: NewEvent, outbox?: OutboxMapper, nextStatus?: InterviewStatus): Promise<InterviewEvent> {
    const data = e.data ?? {};
    // The interview's row is locked before the event takes its id, so one interview's events commit in id order
    // (a reader that remembers the last id it saw misses none), and the risk level is read under the same lock.
    const locked = await this.db.get<{ risk_level: RiskLevel | null; status: InterviewStatus }>(
      "SELECT risk_level, status FROM interviews WHERE id = $1 FOR UPDATE",
      [e.interviewId],
      c,
    );
    if (!locked) throw new Error(`no interview ${e.interviewId} to add an event to`);
    const row = { interviewId: e.interviewId, type: e.type, at: e.at, actor: e.actor, ip: e.ip ?? null, userAgent: e.userAgent ?? null, data: JSON.stringify(data) };
    const id = await insertEventWithNotice(this.db, c, row, nextStatus ?? locked.status);
    // Read back as `listEvents` would read the row: typed, or `legacy` when the data does not match its type.
    const stored = readEvent({ id, type: e.type, at: e.at, actor: e.actor, ip: row.ip, userAgent: row.userAgent, data });
    const level = e.riskLevel !== undefined && e.riskLevel !== locked.risk_level ? e.riskLevel : undefined;
    if (level || (nextStatus && nextStatus !== locked.status)) {
      await this.db.run("UPDATE interviews SET risk_level = COALESCE($1, risk_level), status = COALESCE($2, status) WHERE id = $3", [level ?? null, nextStatus ?? null, e.interviewId], c);
    }
    const riskChange: RiskChange | undefined = level && locked.risk_level ? { from: locked.risk_level, to: level } : undefined;
    // The mapper runs before any delivery is written: if it throws, the transaction (and the event) rolls back.
    if (outbox) await this.webhooks.enqueue(c, stored, outbox({ ...stored, interviewId: e.interviewId, ...(riskChange ? { riskChange } : {}) }));
    return stored;
  }

  async listEvents(interviewId: string, afterId = 0): Promise<InterviewEvent[]> {
    return (await this.db.all<EventRow>("SELECT * FROM events WHERE interview_id = $1 AND id > $2 ORDER BY id", [interviewId, afterId])).map(toEvent);
  }

  async countEvents(interviewId: string): Promise<number> {
    return (await this.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM events WHERE interview_id = $1", [interviewId]))!.n;
  }

  async createSession(s: CandidateSessionRecord, maxSessions: number): Promise<boolean> {
    return this.db.tx(async (c) => {
      await lockInterview(c, s.interviewId);
      const { n } = (await this.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM candidate_sessions WHERE interview_id = $1", [s.interviewId], c))!;
      if (n >= maxSessions) return false;
      await this.db.run(
        `INSERT INTO candidate_sessions (id, interview_id, key_hash, created_at, ip, user_agent, verified_at, attempts)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 0)`,
        [s.id, s.interviewId, s.keyHash, s.createdAt, s.ip, s.userAgent, s.verifiedAt],
        c,
      );
      return true;
    });
  }

  async findSession(interviewId: string, keyHash: string): Promise<CandidateSessionRecord | undefined> {
    const row = await this.db.get<SessionRow>("SELECT * FROM candidate_sessions WHERE interview_id = $1 AND key_hash = $2", [interviewId, keyHash]);
    return row && toSession(row);
  }

  async markSessionVerified(sessionId: string, at: string): Promise<void> {
    await this.db.run("UPDATE candidate_sessions SET verified_at = $1 WHERE id = $2", [at, sessionId]);
  }

  async listSessions(interviewId: string): Promise<CandidateSessionRecord[]> {
    const rows = await this.db.all<SessionRow>("SELECT * FROM candidate_sessions WHERE interview_id = $1 ORDER BY created_at, id", [interviewId]);
    return rows.map(toSession);
  }

  async redactPersonalData(interviewId: string, plan: RedactionPlan): Promise<{ removed: RedactionCounts; event: InterviewEvent } | undefined> {
    return redactPersonalData(this.db, this.webhooks, interviewId, plan);
  }

  async listUnredactedBefore(before: string, limit: number): Promise<string[]> {
    return listUnredactedBefore(this.db, before, limit);
  }

  createRateLimiter(rule: RateLimitRule): RateLimiter {
    return new PgRateLimiter(this.db, rule);
  }

  subscribeEvents(listener: EventNoticeListener): () => void {
    return this.feed.subscribe(listener);
  }

  async runExclusive(job: string, minIntervalMs: number, now: string, fn: () => Promise<void>): Promise<boolean> {
    const cutoff = new Date(Date.parse(now) - minIntervalMs).toISOString();
    // One statement takes the slot: concurrent callers queue on the row and re-check the condition.
    const slot = await this.db.get(
      `INSERT INTO job_runs (name, last_run_at) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET last_run_at = excluded.last_run_at WHERE job_runs.last_run_at <= $3
       RETURNING name`,
      [job, now, cutoff],
    );
    if (!slot) return false;
    await fn();
    return true;
  }

  async close(): Promise<void> {
    await this.feed.stop();
    await this.db.close();
  }
}
