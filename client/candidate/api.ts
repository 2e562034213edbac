import { z } from "zod";
import {
  type CameraReport,
  CandidateSession,
  CandidateView,
  JoinGrant,
  LivenessChallenge,
  type LivenessEvidence,
  LivenessVerdict,
} from "../../shared/candidate.js";
import type { EnvironmentReport, NetworkReport } from "../../shared/signals.js";
import { request } from "../api/http.js";

const Recorded = z.object({ recorded: z.string() });

/** The candidate page's calls to `/v1/candidate/:token`. Holds the session key once started. */
export class CandidateApi {
  private sessionKey: string | undefined;
  private readonly base: string;

  constructor(token: string, origin = "") {
    this.base = `${origin}/v1/candidate/${encodeURIComponent(token)}`;
  }

  private get headers(): Record<string, string> {
    return this.sessionKey ? { "x-candidate-session": this.sessionKey } : {};
  }

  open() {
    return request("GET", this.base, CandidateView);
  }

  /**
   * Resumes the session kept for this link in this tab, or starts a new one.
   * A reload after passing then goes straight to the room.
   */
  async startSession() {
    const stored = sessionStorage.getItem(this.storageKey);
    if (stored) {
      this.sessionKey = stored;
      const status = await request("GET", `${this.base}/session`, CandidateSession, { headers: this.headers }).catch(() => undefined);
      if (status) return { sessionKey: stored, verified: status.verified };
    }
    const session = await request("POST", `${this.base}/session`, CandidateSession);
    this.sessionKey = session.sessionKey;
    sessionStorage.setItem(this.storageKey, session.sessionKey);
    return session;
  }

  private get storageKey(): string {
    return `verify-kit.session.${this.base}`;
  }

  reportCamera(report: CameraReport) {
    return request("POST", `${this.base}/camera`, Recorded, { body: report, headers: this.headers });
  }

  startLiveness(seed?: string) {
    return request("POST", `${this.base}/liveness`, LivenessChallenge, {
      headers: this.headers,
      ...(seed ? { body: { seed } } : {}),
    });
  }

  submitEvidence(challengeId: string, evidence: LivenessEvidence) {
    return request("POST", `${this.base}/liveness/${encodeURIComponent(challengeId)}`, LivenessVerdict, {
      body: evidence,
      headers: this.headers,
    });
  }

  reportEnvironment(report: EnvironmentReport) {
    return request("POST", `${this.base}/environment`, Recorded, { body: report, headers: this.headers });
  }

  reportNetwork(report: NetworkReport) {
    return request("POST", `${this.base}/network`, Recorded, { body: report, headers: this.headers });
  }

  join() {
    return request("POST", `${this.base}/join`, JoinGrant, { headers: this.headers });
  }
}
