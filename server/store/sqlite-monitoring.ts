import type Database from "better-sqlite3";
import type { PromptStep } from "../../shared/verification.js";
import type { MonitorRecord, MonitoringStore, RechallengeRecord, TemplateRecord } from "./monitoring-store.js";

export interface TemplateRow {
  id: number;
  interview_id: string;
  challenge_id: string;
  candidate_name: string;
  candidate_email: string | null;
  vector: Buffer;
  frames: number;
  consistency: number;
  created_at: string;
  accepted_at: string | null;
}
export interface MonitorRow {
  id: string;
  interview_id: string;
  callback_hash: string;
  started_at: string;
  heartbeat_at: string | null;
  ended_at: string | null;
}
export interface RechallengeRow {
  id: string;
  interview_id: string;
  step: string;
  delay_ms: number;
  state: RechallengeRecord["state"];
  issued_at: string;
  expires_at: string;
  sent_at: string | null;
}

/** Float32 little-endian, as the BLOB holds it; copied so the row's buffer can be reused. */
export const toBlob = (v: Float32Array) => Buffer.from(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
export function fromBlob(b: Buffer): Float32Array {
  const out = new Float32Array(b.byteLength / 4);
  new Uint8Array(out.buffer).set(b);
  return out;
}

export const toTemplate = (r: TemplateRow): TemplateRecord => ({
  id: r.id,
  interviewId: r.interview_id,
  challengeId: r.challenge_id,
  candidateName: r.candidate_name,
  ...(r.candidate_email ? { candidateEmail: r.candidate_email } : {}),
  vector: fromBlob(r.vector),
  frames: r.frames,
  consistency: r.consistency,
  createdAt: r.created_at,
  ...(r.accepted_at ? { acceptedAt: r.accepted_at } : {}),
});

/** The reference: the last accepted template, else the first (`accepted_at` NULL sorts after any time, DESC). */
export const REFERENCE_ORDER = "ORDER BY accepted_at IS NULL, accepted_at DESC, id LIMIT 1";

export const toMonitor = (r: MonitorRow): MonitorRecord => ({
  id: r.id,
  interviewId: r.interview_id,
  callbackHash: r.callback_hash,
  startedAt: r.started_at,
  heartbeatAt: r.heartbeat_at,
  endedAt: r.ended_at,
});
export const toRechallenge = (r: RechallengeRow): RechallengeRecord => ({
  id: r.id,
  interviewId: r.interview_id,
  step: r.step as PromptStep,
  delayMs: r.delay_ms,
  state: r.state,
  issuedAt: r.issued_at,
  expiresAt: r.expires_at,
  sentAt: r.sent_at,
});

/** {@link MonitoringStore} on the embedded SQLite database. */
export class SqliteMonitoringStore implements MonitoringStore {
  constructor(private readonly db: Database.Database) {}

  async saveTemplate(t: TemplateRecord): Promise<number> {
    const info = this.db
      .prepare(
        `INSERT INTO face_templates (interview_id, challenge_id, candidate_name, candidate_email, vector, frames, consistency, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(t.interviewId, t.challengeId, t.candidateName, t.candidateEmail ?? null, toBlob(t.vector), t.frames, t.consistency, t.createdAt);
    return Number(info.lastInsertRowid);
  }

  async listTemplates(afterId: number, limit: number): Promise<TemplateRecord[]> {
    const rows = this.db.prepare("SELECT * FROM face_templates WHERE id > ? ORDER BY id LIMIT ?").all(afterId, limit) as TemplateRow[];
    return rows.map(toTemplate);
  }

  async countTemplates(upToId: number): Promise<number> {
    return (this.db.prepare("SELECT COUNT(*) AS n FROM face_templates WHERE id <= ?").get(upToId) as { n: number }).n;
  }

  async latestTemplate(interviewId: string): Promise<TemplateRecord | undefined> {
    const row = this.db.prepare("SELECT * FROM face_templates WHERE interview_id = ? ORDER BY id DESC LIMIT 1").get(interviewId) as
      | TemplateRow
      | undefined;
    return row && toTemplate(row);
  }

  async templatesOf(interviewId: string): Promise<TemplateRecord[]> {
    const rows = this.db.prepare("SELECT * FROM face_templates WHERE interview_id = ? ORDER BY id").all(interviewId) as TemplateRow[];
    return rows.map(toTemplate);
  }

  async referenceOf(interviewId: string): Promise<TemplateRecord | undefined> {
    const row = this.db.prepare(`SELECT * FROM face_templates WHERE interview_id = ? ${REFERENCE_ORDER}`).get(interviewId) as TemplateRow | undefined;
    return row && toTemplate(row);
  }

  async referenceIdOf(interviewId: string): Promise<string | undefined> {
    const row = this.db.prepare(`SELECT challenge_id FROM face_templates WHERE interview_id = ? ${REFERENCE_ORDER}`).get(interviewId) as { challenge_id: string } | undefined;
    return row?.challenge_id;
  }

  async acceptTemplate(interviewId: string, challengeId: string, at: string): Promise<boolean> {
    return this.db.prepare("UPDATE face_templates SET accepted_at = ? WHERE interview_id = ? AND challenge_id = ?").run(at, interviewId, challengeId).changes > 0;
  }

  async purgeTemplates(before: string): Promise<number> {
    return this.db.prepare("DELETE FROM face_templates WHERE created_at < ?").run(before).changes;
  }

  async createMonitor(m: MonitorRecord, liveSince: string): Promise<boolean> {
    const live = this.db.prepare(
      `SELECT 1 FROM monitors WHERE interview_id = ? AND ended_at IS NULL AND MAX(started_at, COALESCE(heartbeat_at, '')) >= ?`,
    );
    const insert = this.db.prepare(
      "INSERT INTO monitors (id, interview_id, callback_hash, started_at, heartbeat_at, ended_at) VALUES (?, ?, ?, ?, ?, ?)",
    );
    return this.db.transaction(() => {
      if (live.get(m.interviewId, liveSince)) return false;
      insert.run(m.id, m.interviewId, m.callbackHash, m.startedAt, m.heartbeatAt, m.endedAt);
      return true;
    }).immediate();
  }

  async getMonitor(id: string): Promise<MonitorRecord | undefined> {
    const row = this.db.prepare("SELECT * FROM monitors WHERE id = ?").get(id) as MonitorRow | undefined;
    return row && toMonitor(row);
  }

  async activeMonitor(interviewId: string): Promise<MonitorRecord | undefined> {
    const row = this.db
      .prepare("SELECT * FROM monitors WHERE interview_id = ? AND ended_at IS NULL ORDER BY started_at DESC LIMIT 1")
      .get(interviewId) as MonitorRow | undefined;
    return row && toMonitor(row);
  }

  async touchMonitor(id: string, at: string): Promise<void> {
    this.db.prepare("UPDATE monitors SET heartbeat_at = ? WHERE id = ? AND ended_at IS NULL").run(at, id);
  }

  async endMonitor(id: string, at: string): Promise<void> {
    this.db.prepare("UPDATE monitors SET ended_at = ? WHERE id = ? AND ended_at IS NULL").run(at, id);
  }

  async silentMonitors(liveSince: string, limit: number): Promise<MonitorRecord[]> {
    const rows = this.db
      .prepare(`SELECT * FROM monitors WHERE ended_at IS NULL AND MAX(started_at, COALESCE(heartbeat_at, '')) < ? ORDER BY started_at LIMIT ?`)
      .all(liveSince, limit) as MonitorRow[];
    return rows.map(toMonitor);
  }

  async endSilentMonitor(id: string, liveSince: string, at: string): Promise<boolean> {
    const sql = `UPDATE monitors SET ended_at = ? WHERE id = ? AND ended_at IS NULL AND MAX(started_at, COALESCE(heartbeat_at, '')) < ?`;
    return this.db.prepare(sql).run(at, id, liveSince).changes > 0;
  }

  async issueRechallenge(r: RechallengeRecord, now: string): Promise<boolean> {
    const open = this.db.prepare("SELECT 1 FROM rechallenges WHERE interview_id = ? AND state IN ('pending', 'sent') AND expires_at > ?");
    const insert = this.db.prepare(
      "INSERT INTO rechallenges (id, interview_id, step, delay_ms, state, issued_at, expires_at, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    );
    return this.db.transaction(() => {
      if (open.get(r.interviewId, now)) return false;
      insert.run(r.id, r.interviewId, r.step, r.delayMs, r.state, r.issuedAt, r.expiresAt, r.sentAt);
      return true;
    }).immediate();
  }

  async takeRechallenges(interviewId: string, now: string): Promise<RechallengeRecord[]> {
    const pending = this.db.prepare("SELECT * FROM rechallenges WHERE interview_id = ? AND state = 'pending' AND expires_at > ?");
    const take = this.db.prepare("UPDATE rechallenges SET state = 'sent', sent_at = ? WHERE id = ? AND state = 'pending'");
    return this.db.transaction(() => {
      const rows = (pending.all(interviewId, now) as RechallengeRow[]).filter((r) => take.run(now, r.id).changes === 1);
      return rows.map((r) => toRechallenge({ ...r, state: "sent", sent_at: now }));
    }).immediate();
  }

  async getRechallenge(id: string): Promise<RechallengeRecord | undefined> {
    const row = this.db.prepare("SELECT * FROM rechallenges WHERE id = ?").get(id) as RechallengeRow | undefined;
    return row && toRechallenge(row);
  }

  async listRechallenges(interviewId: string): Promise<RechallengeRecord[]> {
    const rows = this.db.prepare("SELECT * FROM rechallenges WHERE interview_id = ? ORDER BY issued_at, id").all(interviewId) as RechallengeRow[];
    return rows.map(toRechallenge);
  }

  async finishRechallenge(id: string, state: "passed" | "failed" | "expired"): Promise<boolean> {
    return this.db.prepare("UPDATE rechallenges SET state = ? WHERE id = ? AND state IN ('pending', 'sent')").run(state, id).changes === 1;
  }
}
