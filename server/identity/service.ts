import { IdentityChecked, type ReusedFace, type RoundComparison } from "../../shared/identity.js";
import type { ReferenceFace } from "../../shared/verifier-job.js";
import type { Timeline } from "../timeline/index.js";
import type { InterviewRecord, Store } from "../store/index.js";
import { TemplateIndex } from "./template-index.js";
import { normalize } from "./template.js";

/** What the index keeps beside each template. */
interface TemplateOwner {
  interviewId: string;
  name: string;
  email?: string;
  createdAt: string;
}

export interface IdentityServiceDeps {
  store: Store;
  timeline: Timeline;
  /** Cosine similarity at or above which two faces are the same person. */
  matchThreshold: number;
  now: () => Date;
}

/** Templates read from the store per query while catching up. */
const SYNC_BATCH = 5_000;
const MAX_ROUNDS = 20;
const MAX_REUSED = 10;

const sameName = (a: string, b: string) => a.normalize("NFKC").trim().toLowerCase() === b.normalize("NFKC").trim().toLowerCase();
const sameEmail = (a?: string, b?: string) => (a ?? "").toLowerCase() === (b ?? "").toLowerCase();

/**
 * Identity continuity across interviews: keeps each pass's reference face as
 * a template and compares it with the same candidate's earlier rounds (by
 * email) and with every other candidate's, by a linear scan of unit vectors.
 * The comparison is recorded as an `identity_checked` event; the risk report
 * turns it into flags with the numbers and the threshold.
 */
export class IdentityService {
  private index = new TemplateIndex<TemplateOwner>();
  private loadedUpTo = 0;

  constructor(private readonly deps: IdentityServiceDeps) {}

  /** Stores the reference of a pass and records how it compares. */
  async recordReference(interview: InterviewRecord, challengeId: string, reference: ReferenceFace): Promise<IdentityChecked> {
    const { store, timeline, matchThreshold: threshold, now } = this.deps;
    const vector = normalize(reference.embedding);
    await this.sync();
    const others = (o: TemplateOwner) => o.interviewId === interview.id;
    const rounds: RoundComparison[] = interview.candidateEmail
      ? this.index
          .search(vector, { threshold: -1, limit: MAX_ROUNDS, exclude: (o) => others(o) || !sameEmail(o.email, interview.candidateEmail) })
          .map((m) => ({ interviewId: m.payload.interviewId, createdAt: m.payload.createdAt, similarity: m.similarity }))
          // The newest template of each earlier interview stands for it.
          .filter((m, i, all) => all.findIndex((x) => x.interviewId === m.interviewId) === i)
          .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
          .map((m, i) => ({ interviewId: m.interviewId, round: i + 1, similarity: round4(m.similarity), samePerson: m.similarity >= threshold }))
      : [];
    const samePersona = (o: TemplateOwner) => sameName(o.name, interview.candidateName) && sameEmail(o.email, interview.candidateEmail);
    const reused: ReusedFace[] = this.index
      .search(vector, { threshold, limit: MAX_REUSED * 4, exclude: (o) => others(o) || samePersona(o) })
      .filter((m, i, all) => all.findIndex((x) => x.payload.interviewId === m.payload.interviewId) === i)
      .slice(0, MAX_REUSED)
      .map((m) => ({
        interviewId: m.payload.interviewId,
        candidateName: m.payload.name,
        ...(m.payload.email ? { candidateEmail: m.payload.email } : {}),
        similarity: round4(m.similarity),
      }));
    // Earlier passes of this interview: one interview is one person (review 2, finding 5).
    const earlierPasses = (await store.monitoring.templatesOf(interview.id)).map((t) => {
      const similarity = round4(dot(vector, t.vector));
      return { challengeId: t.challengeId, similarity, samePerson: similarity >= threshold };
    });
    const searched = this.index.size;
    const createdAt = now().toISOString();
    const templateId = await store.monitoring.saveTemplate({
      interviewId: interview.id,
      challengeId,
      candidateName: interview.candidateName,
      ...(interview.candidateEmail ? { candidateEmail: interview.candidateEmail } : {}),
      vector,
      frames: reference.frames,
      consistency: reference.consistency,
      createdAt,
    });
    const checked = IdentityChecked.parse({
      templateId,
      challengeId,
      frames: reference.frames,
      consistency: reference.consistency,
      antispoof: reference.antispoof,
      threshold,
      rounds,
      reused,
      searched,
      earlierPasses,
    });
    await timeline.record(interview, { type: "identity_checked", actor: "verifier", data: checked });
    return checked;
  }

  /** Deletes templates past retention; the index is rebuilt from what is left. */
  async purge(before: string): Promise<number> {
    const removed = await this.deps.store.monitoring.purgeTemplates(before);
    if (removed > 0) {
      this.index = new TemplateIndex<TemplateOwner>();
      this.loadedUpTo = 0;
    }
    return removed;
  }

  /** Forgets the in-memory index after templates were deleted elsewhere (a redaction); it is rebuilt from the store. */
  forget(): void {
    this.index = new TemplateIndex<TemplateOwner>();
    this.loadedUpTo = 0;
  }

  /**
   * Adds templates other processes (or earlier runs) stored since the last look, and starts over
   * when some it holds were deleted elsewhere (a purge or redaction run by another kit process).
   */
  private async sync(): Promise<void> {
    if (this.loadedUpTo > 0 && (await this.deps.store.monitoring.countTemplates(this.loadedUpTo)) !== this.index.size) this.forget();
    for (;;) {
      const batch = await this.deps.store.monitoring.listTemplates(this.loadedUpTo, SYNC_BATCH);
      for (const t of batch) {
        this.index.add(String(t.id), t.vector, {
          interviewId: t.interviewId,
          name: t.candidateName,
          ...(t.candidateEmail ? { email: t.candidateEmail } : {}),
          createdAt: t.createdAt,
        });
        this.loadedUpTo = t.id!;
      }
      if (batch.length < SYNC_BATCH) return;
    }
  }
}

const round4 = (x: number) => Number(x.toFixed(4));
const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
};
