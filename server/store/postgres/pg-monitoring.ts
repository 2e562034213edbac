import type { MonitorRecord, MonitoringStore, RechallengeRecord, TemplateRecord } from "../monitoring-store.js";
import {
  type MonitorRow,
  type RechallengeRow,
  type TemplateRow,
  toBlob,
  REFERENCE_ORDER,
  toMonitor,
  toRechallenge,
  toTemplate,
} from "../sqlite-monitoring.js";
import type { PgDb } from "./pg-db.js";
import { lockInterview } from "./pg-lock.js";

/** {@link MonitoringStore} on Postgres; its check-then-inserts hold the interview's row lock. */
export class PgMonitoringStore implements MonitoringStore {
  constructor(private readonly db: PgDb) {}

  async saveTemplate(t: TemplateRecord): Promise<number> {
    const row = await this.db.get<{ id: number }>(
      `INSERT INTO face_templates (interview_id, challenge_id, candidate_name, candidate_email, vector, frames, consistency, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [t.interviewId, t.challengeId, t.candidateName, t.candidateEmail ?? null, toBlob(t.vector), t.frames, t.consistency, t.createdAt],
    );
    return row!.id;
  }

  async listTemplates(afterId: number, limit: number): Promise<TemplateRecord[]> {
    return (await this.db.all<TemplateRow>("SELECT * FROM face_templates WHERE id > $1 ORDER BY id LIMIT $2", [afterId, limit])).map(toTemplate);
  }

  async countTemplates(upToId: number): Promise<number> {
    return (await this.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM face_templates WHERE id <= $1", [upToId]))!.n;
  }

  async latestTemplate(interviewId: string): Promise<TemplateRecord | undefined> {
    const row = await this.db.get<TemplateRow>("SELECT * FROM face_templates WHERE interview_id = $1 ORDER BY id DESC LIMIT 1", [interviewId]);
    return row && toTemplate(row);
  }

  async templatesOf(interviewId: string): Promise<TemplateRecord[]> {
    return (await this.db.all<TemplateRow>("SELECT * FROM face_templates WHERE interview_id = $1 ORDER BY id", [interviewId])).map(toTemplate);
  }

  async referenceOf(interviewId: string): Promise<TemplateRecord | undefined> {
    const row = await this.db.get<TemplateRow>(`SELECT * FROM face_templates WHERE interview_id = $1 ${REFERENCE_ORDER}`, [interviewId]);
    return row && toTemplate(row);
  }

  async referenceIdOf(interviewId: string): Promise<string | undefined> {
    const row = await this.db.get<{ challenge_id: string }>(`SELECT challenge_id FROM face_templates WHERE interview_id = $1 ${REFERENCE_ORDER}`, [interviewId]);
    return row?.challenge_id;
  }

  async acceptTemplate(interviewId: string, challengeId: string, at: string): Promise<boolean> {
    return (await this.db.run("UPDATE face_templates SET accepted_at = $1 WHERE interview_id = $2 AND challenge_id = $3", [at, interviewId, challengeId])) > 0;
  }

  async purgeTemplates(before: string): Promise<number> {
    return this.db.run("DELETE FROM face_templates WHERE created_at < $1", [before]);
  }

  async createMonitor(m: MonitorRecord, liveSince: string): Promise<boolean> {
    return this.db.tx(async (c) => {
      await lockInterview(c, m.interviewId);
      const live = await this.db.get(
        "SELECT 1 FROM monitors WHERE interview_id = $1 AND ended_at IS NULL AND GREATEST(started_at, COALESCE(heartbeat_at, '')) >= $2",
        [m.interviewId, liveSince],
        c,
      );
      if (live) return false;
      await this.db.run(
        "INSERT INTO monitors (id, interview_id, callback_hash, started_at, heartbeat_at, ended_at) VALUES ($1, $2, $3, $4, $5, $6)",
        [m.id, m.interviewId, m.callbackHash, m.startedAt, m.heartbeatAt, m.endedAt],
        c,
      );
      return true;
    });
  }

  async getMonitor(id: string): Promise<MonitorRecord | undefined> {
    const row = await this.db.get<MonitorRow>("SELECT * FROM monitors WHERE id = $1", [id]);
    return row && toMonitor(row);
  }

  async activeMonitor(interviewId: string): Promise<MonitorRecord | undefined> {
    const row = await this.db.get<MonitorRow>(
      "SELECT * FROM monitors WHERE interview_id = $1 AND ended_at IS NULL ORDER BY started_at DESC LIMIT 1",
      [interviewId],
    );
    return row && toMonitor(row);
  }

  async touchMonitor(id: string, at: string): Promise<void> {
    await this.db.run("UPDATE monitors SET heartbeat_at = $1 WHERE id = $2 AND ended_at IS NULL", [at, id]);
  }

  async endMonitor(id: string, at: string): Promise<void> {
    await this.db.run("UPDATE monitors SET ended_at = $1 WHERE id = $2 AND ended_at IS NULL", [at, id]);
  }

  async silentMonitors(liveSince: string, limit: number): Promise<MonitorRecord[]> {
    const sql = `SELECT * FROM monitors WHERE ended_at IS NULL AND GREATEST(started_at, COALESCE(heartbeat_at, '')) < $1 ORDER BY started_at LIMIT $2`;
    return (await this.db.all<MonitorRow>(sql, [liveSince, limit])).map(toMonitor);
  }

  async endSilentMonitor(id: string, liveSince: string, at: string): Promise<boolean> {
    const sql = `UPDATE monitors SET ended_at = $1 WHERE id = $2 AND ended_at IS NULL AND GREATEST(started_at, COALESCE(heartbeat_at, '')) < $3`;
    return (await this.db.run(sql, [at, id, liveSince])) > 0;
  }

  async issueRechallenge(r: RechallengeRecord, now: string): Promise<boolean> {
    return this.db.tx(async (c) => {
      await lockInterview(c, r.interviewId);
      const open = await this.db.get(
        "SELECT 1 FROM rechallenges WHERE interview_id = $1 AND state IN ('pending', 'sent') AND expires_at > $2",
        [r.interviewId, now],
        c,
      );
      if (open) return false;
      await this.db.run(
        "INSERT INTO rechallenges (id, interview_id, step, delay_ms, state, issued_at, expires_at, sent_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        [r.id, r.interviewId, r.step, r.delayMs, r.state, r.issuedAt, r.expiresAt, r.sentAt],
        c,
      );
      return true;
    });
  }

  async takeRechallenges(interviewId: string, now: string): Promise<RechallengeRecord[]> {
    // One UPDATE: a row another process took first no longer matches `state = 'pending'` when re-checked.
    const rows = await this.db.all<RechallengeRow>(
      `UPDATE rechallenges SET state = 'sent', sent_at = $1
       WHERE interview_id = $2 AND state = 'pending' AND expires_at > $1
       RETURNING *`,
      [now, interviewId],
    );
    return rows.sort((a, b) => (a.issued_at < b.issued_at ? -1 : a.issued_at > b.issued_at ? 1 : a.id < b.id ? -1 : 1)).map(toRechallenge);
  }

  async getRechallenge(id: string): Promise<RechallengeRecord | undefined> {
    const row = await this.db.get<RechallengeRow>("SELECT * FROM rechallenges WHERE id = $1", [id]);
    return row && toRechallenge(row);
  }

  async listRechallenges(interviewId: string): Promise<RechallengeRecord[]> {
    return (await this.db.all<RechallengeRow>("SELECT * FROM rechallenges WHERE interview_id = $1 ORDER BY issued_at, id", [interviewId])).map(toRechallenge);
  }

  async finishRechallenge(id: string, state: "passed" | "failed" | "expired"): Promise<boolean> {
    return (await this.db.run("UPDATE rechallenges SET state = $1 WHERE id = $2 AND state IN ('pending', 'sent')", [state, id])) === 1;
  }
}
