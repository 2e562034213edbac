import { JoinGrant } from "../../shared/candidate.js";
import { InterviewWithEvents } from "../../shared/interview.js";
import { InterviewEnded, Rechallenge, ReferenceAccepted } from "../../shared/monitoring.js";
import { type ObservationInput, ObservationRecorded } from "../../shared/observations.js";
import { RiskReport } from "../../shared/signals.js";
import { request } from "../api/http.js";

/** The interviewer page's calls to `/v1/interviewer/:token`. */
export class InterviewerApi {
  private readonly base: string;
  constructor(token: string, origin = "") {
    this.base = `${origin}/v1/interviewer/${encodeURIComponent(token)}`;
  }
  /** Server-sent events, one per event recorded on this interview. */
  get streamUrl(): string {
    return `${this.base}/stream`;
  }
  interview() {
    return request("GET", this.base, InterviewWithEvents);
  }
  join() {
    return request("POST", `${this.base}/join`, JoinGrant);
  }
  rechallenge() {
    return request("POST", `${this.base}/rechallenge`, Rechallenge);
  }
  acceptReference(challengeId: string) {
    return request("POST", `${this.base}/reference`, ReferenceAccepted, { body: { challengeId } });
  }
  observe(input: ObservationInput) {
    return request("POST", `${this.base}/observations`, ObservationRecorded, { body: input });
  }
  report() {
    return request("GET", `${this.base}/report`, RiskReport);
  }
  end() {
    return request("POST", `${this.base}/end`, InterviewEnded);
  }
}
