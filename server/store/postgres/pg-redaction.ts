import { readEvent } from "../../../shared/events.js";
import type { PgWebhookStore } from "./pg-webhooks.js";
import type { InterviewEvent, InterviewStatus } from "../../../shared/interview.js";
import { type EventRow, toEvent } from "../sqlite-rows.js";
import type { RedactionCounts, RedactionPlan } from "../store.js";
import type { PgDb } from "./pg-db.js";
import { insertEventWithNotice } from "./pg-events.js";
import { withoutBiometrics, withoutCandidateMentions } from "../redaction-mentions.js";

/**
 * Redacts one interview in one transaction (see `Store.redactPersonalData`), holding the interview's
 * row lock so two processes cannot redact it together; undefined when unknown or already redacted.
 */
export async function redactPersonalData(
  db: PgDb,
  webhooks: PgWebhookStore,
  interviewId: string,
  plan: RedactionPlan,
): Promise<{ removed: RedactionCounts; event: InterviewEvent } | undefined> {
  return db.tx(async (c) => {
    const locked = await db.get<{ status: InterviewStatus }>("SELECT status FROM interviews WHERE id = $1 FOR UPDATE", [interviewId], c);
    if (!locked) return undefined;
    if (await db.get("SELECT 1 FROM events WHERE interview_id = $1 AND type = 'personal_data_redacted'", [interviewId], c)) return undefined;
    const snapshots = await db.run("DELETE FROM snapshots WHERE interview_id = $1", [interviewId], c);
    const templates = await db.run("DELETE FROM face_templates WHERE interview_id = $1", [interviewId], c);
    await db.run("DELETE FROM ip_sightings WHERE interview_id = $1", [interviewId], c);
    await db.run("DELETE FROM document_sightings WHERE interview_id = $1", [interviewId], c);
    await db.run("DELETE FROM device_sightings WHERE interview_id = $1", [interviewId], c);
    let events = 0;
    for (const row of await db.all<EventRow>("SELECT * FROM events WHERE interview_id = $1 ORDER BY id", [interviewId], c)) {
      const e = toEvent(row);
      const data = plan.redactData(e.type, e.data);
      if (e.ip === null && e.userAgent === null && data === e.data) continue;
      await db.run("UPDATE events SET ip = NULL, user_agent = NULL, data = $1 WHERE id = $2", [JSON.stringify(data), e.id], c);
      events++;
    }
    // Other interviews' identity checks name this candidate when their faces matched.
    const others = await db.all<{ id: number; data: string }>(
      "SELECT id, data FROM events WHERE type IN ('identity_checked', 'network_checked', 'document_checked', 'device_checked') AND interview_id != $1 AND strpos(data, $2) > 0 ORDER BY id",
      [interviewId, JSON.stringify(interviewId)],
      c,
    );
    for (const o of others) {
      const data = withoutCandidateMentions(o.data, interviewId, plan.placeholderName);
      if (data) await db.run("UPDATE events SET data = $1 WHERE id = $2", [data, o.id], c);
    }
    // Verdicts stored by earlier versions held the reference face's embedding.
    let verdicts = 0;
    for (const ch of await db.all<{ id: string; verdict: string }>("SELECT id, verdict FROM challenges WHERE interview_id = $1 AND verdict IS NOT NULL", [interviewId], c)) {
      const scrubbed = withoutBiometrics(ch.verdict);
      if (scrubbed) verdicts += await db.run("UPDATE challenges SET verdict = $1 WHERE id = $2", [scrubbed, ch.id], c);
    }
    await db.run("UPDATE candidate_sessions SET ip = NULL, user_agent = NULL WHERE interview_id = $1", [interviewId], c);
    await db.run("UPDATE interviews SET candidate_name = $1, candidate_email = NULL WHERE id = $2", [plan.placeholderName, interviewId], c);
    const removed = { snapshots, templates, events, verdicts };
    const e = plan.event(removed);
    const data = e.data ?? {};
    const row = { interviewId, type: e.type, at: e.at, actor: e.actor, ip: null, userAgent: null, data: JSON.stringify(data) };
    const id = await insertEventWithNotice(db, c, row, locked.status);
    const event: InterviewEvent = readEvent({ id, type: e.type, at: e.at, actor: e.actor, ip: null, userAgent: null, data });
    // The webhook deliveries commit with the redaction and its event, or not at all.
    if (plan.outbox) await webhooks.enqueue(c, event, plan.outbox({ ...event, interviewId }));
    return { removed, event };
  });
}

/** Interviews created before `before` and not yet redacted, oldest first. */
export async function listUnredactedBefore(db: PgDb, before: string, limit: number): Promise<string[]> {
  const rows = await db.all<{ id: string }>(
    `SELECT id FROM interviews i WHERE created_at < $1
       AND NOT EXISTS (SELECT 1 FROM events e WHERE e.interview_id = i.id AND e.type = 'personal_data_redacted')
     ORDER BY created_at, id LIMIT $2`,
    [before, limit],
  );
  return rows.map((r) => r.id);
}
