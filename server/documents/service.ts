import { identityKey } from "../networks/service.js";
import type { DocumentMode } from "../../shared/documents.js";
import type { EventData } from "../../shared/events.js";
import type { DocumentReport } from "../../shared/verifier-job.js";
import { AppError } from "../errors/index.js";
import { cosine } from "../identity/template.js";
import type { ChallengeRecord, InterviewRecord, Store } from "../store/index.js";
import type { Timeline } from "../timeline/index.js";
import { countryOfMrzCode, documentNumberHash, expiryDateOf, namesMatch } from "./checks.js";
import { DOCUMENT_REPORT_GRACE_MS, PORTRAIT_MATCH_THRESHOLD } from "./thresholds.js";

export interface DocumentServiceDeps {
  store: Store;
  timeline: Timeline;
  /** The key of the document-number hash (DOCUMENT_HASH_KEY). */
  hashKey: string;
  now: () => Date;
}

/** At most this many other interviews are named in one check. */
const MAX_MATCHES = 50;
/** The snapshot table's step number for the document's frame (liveness steps are 0–5). */
export const DOCUMENT_SNAPSHOT_STEP = 99;

/**
 * The identity document a candidate showed after a liveness pass, as the verifier read it from
 * frames it decoded: the kit hashes the number (and never keeps it), checks the name against the
 * invitation, the country against the claim, the expiry, the portrait against the face that passed,
 * and looks the number's hash up among other interviews. All of it is one `document_checked` event;
 * the risk report turns it into flags (server/signals/document.ts).
 */
export class DocumentService {
  constructor(private readonly deps: DocumentServiceDeps) {}

  /** Records the verifier's document report for a passed check; once per check, and only soon after the pass. */
  async record(interview: InterviewRecord, challenge: ChallengeRecord, report: DocumentReport): Promise<{ recorded: true; outcome: DocumentReport["outcome"] }> {
    const { store, timeline, now } = this.deps;
    const mode = interview.documentMode;
    if (challenge.state !== "passed" || !mode || mode === "off") {
      throw new AppError("document_not_expected", "No document step follows this verification");
    }
    const passedAt = Date.parse(challenge.finishedAt ?? "");
    if (!(now().getTime() - passedAt <= DOCUMENT_REPORT_GRACE_MS)) {
      throw new AppError("document_not_expected", "The document step of this verification is over");
    }
    const events = await store.listEvents(interview.id);
    if (events.some((e) => e.type === "document_checked" && !e.legacy && e.data.challengeId === challenge.id)) {
      throw new AppError("document_not_expected", "This verification's document was already recorded");
    }
    const data = await this.evaluate(interview, challenge, mode, report);
    const snapshotId = report.snapshot ? await this.saveSnapshot(interview, challenge, report.snapshot) : undefined;
    await timeline.record(interview, {
      type: "document_checked",
      actor: "verifier",
      data: { ...data, ...(snapshotId !== undefined ? { snapshotId } : {}) },
    });
    return { recorded: true, outcome: report.outcome };
  }

  private async evaluate(interview: InterviewRecord, challenge: ChallengeRecord, mode: Exclude<DocumentMode, "off">, report: DocumentReport): Promise<EventData<"document_checked">> {
    const { store, now } = this.deps;
    const base = {
      challengeId: challenge.id,
      mode,
      outcome: report.outcome,
      framesRead: report.framesRead,
      agreeingFrames: report.agreeingFrames,
      lookedMs: report.lookedMs,
      ...(report.failedChecks?.length ? { failedChecks: report.failedChecks } : {}),
    };
    const fields = report.fields;
    if (report.outcome !== "read" || !fields) return { ...base, portrait: { kind: "not_read" }, matches: [] };

    const numberHash = documentNumberHash(this.deps.hashKey, fields.issuingState, fields.documentNumber);
    const at = now().toISOString();
    await store.recordDocumentSighting({ interviewId: interview.id, numberHash, at });
    const self = identityKey(interview);
    const matches = (await store.sameDocument(interview.id, numberHash, MAX_MATCHES))
      .filter((m) => identityKey(m) !== self)
      .map((m) => ({ interviewId: m.interviewId, candidateName: m.candidateName, ...(m.candidateEmail ? { candidateEmail: m.candidateEmail } : {}), at: m.at }));

    const claimedCountry = interview.claimedLocation?.country;
    const documentCountry = countryOfMrzCode(fields.nationality) ?? countryOfMrzCode(fields.issuingState);
    const { documentNumber: _number, ...kept } = fields;
    return {
      ...base,
      document: { ...kept, numberHash },
      checks: {
        expired: expiryDateOf(fields.expiryDate) < at.slice(0, 10),
        nameMatches: namesMatch(interview.candidateName, fields.surname, fields.givenNames),
        ...(claimedCountry ? { claimedCountry, nationalityMatches: documentCountry === claimedCountry } : {}),
        ...(documentCountry ? { documentCountry } : {}),
      },
      portrait: await this.comparePortrait(interview, challenge, report.portraitEmbedding),
      matches,
    };
  }

  /** The portrait's face against the reference face of the pass it follows; the portrait's embedding is not kept. */
  private async comparePortrait(interview: InterviewRecord, challenge: ChallengeRecord, embedding: number[] | undefined): Promise<EventData<"document_checked">["portrait"]> {
    if (!embedding) return { kind: "no_face_in_portrait" };
    const reference = (await this.deps.store.monitoring.templatesOf(interview.id)).find((t) => t.challengeId === challenge.id);
    if (!reference) return { kind: "no_reference" };
    const similarity = Number(cosine(embedding, reference.vector).toFixed(4));
    return { kind: "compared", similarity, threshold: PORTRAIT_MATCH_THRESHOLD };
  }

  private async saveSnapshot(interview: InterviewRecord, challenge: ChallengeRecord, base64: string): Promise<number | undefined> {
    const [id] = await this.deps.store.saveSnapshots([
      { interviewId: interview.id, challengeId: challenge.id, step: DOCUMENT_SNAPSHOT_STEP, t: 0, jpeg: Buffer.from(base64, "base64"), createdAt: this.deps.now().toISOString() },
    ]);
    return id;
  }
}
