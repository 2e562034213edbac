import { JoinGrant } from "../../shared/candidate.js";
import { InterviewWithEvents } from "../../shared/interview.js";
import { request } from "../api/http.js";

/** The interviewer page's calls to `/v1/interviewer/:token`. */
export class InterviewerApi {
  private readonly base: string;
  constructor(token: string, origin = "") {
    this.base = `${origin}/v1/interviewer/${encodeURIComponent(token)}`;
  }
  interview() {
    return request("GET", this.base, InterviewWithEvents);
  }
  join() {
    return request("POST", `${this.base}/join`, JoinGrant);
  }
}
