import { type CameraReport, CandidateSession, CandidateView, JoinGrant, Recorded, SessionStatus } from "../../shared/candidate.js";
import type { EnvironmentReport, NetworkReport } from "../../shared/signals.js";
import { CompletionGrant } from "../../shared/embed.js";
import { VerificationStatus, VerificationTicket } from "../../shared/verification.js";
import { request } from "../api/http.js";

/** The candidate page's calls to `/v1/candidate/:token`. Holds the session key once started. */
export class CandidateApi {
  private sessionKey: string | undefined;
  private readonly base: string;
  private readonly embedBase: string;

  constructor(token: string, origin = "") {
    this.base = `${origin}/v1/candidate/${encodeURIComponent(token)}`;
    this.embedBase = `${origin}/v1/embed/candidate/${encodeURIComponent(token)}`;
  }

  private get headers(): Record<string, string> {
    return this.sessionKey ? { "x-candidate-session": this.sessionKey } : {};
  }

  /** What the page may know about its interview before joining. */
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
      const status = await request("GET", `${this.base}/session`, SessionStatus, { headers: this.headers }).catch(() => undefined);
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

  /** Reports the outcome of asking for the camera, suspicions included. */
  reportCamera(report: CameraReport) {
    return request("POST", `${this.base}/camera`, Recorded, { body: report, headers: this.headers });
  }

  /**
   * Starts a server-verified liveness check (counting an attempt) and returns
   * where to publish the camera. A seed is sent only by test configurations.
   */
  startLiveness(seed?: string): Promise<VerificationTicket> {
    return request("POST", `${this.base}/liveness`, VerificationTicket, {
      headers: this.headers,
      ...(seed ? { body: { seed } } : {}),
    });
  }

  /** The verdict of a liveness check as the kit recorded it; `pending` while the verifier works. */
  livenessStatus(challengeId: string): Promise<VerificationStatus> {
    return request("GET", `${this.base}/liveness/${encodeURIComponent(challengeId)}`, VerificationStatus, {
      headers: this.headers,
    });
  }

  /** Reports the browser environment for the interviewer. */
  reportEnvironment(report: EnvironmentReport) {
    return request("POST", `${this.base}/environment`, Recorded, { body: report, headers: this.headers });
  }

  /** Reports the WebRTC network path for the interviewer. */
  reportNetwork(report: NetworkReport) {
    return request("POST", `${this.base}/network`, Recorded, { body: report, headers: this.headers });
  }

  /**
   * The kit's signed pass for the page embedding this one (the widget's `verified`
   * event): refused unless this session passed and `audience` may embed the kit.
   */
  completionToken(audience: string) {
    return request("POST", `${this.embedBase}/completion`, CompletionGrant, { body: { audience }, headers: this.headers });
  }

  /** The interview room grant; refused until this session has passed the check. */
  join() {
    return request("POST", `${this.base}/join`, JoinGrant, { headers: this.headers });
  }
}
