import { type ChallengeRow, type SnapshotRow, toChallenge, toSnapshot } from "../sqlite-rows.js";
import type { ChallengeOutcome, ChallengeRecord, IssueResult, SnapshotRecord } from "../store.js";
import type { PgDb } from "./pg-db.js";
import { lockInterview } from "./pg-lock.js";

/** Liveness challenges and their snapshots on Postgres: the part of `PgStore` about verification runs. */
export abstract class PgChallenges {
  constructor(protected readonly db: PgDb) {}

  async issueChallenge(ch: ChallengeRecord, maxAttempts: number, now: string): Promise<IssueResult> {
    return this.db.tx(async (c): Promise<IssueResult> => {
      // The interview's row lock makes the count and the insert one step, across every kit process.
      await lockInterview(c, ch.interviewId);
      const { n: used } = (await this.db.get<{ n: number }>(
        "SELECT COUNT(*) AS n FROM challenges WHERE interview_id = $1 AND refunded = 0",
        [ch.interviewId],
        c,
      ))!;
      if (used >= maxAttempts) return { issued: false, reason: "attempts_exhausted" };
      const open = await this.db.get("SELECT 1 FROM challenges WHERE session_id = $1 AND state = 'pending' AND expires_at > $2", [ch.sessionId, now], c);
      if (open) return { issued: false, reason: "challenge_open" };
      await this.db.run(
        `INSERT INTO challenges (id, interview_id, session_id, steps, deadlines, issued_at, expires_at, used_at, verdict,
           room, callback_hash, state, phase, progress_at, failure, refunded)
         VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, NULL, $8, $9, 'pending', 'waiting_verifier', NULL, NULL, 0)`,
        [ch.id, ch.interviewId, ch.sessionId, JSON.stringify(ch.steps), JSON.stringify(ch.delaysMs), ch.issuedAt, ch.expiresAt, ch.room, ch.callbackHash],
        c,
      );
      return { issued: true, attemptsUsed: used + 1 };
    });
  }

  async getChallenge(id: string): Promise<ChallengeRecord | undefined> {
    const row = await this.db.get<ChallengeRow>("SELECT * FROM challenges WHERE id = $1", [id]);
    return row && toChallenge(row);
  }

  async countAttempts(interviewId: string): Promise<number> {
    return (await this.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM challenges WHERE interview_id = $1 AND refunded = 0", [interviewId]))!.n;
  }

  async recordProgress(id: string, phase: ChallengeRecord["phase"], at: string): Promise<void> {
    await this.db.run("UPDATE challenges SET phase = $1, progress_at = $2 WHERE id = $3 AND state = 'pending'", [phase, at, id]);
  }

  async finishChallenge(id: string, o: ChallengeOutcome): Promise<boolean> {
    const changed = await this.db.run(
      `UPDATE challenges SET state = $1, failure = $2, refunded = $3, used_at = $4, verdict = $5
       WHERE id = $6 AND state = 'pending'`,
      [o.state, o.failure, o.refunded ? 1 : 0, o.finishedAt, JSON.stringify(o.verdict), id],
    );
    return changed === 1;
  }

  async listChallenges(interviewId: string): Promise<ChallengeRecord[]> {
    const rows = await this.db.all<ChallengeRow>("SELECT * FROM challenges WHERE interview_id = $1 ORDER BY issued_at, id", [interviewId]);
    return rows.map(toChallenge);
  }

  async saveSnapshots(snapshots: SnapshotRecord[]): Promise<number[]> {
    return this.db.tx(async (c) => {
      const ids: number[] = [];
      for (const s of snapshots) {
        const row = await this.db.get<{ id: number }>(
          "INSERT INTO snapshots (interview_id, challenge_id, step, t, jpeg, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
          [s.interviewId, s.challengeId, s.step, s.t, s.jpeg, s.createdAt],
          c,
        );
        ids.push(row!.id);
      }
      return ids;
    });
  }

  async listSnapshots(interviewId: string): Promise<SnapshotRecord[]> {
    return (await this.db.all<SnapshotRow>("SELECT * FROM snapshots WHERE interview_id = $1 ORDER BY id", [interviewId])).map(toSnapshot);
  }

  async getSnapshot(interviewId: string, id: number): Promise<SnapshotRecord | undefined> {
    const row = await this.db.get<SnapshotRow>("SELECT * FROM snapshots WHERE interview_id = $1 AND id = $2", [interviewId, id]);
    return row && toSnapshot(row);
  }

  async purgeSnapshots(before: string): Promise<number> {
    return this.db.run("DELETE FROM snapshots WHERE created_at < $1", [before]);
  }
}
