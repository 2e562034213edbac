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

  async startSession() {
    const session = await request("POST", `${this.base}/session`, CandidateSession);
    this.sessionKey = session.sessionKey;
    return session;
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

  join() {
    return request("POST", `${this.base}/join`, JoinGrant, { headers: this.headers });
  }
}
