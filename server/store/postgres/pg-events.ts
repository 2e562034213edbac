import pg from "pg";
import type { InterviewStatus } from "../../../shared/interview.js";
import { LocalEventFeed } from "../event-feed.js";
import type { EventNotice, EventNoticeListener } from "../store.js";
import type { PgDb } from "./pg-db.js";

/** The NOTIFY channel of event notices; one per database. */
const CHANNEL = "kit_events";
const RECONNECT_MS = 1000;

/**
 * Event notices across kit processes: each event's `pg_notify` is sent by the transaction that
 * stores it (`insertEventWithNotice`), and one dedicated connection per process LISTENs and hands
 * each notice to this process's listeners (its own notices included). Postgres delivers notifications in commit order. A lost connection is
 * re-opened every second; notices sent meanwhile are missed, which the dashboard tolerates (it re-reads).
 */
export class PgEventFeed {
  private readonly local = new LocalEventFeed();
  private client: pg.Client | undefined;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(private readonly url: string) {}

  /** Opens the listening connection; resolves once LISTEN is in place, so nothing published after is missed. */
  async start(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on("notification", (msg) => {
      if (msg.channel !== CHANNEL || !msg.payload) return;
      let notice: EventNotice;
      try {
        notice = JSON.parse(msg.payload) as EventNotice;
      } catch {
        return;
      }
      this.local.deliver(notice);
    });
    client.on("error", (err) => {
      console.error("postgres event listener:", err.message);
      this.lost(client);
    });
    client.on("end", () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (err) {
      await client.end().catch(() => {});
      throw err;
    }
    if (this.stopped) await client.end().catch(() => {});
    else this.client = client;
  }

  private lost(client: pg.Client): void {
    if (this.stopped || this.client !== client) return;
    this.client = undefined;
    void client.end().catch(() => {});
    this.scheduleStart();
  }

  private scheduleStart(): void {
    if (this.stopped) return;
    this.retry = setTimeout(() => {
      this.start().catch((err: Error) => {
        console.error("postgres event listener: reconnect failed:", err.message);
        this.scheduleStart();
      });
    }, RECONNECT_MS);
    this.retry.unref();
  }

  subscribe(listener: EventNoticeListener): () => void {
    return this.local.subscribe(listener);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }
}

/** An event row as `insertEventWithNotice` writes it; `data` is already JSON. */
export interface EventRowInput {
  interviewId: string;
  type: string;
  at: string;
  actor: string;
  ip: string | null;
  userAgent: string | null;
  data: string;
}

/**
 * Inserts an event inside the caller's transaction together with its `EventNotice`: Postgres sends
 * a NOTIFY when, and only when, that transaction commits, so no process hears of an event that
 * rolled back, none misses one that committed, and no extra round trip is made. Returns the event's id.
 */
export async function insertEventWithNotice(db: PgDb, c: pg.PoolClient, e: EventRowInput, status: InterviewStatus): Promise<number> {
  const row = await db.get<{ id: number }>(
    `WITH inserted AS (
       INSERT INTO events (interview_id, type, at, actor, ip, user_agent, data) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id
     )
     SELECT id, pg_notify($8, json_build_object('interviewId', $1::text, 'eventId', id, 'type', $2::text, 'at', $3::text, 'status', $9::text)::text)
     FROM inserted`,
    [e.interviewId, e.type, e.at, e.actor, e.ip, e.userAgent, e.data, CHANNEL, status],
    c,
  );
  return row!.id;
}
