import { postToKit } from "./kit-post.js";
import type { DocumentReport, VerdictReport, VerifierReport } from "../../shared/verifier-job.js";

/** How a verifier job tells the kit what it saw. */
export interface Reporter {
  progress(phase: Extract<VerifierReport, { type: "progress" }>["phase"]): Promise<void>;
  verdict(report: VerdictReport): Promise<void>;
  /** The document step's result, after a pass. */
  document(report: DocumentReport): Promise<void>;
}

/** Reports to the kit's `/internal/verifier` API with the job's bearer secret; retries a verdict a few times. */
export class HttpReporter implements Reporter {
  constructor(
    private readonly url: string,
    private readonly token: string,
  ) {}

  async progress(phase: Extract<VerifierReport, { type: "progress" }>["phase"]): Promise<void> {
    await this.post({ type: "progress", phase }, 1);
  }

  async verdict(report: VerdictReport): Promise<void> {
    await this.post(report, 4);
  }

  async document(report: DocumentReport): Promise<void> {
    await this.post(report, 4);
  }

  private async post(body: VerifierReport, tries: number): Promise<void> {
    // 4xx will not improve with a retry (the challenge ended, or the report is malformed).
    await postToKit(this.url, this.token, body, tries, async (res) => (res.ok || (res.status >= 400 && res.status < 500) ? true : undefined));
  }
}
