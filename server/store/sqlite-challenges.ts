import type Database from "better-sqlite3";
import { type ChallengeRow, type SnapshotRow, toChallenge, toSnapshot } from "./sqlite-rows.js";
import type { ChallengeOutcome, ChallengeRecord, IssueResult, SnapshotRecord } from "./store.js";

/** Liveness challenges and their snapshots on SQLite: the part of `SqliteStore` about verification runs. */
export abstract class SqliteChallenges {
  constructor(protected readonly db: Database.Database) {}

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

  async listChallenges(interviewId: string): Promise<ChallengeRecord[]> {
    const rows = this.db.prepare("SELECT * FROM challenges WHERE interview_id = ? ORDER BY issued_at, id").all(interviewId) as ChallengeRow[];
    return rows.map(toChallenge);
  }
}
