import type { CompletionGrant } from "../../shared/embed.js";
import { AppError } from "../errors/index.js";
import type { InterviewEvent } from "../../shared/interview.js";
import type { ReportService } from "../reports/index.js";
import { silentSession } from "../signals/index.js";
import type { CandidateSessionRecord, InterviewRecord } from "../store/index.js";
import type { CompletionTokens } from "./completion-token.js";
import type { SigningKeys } from "./signing-keys.js";

export interface EmbedServiceDeps {
  tokens: CompletionTokens;
  keys: SigningKeys;
  reports: ReportService;
  /** The interview's events, to build the report from and to see whether the session reported anything. */
  events: (interviewId: string) => Promise<InterviewEvent[]>;
  /** Origins whose pages may embed the kit: the kit's own and EMBED_ALLOWED_ORIGINS. */
  allowedOrigins: readonly string[];
}

/**
 * The widget's server side: completion tokens for sessions the verifier
 * passed, bound to an embedding origin the kit allows, and the public keys
 * that verify them.
 */
export class EmbedService {
  constructor(private readonly deps: EmbedServiceDeps) {}

  /** Whether pages of `origin` may embed the candidate and interviewer pages. */
  allows(origin: string): boolean {
    return this.deps.allowedOrigins.includes(origin);
  }

  /**
   * A completion token for a session whose pass the kit recorded (from the
   * verifier's verdict, never from the page), for an allowed audience.
   */
  async completion(interview: InterviewRecord, session: CandidateSessionRecord, audience: string): Promise<CompletionGrant> {
    if (session.verifiedAt === null) {
      throw new AppError("verification_required", "This session has not passed verification; there is nothing to sign.");
    }
    if (!this.allows(audience)) {
      throw new AppError("validation_failed", `${audience} may not embed this kit: it is not listed in EMBED_ALLOWED_ORIGINS`, "audience");
    }
    const events = await this.deps.events(interview.id);
    const report = await this.deps.reports.build(interview, events);
    // A session that sent no browser report has skipped the zone, clock and round-trip rules: it is
    // never "clear" (review 2, finding 15; `/join` records the `signals_missing` flag itself).
    const riskLevel = report.level === "clear" && silentSession(events, session.id) ? "review" : report.level;
    return this.deps.tokens.mint({ interviewId: interview.id, candidateSessionId: session.id, riskLevel, audience });
  }

  /** The JSON Web Key Set: the signing key and the one before it. */
  jwks() {
    return this.deps.keys.jwks();
  }
}
