import type Database from "better-sqlite3";
import { readEvent } from "../../shared/events.js";
import type { InterviewEvent, InterviewStatus } from "../../shared/interview.js";
import { type EventRow, toEvent } from "./sqlite-rows.js";
import type { SqliteWebhookStore } from "./sqlite-webhooks.js";
import { withoutBiometrics, withoutCandidateMentions } from "./redaction-mentions.js";
import type { RedactionCounts, RedactionPlan } from "./store.js";

/**
 * Redacts one interview in one IMMEDIATE transaction (see `Store.redactPersonalData`); undefined when
 * the interview is unknown or already redacted.
 */
export function redactPersonalData(
db: Database.Database,
webhooks: SqliteWebhookStore,
interviewId: string,
plan: RedactionPlan,
): { removed: RedactionCounts; event: InterviewEvent; status: InterviewStatus } | undefined {
return db.transaction(() => {
    const interview = db.prepare("SELECT status FROM interviews WHERE id = ?").get(interviewId) as { status: InterviewStatus } | undefined;
    if (!interview) return undefined;
    if (db.prepare("SELECT 1 FROM events WHERE interview_id = ? AND type = 'personal_data_redacted'").get(interviewId)) return undefined;
    const snapshots = db.prepare("DELETE FROM snapshots WHERE interview_id = ?").run(interviewId).changes;
    const templates = db.prepare("DELETE FROM face_templates WHERE interview_id = ?").run(interviewId).changes;
    db.prepare("DELETE FROM ip_sightings WHERE interview_id = ?").run(interviewId);
    db.prepare("DELETE FROM document_sightings WHERE interview_id = ?").run(interviewId);
    db.prepare("DELETE FROM device_sightings WHERE interview_id = ?").run(interviewId);
    const update = db.prepare("UPDATE events SET ip = NULL, user_agent = NULL, data = ? WHERE id = ?");
    let events = 0;
    for (const row of db.prepare("SELECT * FROM events WHERE interview_id = ? ORDER BY id").all(interviewId) as EventRow[]) {
      const e = toEvent(row);
      const data = plan.redactData(e.type, e.data);
      if (e.ip === null && e.userAgent === null && data === e.data) continue;
      update.run(JSON.stringify(data), e.id);
      events++;
    }
    // Other interviews' identity checks name this candidate when their faces matched.
    const others = db
      .prepare("SELECT id, data FROM events WHERE type IN ('identity_checked', 'network_checked', 'document_checked', 'device_checked') AND interview_id != ? AND instr(data, ?) > 0")
      .all(interviewId, JSON.stringify(interviewId)) as Array<{ id: number; data: string }>;
    const setData = db.prepare("UPDATE events SET data = ? WHERE id = ?");
    for (const o of others) {
      const data = withoutCandidateMentions(o.data, interviewId, plan.placeholderName);
      if (data) setData.run(data, o.id);
    }
    // Verdicts stored by earlier versions held the reference face's embedding.
    let verdicts = 0;
    const setVerdict = db.prepare("UPDATE challenges SET verdict = ? WHERE id = ?");
    for (const c of db.prepare("SELECT id, verdict FROM challenges WHERE interview_id = ? AND verdict IS NOT NULL").all(interviewId) as Array<{ id: string; verdict: string }>) {
      const scrubbed = withoutBiometrics(c.verdict);
      if (scrubbed) verdicts += setVerdict.run(scrubbed, c.id).changes;
    }
    db.prepare("UPDATE candidate_sessions SET ip = NULL, user_agent = NULL WHERE interview_id = ?").run(interviewId);
    db.prepare("UPDATE interviews SET candidate_name = ?, candidate_email = NULL WHERE id = ?").run(plan.placeholderName, interviewId);
    const removed = { snapshots, templates, events, verdicts };
    const e = plan.event(removed);
    const data = e.data ?? {};
    const info = db
      .prepare("INSERT INTO events (interview_id, type, at, actor, ip, user_agent, data) VALUES (?, ?, ?, ?, NULL, NULL, ?)")
      .run(interviewId, e.type, e.at, e.actor, JSON.stringify(data));
    const event: InterviewEvent = readEvent({ id: Number(info.lastInsertRowid), type: e.type, at: e.at, actor: e.actor, ip: null, userAgent: null, data });
    // The webhook deliveries commit with the redaction and its event, or not at all.
    if (plan.outbox) webhooks.enqueue(event, plan.outbox({ ...event, interviewId }));
    return { removed, event, status: interview.status };
  }).immediate();
}

/** Interviews created before `before` and not yet redacted, oldest first. */
export function listUnredactedBefore(db: Database.Database, before: string, limit: number): string[] {
const rows = db
    .prepare(
      `SELECT id FROM interviews i WHERE created_at < ?
         AND NOT EXISTS (SELECT 1 FROM events e WHERE e.interview_id = i.id AND e.type = 'personal_data_redacted')
       ORDER BY created_at, id LIMIT ?`,
    )
    .all(before, limit) as Array<{ id: string }>;
  return rows.map((r) => r.id);
}
