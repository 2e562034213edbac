import type { Queryable } from "./pg-db.js";

/**
 * Locks the interview's row until the transaction ends: the check-then-insert operations on one
 * interview (sessions, challenges, monitors, re-challenges) run one at a time across every process.
 */
export async function lockInterview(c: Queryable, interviewId: string): Promise<void> {
  await c.query("SELECT 1 FROM interviews WHERE id = $1 FOR UPDATE", [interviewId]);
}
