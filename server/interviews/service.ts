import type { DocumentMode } from "../../shared/documents.js";
import type {
  CreateInterview,
  CreatedInterview,
  Interview,
  InterviewEvent,
  InterviewList,
  InterviewSummary,
  InterviewWithEvents,
  ListQuery,
  RotatedInterviewerLink,
  SnapshotInfo,
} from "../../shared/interview.js";
import type { RiskLevel } from "../../shared/signals.js";
import { AppError, notFound } from "../errors/index.js";
import { hashSecret, newId, newSecret } from "../security/index.js";
import type { InterviewRecord, ListPosition, Store } from "../store/index.js";
import type { RoomSeats } from "./room-seats.js";
import { effectiveStatus, type RequestMeta, type Timeline } from "../timeline/index.js";

export interface InterviewServiceDeps {
  store: Store;
  timeline: Timeline;
  publicUrl: string;
  linkTtlHours: number;
  /** Lifetime of an interviewer link from creation or rotation, capped at the interview's expiry. */
  interviewerLinkTtlHours: number;
  /** Whether a new interview asks for an identity document when its creator does not say (DOCUMENT_STEP_DEFAULT). */
  documentDefault: DocumentMode;
  seats: RoomSeats;
  now: () => Date;
}

/** Creates interviews and reads them back with their events. */
export class InterviewService {
  constructor(private readonly deps: InterviewServiceDeps) {}

  /** Creates an interview and its two secret links; the links are returned once and stored hashed. */
  async create(input: CreateInterview, meta: RequestMeta): Promise<CreatedInterview> {
    const now = this.deps.now();
    const id = newId("iv");
    const candidateToken = newSecret();
    const interviewerToken = newSecret();
    const hours = input.expiresInHours ?? this.deps.linkTtlHours;
    const expiresAt = new Date(now.getTime() + hours * 3600_000).toISOString();
    const record: InterviewRecord = {
      id,
      status: "created",
      candidateName: input.candidate.name,
      ...(input.candidate.email ? { candidateEmail: input.candidate.email } : {}),
      ...(input.claimedLocation ? { claimedLocation: input.claimedLocation } : {}),
      room: `interview-${id}`,
      candidateTokenHash: hashSecret(candidateToken),
      interviewerTokenHash: hashSecret(interviewerToken),
      createdAt: now.toISOString(),
      expiresAt,
      interviewerExpiresAt: this.interviewerExpiry(now, expiresAt),
      documentMode: input.document ?? this.deps.documentDefault,
    };
    await this.deps.timeline.create(record, { type: "interview_created", actor: "system", ...meta });
    return {
      id,
      status: record.status,
      candidateUrl: `${this.deps.publicUrl}/c/${candidateToken}`,
      interviewerUrl: `${this.deps.publicUrl}/i/${interviewerToken}`,
      expiresAt: record.expiresAt,
      interviewerExpiresAt: record.interviewerExpiresAt,
    };
  }

  /**
   * Issues a new interviewer link and voids the old one at once (it answers
   * 404 from then on); interviewers connected with the old link are removed
   * from the room, since LiveKit keeps refreshing a connected client's token.
   */
  /**
   * A new candidate link for an interview nobody has opened yet (its first link was never handed
   * out, e.g. it was made by an ATS), or undefined once the candidate has opened one: a link in use
   * is never replaced under the candidate.
   */
  async reissueUnopenedCandidateLink(id: string): Promise<string | undefined> {
    const token = newSecret();
    if (!(await this.deps.store.replaceUnopenedCandidateLink(id, hashSecret(token)))) return undefined;
    return `${this.deps.publicUrl}/c/${token}`;
  }

  async rotateInterviewerLink(id: string, meta: RequestMeta): Promise<RotatedInterviewerLink> {
    const record = await this.deps.store.getInterview(id);
    if (!record) throw notFound("Interview");
    const token = newSecret();
    const interviewerExpiresAt = this.interviewerExpiry(this.deps.now(), record.expiresAt);
    await this.deps.store.rotateInterviewerLink(id, hashSecret(token), interviewerExpiresAt);
    await this.deps.timeline.record(record, { type: "interviewer_link_rotated", actor: "system", ...meta, data: { interviewerExpiresAt } });
    await this.deps.seats.removeInterviewers(record);
    return { id, interviewerUrl: `${this.deps.publicUrl}/i/${token}`, interviewerExpiresAt };
  }

  /** An interviewer link lives `interviewerLinkTtlHours`, and never past the interview's own expiry. */
  private interviewerExpiry(from: Date, interviewExpiresAt: string): string {
    const own = from.getTime() + this.deps.interviewerLinkTtlHours * 3600_000;
    return new Date(Math.min(own, Date.parse(interviewExpiresAt))).toISOString();
  }

  /** The interview with its full event timeline. */
  async get(id: string): Promise<InterviewWithEvents> {
    const record = await this.deps.store.getInterview(id);
    if (!record) throw notFound("Interview");
    return this.withEvents(record);
  }

  /**
   * Newest interviews first, each with the risk level stored with its latest event. Only a row
   * stored before levels were (no level yet) has its events read and its level computed by `riskOf`.
   */
  async list(query: ListQuery, riskOf: (r: InterviewRecord, events: InterviewEvent[]) => Promise<RiskLevel>): Promise<InterviewList> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const records = await this.deps.store.listInterviews(query.limit, query.offset, after);
    const interviews: InterviewSummary[] = await Promise.all(
      records.map(async (record) => ({
        ...this.summaryOf(record),
        riskLevel: record.riskLevel ?? (await riskOf(record, await this.deps.store.listEvents(record.id))),
      })),
    );
    const last = records.at(-1);
    return { interviews, nextCursor: last && records.length === query.limit ? encodeCursor(last) : null };
  }

  /** Liveness snapshots kept for an interview (metadata only). */
  async snapshots(id: string): Promise<SnapshotInfo[]> {
    if (!(await this.deps.store.getInterview(id))) throw notFound("Interview");
    const rows = await this.deps.store.listSnapshots(id);
    return rows.map((s) => ({ id: s.id!, challengeId: s.challengeId, step: s.step, t: s.t, createdAt: s.createdAt }));
  }

  /** One snapshot's JPEG bytes. */
  async snapshot(id: string, snapshotId: number): Promise<Buffer> {
    const snap = Number.isInteger(snapshotId) ? await this.deps.store.getSnapshot(id, snapshotId) : undefined;
    if (!snap) throw notFound("Snapshot");
    return snap.jpeg;
  }

  /** Shapes a stored interview for the API, with its events. */
  async withEvents(record: InterviewRecord): Promise<InterviewWithEvents> {
    return { ...this.summaryOf(record), events: await this.deps.store.listEvents(record.id) };
  }

  /** Shapes a stored interview for the API. */
  private summaryOf(record: InterviewRecord): Interview {
    return {
      id: record.id,
      status: effectiveStatus(record.status, record.expiresAt, this.deps.now()),
      candidate: {
        name: record.candidateName,
        ...(record.candidateEmail ? { email: record.candidateEmail } : {}),
      },
      ...(record.claimedLocation ? { claimedLocation: record.claimedLocation } : {}),
      // Interviews made before the setting never asked for a document.
      document: record.documentMode ?? "off",
      room: record.room,
      createdAt: record.createdAt,
      expiresAt: record.expiresAt,
    };
  }
}

/** The list position after `record`, as an opaque URL-safe string. */
function encodeCursor(record: InterviewRecord): string {
  return Buffer.from(JSON.stringify([record.createdAt, record.id])).toString("base64url");
}

/** The position a cursor from `encodeCursor` names; a cursor that is not one is a validation error. */
function decodeCursor(cursor: string): ListPosition {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(value) && value.length === 2) {
      const [createdAt, id] = value as unknown[];
      if (typeof createdAt === "string" && typeof id === "string") return { createdAt, id };
    }
  } catch {
    // falls through to the error below
  }
  throw new AppError("validation_failed", "cursor: is not a cursor this API returned", "cursor");
}
